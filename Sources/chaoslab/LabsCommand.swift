import ArgumentParser
import Foundation
import LabDomain
import LabEngine
import LabServer
import Sandbox

struct LabsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labs",
        abstract: "List the labs of the running lab server.")
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let list: API.LabList = try await LabClient(server).get("/api/labs")
        if json { return try printJSON(list) }
        for lab in list.labs {
            let minutes = lab.estimatedMinutes.map { " (~\($0) min)" } ?? ""
            say("\(lab.id)\(minutes)\n  \(lab.title)")
            if let summary = lab.summary { say("  \(summary)") }
            say("  exercises: \(lab.exercises.joined(separator: ", "))")
        }
        for problem in list.problems { say("not loaded: \(problem)") }
    }
}

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check lab files; with --live, run every experiment and check that it does what the lab says.",
        discussion: """
            Without --live it reads each lab and prints every problem as FILE:LINE:COL: message. \
            It needs no running server.

            With --live it starts a fresh sandbox of its own (free ports; a running lab server is not \
            touched), runs each experiment in quick mode (windows of at most 3 s) with the lab's \
            reference answers and its fix, and prints, per experiment, the expected outcome of each \
            journey beside the observed one with the numbers. An experiment that does not match (or \
            is inconclusive: steady state did not hold) runs once more, and the output says what the \
            first attempt saw; it fails only when the second does not match either. With \
            --full-length the windows last as long as the lab says, as a learner's run without quick \
            mode does: a lab's expectations should hold both ways.

            Exit status: 0 when every lab is valid (and, live, every expectation held), 1 otherwise.

              chaoslab validate                          # every lab in ./Labs
              chaoslab validate Labs/my-lab.yaml
              chaoslab validate --live                   # every experiment of every lab
              chaoslab validate --live is-ads-optional --exercise fix-ads
              chaoslab validate --system examples/bookshop/chaoslab.yaml          # the system file and its labs
              chaoslab validate --live --system examples/bookshop/chaoslab.yaml   # …run against that system
            """)

    @Argument(help: "Lab files (YAML) or lab ids from the labs folder. Default: every lab in the labs folder.")
    var labs: [String] = []
    @Option(help: "Folder of the lab files. Default: the labs folder beside --system's file, else ./Labs, or the Labs folder of this checkout.")
    var labsFolder: String?
    @OptionGroup var system: SystemOptions
    @Flag(help: "Run every experiment against a fresh sandbox and compare what happens with what the lab expects.")
    var live = false
    @Flag(help: "With --live: run each window for as long as the lab says, not at most 3 s.")
    var fullLength = false
    @Option(help: "With --live: run only this exercise (repeat for more).")
    var exercise: [String] = []
    @Flag(help: "With --live: print the verdicts as JSON (progress goes to standard error).")
    var json = false

    func validate() throws {
        if !live, !exercise.isEmpty { throw ValidationError("--exercise needs --live") }
        if !live, json { throw ValidationError("--json needs --live") }
        if !live, fullLength { throw ValidationError("--full-length needs --live") }
    }

    func run() async throws {
        let described = try system.load()
        if let file = system.file, !json { say("\(file): ok (system \(described.name): \(counted(described.services.count, "service")), \(counted(described.edges.count, "edge")))") }
        let files = try labFiles(of: described)
        var loaded: [Lab] = []
        var failed = 0
        for file in files {
            do {
                loaded.append(try LabLoader.load(file: file, system: described))
                if !json { say("\(file.relativePath): ok") }
            } catch {
                failed += 1
                for problem in error.problems { report(problem.description) }
            }
        }
        if failed > 0 { throw ExitCode(1) }
        guard live else { return }
        if !exercise.isEmpty {
            let known = Set(loaded.flatMap { $0.exercises.map(\.id) })
            if let unknown = exercise.first(where: { !known.contains($0) }) {
                throw CLIError("no exercise '\(unknown)' in \(loaded.map(\.id).joined(separator: ", ")); exercises: "
                               + known.sorted().joined(separator: ", "))
            }
        }
        try await runLive(loaded, system: described)
    }

    private func runLive(_ labs: [Lab], system: SystemDescription) async throws {
        let toStandardError = json
        let started = ContinuousClock.now
        let reports = try await LabSelfTest.run(
            labs: labs, exercises: exercise.isEmpty ? nil : Set(exercise),
            sandbox: SandboxConfiguration(system: SandboxSystem(system)), monitoring: checkoutFolder("monitoring", containing: "prometheus.yml"), quick: !fullLength,
            progress: { line in Self.write("  \(line)", toStandardError: toStandardError) },
            report: { verdict in
                let head = verdict.passed ? "ok" : (verdict.status == .completed ? "MISMATCH" : verdict.status.rawValue.uppercased())
                var text = "\(head)  \(verdict.lab) / \(verdict.exercise)  (\(verdict.attack))\n"
                text += verdict.lines.map { "      \($0)" }.joined(separator: "\n")
                if let halted = verdict.haltedBy { text += "\n      halted by \(halted)" }
                for (number, seen) in verdict.earlier.enumerated() { text += "\n      attempt \(number + 1) did not match: \(seen)" }
                if !verdict.passed, let reason = verdict.reason { text += "\n      \(reason)" }
                Self.write(text, toStandardError: toStandardError)
            })
        let failures = reports.filter { !$0.passed }
        let seconds = Int((ContinuousClock.now - started).components.seconds)
        if json {
            try printJSON(reports)
        } else {
            let retried = reports.filter { $0.passed && $0.attempts > 1 }.count
            say("\n\(reports.count - failures.count) of \(reports.count) experiments did what their lab expects (\(seconds) s)"
                + (retried > 0 ? "; \(retried) of them only on a second attempt." : "."))
            for failure in failures {
                say("failed: \(failure.lab) / \(failure.exercise): " + (failure.status == .completed
                    ? failure.lines.filter { $0.hasPrefix("✗") }.joined(separator: "; ")
                    : "\(failure.status.rawValue): \(failure.reason ?? "no reason given")"))
            }
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    /// The files named on the command line (a lab id means LABS/ID.yaml), or every lab of the folder.
    private func labFiles(of described: SystemDescription) throws -> [URL] {
        let folder = labsFolder.map { URL(fileURLWithPath: $0) } ?? system.labsDirectory(of: described)
        if labs.isEmpty {
            let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
            let labFiles = files.filter { ["yaml", "yml"].contains($0.pathExtension.lowercased()) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            guard !labFiles.isEmpty else {
                throw CLIError("no lab files (*.yaml) in \(folder.path); name files or pass --labs-folder")
            }
            return labFiles
        }
        return try labs.map { name in
            if FileManager.default.fileExists(atPath: name) { return URL(fileURLWithPath: name) }
            let byID = folder.appendingPathComponent("\(name).yaml")
            guard !name.contains("/"), FileManager.default.fileExists(atPath: byID.path) else {
                throw CLIError("no lab file '\(name)', and no lab '\(name)' in \(folder.path).\(NameSuggestion.didYouMean(name, among: labIDs(in: folder)))")
            }
            return byID
        }
    }

    private func report(_ line: String) {
        Self.write(line, toStandardError: json)
    }

    private static func write(_ text: String, toStandardError: Bool) {
        if toStandardError {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            say(text)
        }
    }
}

/// The ids of the lab files in `folder` (their names without `.yaml`), for suggestions.
func labIDs(in folder: URL) -> [String] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
}
