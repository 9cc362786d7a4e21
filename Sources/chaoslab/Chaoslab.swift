import ArgumentParser
import Foundation

@main
struct Chaoslab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaoslab",
        abstract: "A chaos-engineering bootcamp in a box.",
        discussion: """
            Start the lab server and its demo shop, then take a lab in a browser at \
            http://127.0.0.1:8474, or in a second terminal:

              chaoslab start                 # the lab server, in the foreground
              chaoslab labs                  # the labs you can take
              chaoslab run is-ads-optional   # a guided experiment, hypothesis to score

            `chaoslab halt` ends every fault at once. The lab server also speaks Toxiproxy's \
            HTTP API on its port, so Toxiproxy clients can drive the sandbox's edges.
            """,
        subcommands: [
            StartCommand.self, StatusCommand.self, LabsCommand.self, ValidateCommand.self,
            RunCommand.self, AbandonCommand.self, SummaryCommand.self, MapCommand.self, FaultCommand.self, HaltCommand.self, UnlockCommand.self,
            CheckCommand.self, ExportCommand.self, NewLabCommand.self, SchemaCommand.self, TeamCommand.self,
        ]
    )
}

/// Options shared by every command that talks to a running lab server.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: "Port of the lab server.")
    var port: Int = 8474

    @Option(name: .long, help: ArgumentHelp(
        "A group server's token: the facilitator's, or a team's. Default: $CHAOSLAB_TOKEN.",
        discussion: "Prefer the environment variable: a command line is visible to other users of the machine."))
    var token: String?

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `--token`, else `CHAOSLAB_TOKEN`, else none (a single-user server needs none).
    var resolvedToken: String? {
        if let token, !token.isEmpty { return token }
        let environment = ProcessInfo.processInfo.environment["CHAOSLAB_TOKEN"]
        return environment?.isEmpty == false ? environment : nil
    }

    func validate() throws {
        guard (1...65535).contains(port) else {
            throw ValidationError("--port must be between 1 and 65535, got \(port)")
        }
    }
}
