import Foundation
import TestSupport
import LabDomain
import LabServer
import Testing

/// The second lab against the real shop: the cart cache is critical, the page cache is not.
extension EndToEndTests {
    func cacheLab(_ server: LabServerProcess) async throws {
        let answers = try writeAnswers("""
            hypotheses: { block-cart-cache: broken, block-page-cache: works, fix-cart-cache: works }
            diagram: { "checkout->cache": true, "storefront->cache": false }
            """)

        let run = try await server.command(["run", "is-the-cache-just-a-cache", "--answers", answers, "--quick", "--json"])
        #expect(run.code == 0, "chaoslab run failed:\n\(run.output)")
        let summary = try decodeSummary(from: run.output)
        let observed = Dictionary(uniqueKeysWithValues: summary.exercises.map { ($0.id, $0.observed["checkout"]) })

        #expect(observed["block-cart-cache"] == .broken, "carts live only in the cache: \(summary.exercises)")
        #expect(observed["block-page-cache"] == .works, "the page cache falls back: \(summary.exercises)")
        #expect(observed["fix-cart-cache"] == .works, "the cart fallback holds under the fault: \(summary.exercises)")
        #expect(summary.diagram.discovered["checkout->cache"] == .some(true))
        #expect(summary.diagram.discovered["storefront->cache"] == .some(false))
        #expect(summary.score == 100, "\(summary.breakdown)")
    }
}

/// The command line without a server: validation, help, and a clear error when no server answers.
struct CommandLineTests {
    @Test("validate accepts the shipped labs")
    func validateAcceptsShippedLabs() async throws {
        let process = try TestProcess(["validate", labsFolder + "/is-ads-optional.yaml", labsFolder + "/is-the-cache-just-a-cache.yaml"])
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0, "\(process.lines)")
    }

    @Test("validate reports every problem as FILE:LINE:COL and exits non-zero")
    func validateReportsProblems() async throws {
        let file = try temporaryFolder().appendingPathComponent("broken.yaml")
        try """
            id: broken
            title: Broken
            architecture:
              edges:
                - { from: storefront, to: payments, critical: true }
            journeys:
              checkout:
                steps: [ "GET storefront /" ]
                slo: { success_rate: 0.99, p95_ms: 500 }
            exercises:
              - id: one
                hypothesis: { question: "?", choices: { works: a, broken: b } }
                attack: { edge: storefront->ads, fault: meltdown, duration: 5s }
            """.write(to: file, atomically: true, encoding: .utf8)
        let process = try TestProcess(["validate", file.path])
        #expect(await process.waitForExit(timeout: .seconds(30)) == 1)
        let output = process.lines.joined(separator: "\n")
        #expect(output.contains("\(file.path):5:"), "the unknown edge is located: \(output)")
        #expect(output.contains("meltdown"), "the unknown fault is named: \(output)")
        #expect(output.contains("expect"), "the missing expected outcome is reported: \(output)")
    }

    @Test("a command with no lab server to talk to says how to start one")
    func noServer() async throws {
        let process = try TestProcess(["status", "--port", "1"])
        #expect(await process.waitForExit(timeout: .seconds(30)) != 0)
        let output = process.lines.joined(separator: "\n")
        #expect(output.contains("no lab server answers at 127.0.0.1:1 (connection refused); start one with"), "\(output)")
        #expect(output.contains("swift run chaoslab start"), "\(output)")
        #expect(!output.contains("errno"), "no transport error's internals: \(output)")
    }

    @Test("a malformed answers file is reported as FILE:LINE:COL with what is wrong, before any server is asked")
    func malformedAnswers() async throws {
        let cases: [(yaml: String, line: Int, mentioning: String)] = [
            ("hypotheses:\n  block-ads: maybe\n", 2, "must be an outcome (works, degraded, broken, refused, alerted, silent), not 'maybe'"),
            ("hypotheses: { block-ads: broken }\ndiagram:\n  \"storefront->ads\": perhaps\n", 3, "must be true (critical) or false"),
            ("hypotheses: { block-ads: broken\n", 2, "not YAML"),
            ("hypothesis: { block-ads: broken }\n", 1, "unknown key 'hypothesis'"),
        ]
        for (yaml, line, mentioning) in cases {
            let file = try writeAnswers(yaml)
            let process = try TestProcess(["run", "is-ads-optional", "--answers", file, "--port", "1"])
            #expect(await process.waitForExit(timeout: .seconds(30)) != 0)
            let output = process.lines.joined(separator: "\n")
            #expect(output.contains("\(file):\(line):") && output.contains(mentioning), "\(yaml): \(output)")
            #expect(!output.contains("DecodingError") && !output.contains("no lab server"), "\(output)")
        }
    }

    @Test("help teaches the commands")
    func helpListsCommands() async throws {
        let process = try TestProcess(["--help"])
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        let output = process.lines.joined(separator: "\n")
        for command in ["start", "status", "labs", "validate", "run", "summary", "fault", "halt"] {
            #expect(output.contains("  \(command)"), "help lists \(command)")
        }
    }
}
