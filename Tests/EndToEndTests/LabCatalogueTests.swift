import Foundation
import LabEngine
import TestSupport
import Testing

/// The labs test themselves: `chaoslab validate --live` runs every experiment of every shipped
/// lab against a fresh sandbox, and a lab whose expectation does not hold fails with the numbers.
@Suite(.serialized)
struct LabCatalogueTests {
    @Test("every experiment of every shipped lab does what its lab expects")
    func everyLabDoesWhatItSays() async throws {
        let catalog = LabLoader.load(directory: URL(fileURLWithPath: labsFolder))
        #expect(catalog.problems.isEmpty, "\(catalog.problems)")
        let experiments = catalog.labs.map(\.exercises.count).reduce(0, +)

        let process = try TestProcess(["validate", "--live", "--labs-folder", labsFolder])
        let code = await process.waitForExit(timeout: .seconds(900))
        let output = process.lines.joined(separator: "\n")

        #expect(code == 0, "\(output)")
        #expect(output.contains("\(experiments) of \(experiments) experiments did what their lab expects"), "\(output)")
        for lab in catalog.labs {
            for exercise in lab.exercises {
                #expect(output.contains("ok  \(lab.id) / \(exercise.id)"), "\(lab.id) / \(exercise.id): \(output)")
            }
        }
    }

    @Test("a lab whose expectation no longer holds fails, naming the lab, the exercise and the numbers")
    func aWrongExpectationFailsWithTheNumbers() async throws {
        let original = try String(contentsOfFile: labsFolder + "/is-ads-optional.yaml", encoding: .utf8)
        let wrong = original.replacingOccurrences(of: "expect: { checkout: broken, browse: broken }",
                                                  with: "expect: { checkout: degraded, browse: broken }")
        #expect(wrong != original)
        let file = try temporaryFolder().appendingPathComponent("is-ads-optional.yaml")
        try wrong.write(to: file, atomically: true, encoding: .utf8)

        let process = try TestProcess(["validate", "--live", file.path, "--exercise", "block-ads"])
        let code = await process.waitForExit(timeout: .seconds(120))
        let output = process.lines.joined(separator: "\n")

        #expect(code == 1, "\(output)")
        #expect(output.contains("MISMATCH  is-ads-optional / block-ads"), "\(output)")
        #expect(output.contains("✗ checkout: expected degraded, observed broken (success 0 over"), "\(output)")
        #expect(output.contains("✓ browse: expected broken, observed broken"), "\(output)")
        #expect(output.contains("0 of 1 experiments did what their lab expects"), "\(output)")
        #expect(output.contains("attempt 1 did not match: observed browse broken"), "a mismatch runs twice: \(output)")
        #expect(!output.contains("fix-ads"), "only the named exercise ran: \(output)")
    }

    @Test("validate --live names an exercise the lab does not have")
    func anUnknownExerciseIsNamed() async throws {
        let process = try TestProcess(["validate", "--live", labsFolder + "/is-ads-optional.yaml", "--exercise", "block-adz"])
        #expect(await process.waitForExit(timeout: .seconds(30)) == 1)
        let output = process.lines.joined(separator: "\n")
        #expect(output.contains("no exercise 'block-adz'"), "\(output)")
        #expect(output.contains("block-ads, fix-ads"), "\(output)")
    }
}

/// Proof that a fault landed, with the real shop and proxies: a fault on an edge that no
/// journey of the lab uses touches nothing, and the experiment says so instead of grading.
@Suite("A fault that meets no traffic")
struct FaultThatMetNoTrafficTests {
    @Test("a blackhole on checkout->cache while the journey calls ads directly is inconclusive: the fault never met traffic")
    func aFaultOnAnUnusedEdgeIsInconclusive() async throws {
        let lab = """
            id: unused-edge
            title: An edge nobody uses
            summary: The journey calls ads directly; the fault is on checkout's cache.
            architecture:
              edges:
                - { from: storefront, to: ads, critical: false }
                - { from: checkout, to: cache, critical: false }
            journeys:
              ads:
                steps: [ "GET ads /ads" ]
                slo: { success_rate: 0.99, p95_ms: 500 }
            exercises:
              - id: block-cart-cache
                title: Block the cart cache
                brief: The fault proxy blackholes checkout → cache while the lab asks ads for an ad.
                hypothesis:
                  question: What happens to the ad journey?
                  choices: { works: fine, broken: down }
                status_check: { journey: ads, for: 2s }
                attack: { edge: checkout->cache, fault: blackhole, duration: 3s }
                expect: { ads: works }
                debrief: Nothing reached the fault.
            """
        let file = try temporaryFolder().appendingPathComponent("unused-edge.yaml")
        try lab.write(to: file, atomically: true, encoding: .utf8)

        let process = try TestProcess(["validate", "--live", file.path])
        let code = await process.waitForExit(timeout: .seconds(120))
        let output = process.lines.joined(separator: "\n")

        #expect(code == 1, "an experiment that tested nothing does not pass the self-test: \(output)")
        #expect(output.contains("the fault never met traffic: nothing went through checkout->cache while blackhole was in force"),
                "\(output)")
    }
}
