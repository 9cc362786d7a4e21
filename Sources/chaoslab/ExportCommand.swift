import ArgumentParser
import Foundation
import LabDomain
import LabEngine
import LabServer
import Sandbox

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Take an exercise home: export it in another tool's format.",
        subcommands: [ExportCTKCommand.self])
}

struct ExportCTKCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctk",
        abstract: "Print a Chaos Toolkit experiment (JSON) for one exercise of a lab.",
        discussion: """
            The experiment's steady-state hypothesis probes each step of the exercise's journey \
            against the shop (2xx within the journey's p95 objective); its method applies the \
            exercise's fix, if it has one, and injects the fault through the lab server's \
            Toxiproxy-compatible API (a service fault through the lab API), then pauses while \
            it bites; its rollbacks undo all of it, with the rollback strategy `always`, so \
            the fault is removed even when a probe times out.

            The addresses are configuration read from the environment when the experiment runs \
            (CHAOSLAB_URL, CHAOSLAB_STOREFRONT_URL, ...), with the running lab's as defaults: \
            this command asks the lab server on --port for them. Without a running lab server, \
            set those variables before exporting.

              chaoslab export ctk is-ads-optional block-ads > block-ads.json
              chaos validate block-ads.json
              chaos run block-ads.json      # exits 1 when the steady state deviates, as this lab expects

            Chaos Toolkit comes from PyPI: python3 -m pip install chaostoolkit.
            """)

    @Option(help: "Port of the lab server whose addresses the experiment uses.")
    var port: Int = 8474
    @Option(help: "Folder of the lab files. Default: the labs folder beside --system's file, else ./Labs, or the Labs folder of this checkout.")
    var labsFolder: String?
    @OptionGroup var system: SystemOptions
    @Argument(help: "The lab id (or a lab file).") var lab: String
    @Argument(help: "The exercise id.") var exercise: String

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535, got \(port)") }
    }

    func run() async throws {
        let lab = try loadLab()
        let labServer = "http://127.0.0.1:\(port)"
        let services = try await serviceURLs(of: lab, labServer: labServer)
        let experiment: ChaosToolkitExport.Experiment
        do {
            experiment = try ChaosToolkitExport.experiment(lab: lab, exerciseID: exercise, labServer: labServer, services: services)
        } catch {
            throw CLIError(error.description)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        say(String(decoding: try encoder.encode(experiment), as: UTF8.self))
    }

    private func loadLab() throws -> Lab {
        let described = try system.load()
        let folder = labsFolder.map { URL(fileURLWithPath: $0) } ?? system.labsDirectory(of: described)
        let file = FileManager.default.fileExists(atPath: lab) && lab.hasSuffix(".yaml")
            ? URL(fileURLWithPath: lab) : folder.appendingPathComponent("\(lab).yaml")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw CLIError("no lab '\(lab)' in \(folder.path).\(NameSuggestion.didYouMean(lab, among: labIDs(in: folder))) List them with chaoslab validate, or name a lab file")
        }
        do {
            return try LabLoader.load(file: file, system: described)
        } catch {
            throw CLIError("the lab \(file.path) does not validate:\n" + error.problems.map(\.description).joined(separator: "\n"))
        }
    }

    /// The addresses of the services the lab names: the environment's first, then the running lab server's.
    private func serviceURLs(of lab: Lab, labServer: String) async throws -> [String: String] {
        let environment = ProcessInfo.processInfo.environment
        let named = Set(lab.architecture.flatMap { [$0.edge.from, $0.edge.to] } + lab.journeys.values.flatMap { $0.steps.map(\.service) })
        var urls: [String: String] = [:]
        for service in named {
            urls[service] = environment[ChaosToolkitExport.environmentKey(of: service)]
        }
        if urls.count == named.count { return urls }
        do {
            var options = ServerOptions()
            options.port = port
            options.token = nil  // CHAOSLAB_TOKEN still applies
            let status: SandboxStatus = try await LabClient(options).get("/api/status")
            for service in status.services where urls[service.name] == nil {
                urls[service.name] = service.url
            }
        } catch {
            // Fine when the environment names every address this exercise needs; the export says which is missing.
            FileHandle.standardError.write(Data("chaoslab: no lab server answers at \(labServer); using the addresses of the environment\n".utf8))
        }
        return urls
    }
}
