import Foundation
import LabEngine
import TestSupport
import Testing

/// Writing a lab: `chaoslab new-lab` and `chaoslab schema`, the schema checked with a real JSON
/// Schema validator (Python's jsonschema, as editors use one) against every lab we ship or show.
struct LabAuthoringTests {
    static let repository = URL(fileURLWithPath: labsFolder).deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/LabEngineTests/Fixtures")

    @Test("new-lab writes a skeleton that loads with no problems, and says what to do next")
    func newLabWritesALabThatLoads() async throws {
        let file = try temporaryFolder().appendingPathComponent("labs/my-first-lab.yaml")

        let process = try TestProcess(["new-lab", "my-first-lab", "--output", file.path])

        #expect(await process.waitForExit(timeout: .seconds(30)) == 0, "\(process.lines)")
        let output = process.lines.joined(separator: "\n")
        #expect(output.contains("wrote \(file.path)"), "\(output)")
        #expect(output.contains("chaoslab validate --live \(file.path)"), "the next steps are printed: \(output)")
        let lab = try LabLoader.load(file: file)
        #expect(lab.id == "my-first-lab")
        #expect(lab.exercises.map(\.kind) == [.experiment, .fix])
    }

    @Test("new-lab refuses to overwrite a file unless --force")
    func newLabRefusesToOverwrite() async throws {
        let file = try temporaryFolder().appendingPathComponent("mine.yaml")
        try "# my work\n".write(to: file, atomically: true, encoding: .utf8)

        let refused = try TestProcess(["new-lab", "my-lab", "--output", file.path])

        #expect(await refused.waitForExit(timeout: .seconds(30)) == 1)
        #expect(refused.lines.joined().contains("already exists; pass --force"), "\(refused.lines)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "# my work\n", "the file is untouched")

        let forced = try TestProcess(["new-lab", "my-lab", "--output", file.path, "--force"])

        #expect(await forced.waitForExit(timeout: .seconds(30)) == 0, "\(forced.lines)")
        #expect(try LabLoader.load(file: file).id == "my-lab")
    }

    @Test("new-lab rejects a name that is not a kebab-case lab id, and writes nothing")
    func newLabRejectsABadName() async throws {
        let folder = try temporaryFolder()

        let process = try TestProcess(["new-lab", "My_Lab", "--output", folder.appendingPathComponent("x.yaml").path])

        #expect(await process.waitForExit(timeout: .seconds(30)) != 0)
        #expect(process.lines.joined().contains("'My_Lab' is not a lab id"), "\(process.lines)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("help lists new-lab and schema")
    func helpListsTheAuthoringCommands() async throws {
        let process = try TestProcess(["--help"])

        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        let help = process.lines.joined(separator: "\n")
        #expect(help.contains("  new-lab") && help.contains("  schema"), "\(help)")
    }

    @Test("schema --help says how to hook the schema into an editor")
    func schemaHelp() async throws {
        let process = try TestProcess(["schema", "--help"])

        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        let help = process.lines.joined(separator: "\n")
        #expect(help.contains("# yaml-language-server: $schema="), "\(help)")
        #expect(help.contains("yaml.schemas"), "\(help)")
    }

    @Test("every shipped lab, every guide example and the new-lab skeleton validate against the schema; broken labs do not")
    func labsAgainstTheSchema() async throws {
        let folder = try temporaryFolder()
        let schema = folder.appendingPathComponent("lab.schema.json")
        let printed = try TestProcess(["schema"])
        #expect(await printed.waitForExit(timeout: .seconds(30)) == 0)
        try printed.lines.joined(separator: "\n").write(to: schema, atomically: true, encoding: .utf8)
        let skeleton = folder.appendingPathComponent("skeleton.yaml")
        let newLab = try TestProcess(["new-lab", "skeleton", "--output", skeleton.path])
        #expect(await newLab.waitForExit(timeout: .seconds(30)) == 0)

        let valid = try FileManager.default.contentsOfDirectory(atPath: labsFolder).filter { $0.hasSuffix(".yaml") }
            .sorted().map { "\(labsFolder)/\($0)" }
            + [Self.repository.appendingPathComponent("docs/authoring-labs.md").path, skeleton.path,
               Self.fixtures.appendingPathComponent("ValidLab.yaml").path, try write(BrokenLab.base, in: folder, as: "BaseLab"),
               try write(BrokenLab.looseSpellings, in: folder, as: "LabInLooseSpellings")]
        #expect(throws: Never.self, "the loader accepts the loose spellings") {
            try LabValidator.validate(yaml: BrokenLab.looseSpellings, file: "LabInLooseSpellings.yaml").get()
        }
        var invalid: [String] = []
        for broken in BrokenLab.all {
            invalid.append(try write(broken.text, in: folder, as: broken.name))
            #expect(throws: LabLoadError.self, "the loader rejects \(broken.name) too") {
                try LabValidator.validate(yaml: broken.text, file: broken.name).get()
            }
        }
        invalid += BrokenLab.fixturesASchemaCanReject.map { Self.fixtures.appendingPathComponent("\($0).yaml").path }

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/lab_schema_check.py").path
        let python = try TestProcess(executable: "/usr/bin/env", ["python3", script, schema.path, "--valid"] + valid + ["--invalid"] + invalid)
        let code = await python.waitForExit(timeout: .seconds(60))
        if code == nil { python.signal(SIGKILL) }
        let text = python.lines.joined(separator: "\n")
        #expect(!text.contains("No module named"), "jsonschema or PyYAML is missing; scripts/setup.sh installs them")
        #expect(code == 0 && text.contains("all checks passed"), "\(text)")
        #expect(text.contains("ok        \(labsFolder)/is-ads-optional.yaml"), "\(text)")
        for broken in BrokenLab.all { #expect(text.contains("rejected  \(folder.path)/\(broken.name).yaml"), "\(broken.name)") }
    }

    private func write(_ text: String, in folder: URL, as name: String) throws -> String {
        let file = folder.appendingPathComponent("\(name).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}

/// Labs with one defect each that the schema must flag as an editor would, named after the defect.
struct BrokenLab {
    let name: String
    let text: String

    static let base = """
        id: broken-lab
        title: A lab with one defect
        architecture:
          edges:
            - { from: storefront, to: ads }
        journeys:
          browse:
            steps: [ "GET storefront /" ]
            slo: { success_rate: 0.99, p95_ms: 500 }
        exercises:
          - id: one
            title: One
            brief: One defect.
            hypothesis: { question: "What happens?", choices: { works: a, broken: b } }
            attack: { edge: storefront->ads, fault: blackhole }
            expect: { browse: broken }

        """

    /// What the loader also accepts, and so must the schema: spaces around an edge's arrow and a
    /// duration's unit, a method in lower case, fractions of seconds.
    static let looseSpellings = base
        .replacingOccurrences(of: "\"GET storefront /\"", with: "\"get  storefront /\", \"POST storefront /api/cart/items\"")
        .replacingOccurrences(of: "{ edge: storefront->ads, fault: blackhole }",
                              with: "{ edge: storefront -> ads, fault: latency, attributes: { latency: 100.0 }, duration: 1.5 s }")

    static func attack(_ name: String, _ attack: String) -> BrokenLab {
        BrokenLab(name: name, text: base.replacingOccurrences(of: "{ edge: storefront->ads, fault: blackhole }", with: attack))
    }

    static let all: [BrokenLab] = [
        attack("LabWithUnknownFault", "{ edge: storefront->ads, fault: meteor }"),
        attack("LabWithKillOnAnEdge", "{ edge: storefront->ads, fault: kill }"),
        attack("LabWithLatencyOnAService", "{ service: ads, fault: latency, attributes: { latency: 100 } }"),
        attack("LabWithUnknownAttribute", "{ edge: storefront->ads, fault: latency, attributes: { latency: 100, wobble: 3 } }"),
        attack("LabWithLatencyOutOfRange", "{ edge: storefront->ads, fault: latency, attributes: { latency: 7200000 } }"),
        attack("LabWithFractionalLatency", "{ edge: storefront->ads, fault: latency, attributes: { latency: 10.5 } }"),
        attack("LabWithStreamOnAServiceFault", "{ service: ads, fault: pause, stream: upstream }"),
        attack("LabWithEmptyOnCheckout", "{ service: checkout, fault: empty }"),
        attack("LabWithEdgeAndService", "{ edge: storefront->ads, service: ads, fault: blackhole }"),
        attack("LabWithDurationWithoutUnit", "{ edge: storefront->ads, fault: blackhole, duration: '20' }"),
        BrokenLab(name: "LabWithMissingExpect", text: base.replacingOccurrences(of: "    expect: { browse: broken }\n", with: "")),
        BrokenLab(name: "LabWithUnknownField", text: base.replacingOccurrences(of: "title: One", with: "title: One\n    breif: typo")),
    ]

    /// The validator's own fixtures whose defect a schema can express (not: unknown journeys,
    /// duplicate ids or edges, an attack longer than its guardrail).
    static let fixturesASchemaCanReject = [
        "LabWithYAMLSyntaxError", "LabWithMissingRequiredField", "LabWithWrongType", "LabWithUnknownEdge",
        "LabWithUnknownService", "LabWithUnknownServiceInStep", "LabWithUnknownFault", "LabWithMissingExpectedOutcome",
        "LabWithInvalidOutcome", "LabWithGarbageDuration", "LabWithNegativeDuration", "LabWithZeroAttackDuration",
        "LabWithLatencyFaultWithoutLatencyMs", "LabWithBadJourneyStep", "LabWithInvalidHypothesisChoice", "LabWithManyProblems",
    ]
}
