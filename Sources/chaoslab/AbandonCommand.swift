import ArgumentParser
import Foundation
import LabDomain
import LabServer

struct AbandonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abandon",
        abstract: "End an unfinished run before its last step, scored on what was done.",
        discussion: """
            A run interrupted by Ctrl-C or a closed browser tab stays open, to be continued with \
            `chaoslab run LAB --resume`. Abandoning it halts its experiment if one is running, grades \
            the exercises that were done (the maximum stays that of a complete run: what was not \
            reached counts with 0) and prints the summary. Without an argument, your only unfinished \
            run; with a lab id, your unfinished run of that lab; or a run id.
            """)

    @OptionGroup var server: ServerOptions
    @Argument(help: "A lab id or a run id; your only unfinished run when left out.") var labOrRun: String?
    @Option(help: "Whose run (default: your login name, as for chaoslab run).") var learner: String?
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
        let client = LabClient(server)
        let name = learner ?? ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "anonymous"
        let open = try await client.openRuns(of: name)
        let runID: String
        switch labOrRun {
        case nil:
            guard let only = open.first, open.count == 1 else {
                throw CLIError(open.isEmpty
                    ? "\(name) has no unfinished run"
                    : "\(name) has \(open.count) unfinished runs; name one: " + open.map { "\($0.lab) (\($0.run))" }.joined(separator: ", "))
            }
            runID = only.run
        case let given?:
            runID = open.first { $0.lab == given }?.run ?? given
        }
        let summary: RunSummary = try await client.send("POST", "/api/runs/\(runID)/abandon", body: Optional<String>.none)
        if json { return try printJSON(summary) }
        printSummary(summary)
    }
}
