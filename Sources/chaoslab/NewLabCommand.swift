import ArgumentParser
import Foundation
import LabDomain
import LabEngine
import Sandbox

struct NewLabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-lab",
        abstract: "Write a commented skeleton lab that validates, to start a new lab from.",
        discussion: """
            The skeleton has every field of the lab format with a comment saying what it means and its \
            default, an experiment and a fix exercise. As written it passes `chaoslab validate` and \
            `chaoslab validate --live`; replace its texts, fault and expected outcomes with your own. \
            docs/authoring-labs.md describes the whole format.

              chaoslab new-lab my-lab                              # writes Labs/my-lab.yaml (./my-lab.yaml without ./Labs)
              chaoslab new-lab my-lab --output /tmp/my-lab.yaml    # no modeline outside the checkout

            For a system of your own, --from-system FILE writes a complete dependency-matrix lab for \
            it instead: for every edge a blackhole and a latency exercise, each with a hypothesis, a \
            status check, guardrails and a debrief on the measured numbers, and a final diagram \
            question. Every expected outcome says `works` until you fill it in; with --record the \
            command starts the system in a sandbox of its own, runs each experiment once (quick \
            mode) and writes what it observed, so that the lab can test itself. The file goes into \
            the labs folder beside the system file.

              chaoslab new-lab bookshop-matrix --from-system examples/bookshop/chaoslab.yaml --record
            """)

    @Argument(help: "The lab's id, in kebab-case (lowercase words joined by '-'), like is-checkout-retry-safe.")
    var name: String
    @Option(help: "The file to write. Default: Labs/NAME.yaml when the current folder has a Labs folder, else NAME.yaml.")
    var output: String?
    @Flag(help: "Overwrite the file if it exists.")
    var force = false
    @Option(help: ArgumentHelp("Write a dependency-matrix lab for this system file (chaoslab.yaml) instead of the skeleton.", valueName: "FILE"))
    var fromSystem: String?
    @Flag(help: "With --from-system: run each experiment once against a fresh sandbox of the system and write the observed outcomes as the expected ones.")
    var record = false

    func validate() throws {
        if let problem = LabSkeleton.problem(withID: name) { throw ValidationError(problem) }
        if record, fromSystem == nil { throw ValidationError("--record needs --from-system FILE") }
    }

    func run() async throws {
        if let fromSystem { return try await writeMatrix(for: fromSystem) }
        let labs = defaultLabsDirectory()
        // Into ./Labs when the current folder has one (a checkout), else into the current folder:
        // never into a checkout found elsewhere.
        let local = FileManager.default.fileExists(atPath: "Labs") ? "Labs/\(name).yaml" : "\(name).yaml"
        let file = URL(fileURLWithPath: output ?? local)
        let shown = file.relativePath
        if FileManager.default.fileExists(atPath: file.path), !force {
            throw CLIError("\(shown) already exists; pass --force to overwrite it, or choose another name or --output")
        }
        let folder = file.deletingLastPathComponent()
        let text = LabSkeleton.text(id: name, schema: schemaPath(from: folder, checkout: labs.deletingLastPathComponent()))
        if case .failure(let error) = LabValidator.validate(yaml: text, file: shown) {
            throw CLIError("the skeleton does not validate (a bug in chaoslab):\n\(error)")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("cannot write \(shown) (\(error.localizedDescription)); check the folder and its permissions")
        }
        say("""
            wrote \(shown): lab \(name) with an experiment (slow-ads) and a fix (fix-slow-ads), every field commented
            next:
              edit it; docs/authoring-labs.md describes every field
              chaoslab validate \(shown)          # check the file
              chaoslab validate --live \(shown)   # run its experiments against a fresh sandbox
            """)
    }

    /// `--from-system`: the matrix lab, its outcomes recorded from a live run with `--record`.
    private func writeMatrix(for systemFile: String) async throws {
        var options = SystemOptions()
        options.file = systemFile
        let system = try options.load()
        guard !system.journeys.isEmpty else {
            throw CLIError("\(systemFile) names no journeys; a lab judges its experiments by journeys: add `journeys:` to the system file")
        }
        let file = URL(fileURLWithPath: output ?? system.directory.appendingPathComponent("labs/\(name).yaml").path)
        let shown = file.relativePath
        if FileManager.default.fileExists(atPath: file.path), !force {
            throw CLIError("\(shown) already exists; pass --force to overwrite it, or choose another name or --output")
        }
        var text = SystemLabDraft.text(id: name, system: system, systemFile: systemFile)
        let draft: Lab
        switch LabValidator.validate(yaml: text, file: shown, system: system) {
        case .success(let lab): draft = lab
        case .failure(let error): throw CLIError("the drafted lab does not validate (a bug in chaoslab):\n\(error)")
        }
        var unrecorded: [String] = []
        if record {
            say("recording: \(draft.exercises.count) experiments against a fresh sandbox of \(system.name), once each in quick mode…")
            var observed: [String: [String: Outcome]] = [:]
            let reports = try await LabSelfTest.run(
                labs: [draft], sandbox: SandboxConfiguration(system: SandboxSystem(system)), quick: true, attempts: 1,
                progress: { say("  \($0)") },
                report: { report in
                    let seen = report.observed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }
                    say("  \(report.exercise): " + (seen.isEmpty ? "nothing observed (\(report.reason ?? report.status.rawValue))" : seen.joined(separator: ", ")))
                })
            for report in reports {
                if report.observed.count == draft.journeys.count { observed[report.exercise] = report.observed } else { unrecorded.append(report.exercise) }
            }
            text = SystemLabDraft.text(id: name, system: system, systemFile: systemFile, expected: observed)
        }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("cannot write \(shown) (\(error.localizedDescription)); check the folder and its permissions")
        }
        say("wrote \(shown): lab \(name) for \(system.name), \(draft.exercises.count) experiments (\(system.edges.count) edges × blackhole, latency)")
        if !record {
            say("  every expect says `works`: fill in what you expect, or write it again with --record")
        } else if !unrecorded.isEmpty {
            say("  not recorded (still `works`, check them): \(unrecorded.joined(separator: ", "))")
        }
        say("""
            next:
              chaoslab validate --system \(systemFile) \(shown)
              chaoslab validate --live --system \(systemFile) \(shown)
            """)
    }

    /// The checkout's copy of the schema as seen from a lab file in `folder` ("../docs/lab.schema.json"),
    /// for the editor's modeline; nil when the lab is written outside the checkout or there is no copy.
    private func schemaPath(from folder: URL, checkout: URL) -> String? {
        let schema = checkout.appendingPathComponent("docs/lab.schema.json")
        guard FileManager.default.fileExists(atPath: schema.path) else { return nil }
        let components = { (url: URL) in url.standardizedFileURL.resolvingSymlinksInPath().pathComponents }
        let from = components(folder), to = components(schema), root = components(checkout)
        guard from.starts(with: root) else { return nil }
        let common = zip(from, to).prefix { $0 == $1 }.count
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}
