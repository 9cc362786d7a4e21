import ArgumentParser
import Foundation
import LabDomain
import LabEngine
import LabServer
import Sandbox

struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start the lab server and the demo shop (or the system of --system FILE), in the foreground.",
        discussion: """
            Launches the four demo services (storefront, checkout, cache, ads; or the services of \
            --system FILE) as child processes on free \
            loopback ports, puts a fault proxy on each dependency edge, and serves the lab API on \
            127.0.0.1:PORT. Ctrl-C (or SIGTERM) removes every fault, stops every service and exits 0. \
            The services also stop if the lab server is killed outright (they die with it).

            The same port serves Toxiproxy's HTTP API (GET /proxies, POST /proxies/NAME/toxics, \
            POST /reset, ...): point any Toxiproxy client at http://127.0.0.1:PORT. The sandbox's \
            edges are its proxies: storefront-ads, storefront-checkout, storefront-cache, checkout-cache \
            (FROM-TO for each edge of another system).

            Your own system: --system FILE runs the services that system file describes instead of \
            the shop (each started with its command, or reached at its address), a fault proxy on each \
            of its edges, and loads the labs of the labs/ folder beside the file. Labs written for \
            another system are refused. See the README's "Your own system" and \
            examples/bookshop/chaoslab.yaml.

            Group mode (--facilitator) runs the server for a bootcamp or a game day: it prints a \
            facilitator token (also written to DATA/facilitator-token, mode 0600) and the facilitator \
            creates teams, each with its own sandbox (chaoslab team create NAME). People join in a \
            browser at http://HOST:PORT/join with their team's code, a name and a role; the \
            facilitator watches every team at /facilitator. Every request then needs a token or a \
            session: the facilitator's, or a team's for its own team. Teams are kept in \
            DATA/teams.sqlite and come back when the server starts again on the same data folder. \
            Only in group mode may the server listen beyond loopback, and only when asked: --host 0.0.0.0.

            Monitoring: the server also starts a real Prometheus (scraping every service, each team's \
            too, and the lab server's /metrics every second) and Alertmanager, on loopback ports, \
            configured from the monitoring/ folder (rules you can read and edit), with their data under \
            DATA/monitoring. Status checks of kind prometheus and alerts ask them. Where the binaries are \
            missing (scripts/setup.sh installs them) the server starts without and says so once; \
            --no-monitoring turns it off.
            """
    )

    @Option(help: "Port of the lab server (Toxiproxy's default is 8474).")
    var port: Int = 8474

    @Option(help: "Address the lab server listens on. Anything but loopback (e.g. 0.0.0.0) needs --facilitator.")
    var host: String = "127.0.0.1"

    @Flag(help: "Group mode: a facilitator token, and teams each with their own sandbox (see chaoslab team --help).")
    var facilitator = false

    @Option(help: "Host name put in the URLs handed to teams (api_base). Default: --host, or 127.0.0.1 when it is 0.0.0.0.")
    var publicHost: String?

    @Option(help: "Group mode: at most this many teams (each runs 4 services and 4 proxies).")
    var maxTeams: Int = 50

    @Option(help: ArgumentHelp("Group mode: refuse a new team's sandbox when the machine has less memory available than this.", valueName: "MiB"))
    var minFreeMemory: Int = 256

    @Option(help: "Folder for the lab data (SQLite). Default: $XDG_DATA_HOME/chaoslab or ~/.local/share/chaoslab.")
    var data: String?

    @Option(help: "Folder of the lab files. Default: the labs folder beside --system's file, else ./Labs, or the Labs folder of this checkout.")
    var labs: String?

    @OptionGroup var system: SystemOptions

    @Option(help: "Remove toxics made through the Toxiproxy API after this long, e.g. 10m (default: they stay until removed, as in Toxiproxy).")
    var maxFaultTtl: String?

    @Flag(help: "Let Toxiproxy clients create proxies that listen on or forward to non-loopback addresses.")
    var allowRemoteProxies = false

    @Option(help: "Seed for the proxies' random draws (toxicity, jitter, slice sizes), to repeat a run exactly.")
    var seed: UInt64?

    @Flag(inversion: .prefixedNo, help: "Start Prometheus and Alertmanager beside the shop (status checks of kind prometheus and alerts need them).")
    var monitoring = true

    @Option(help: "Folder of the monitoring configuration (prometheus.yml, rules/, alertmanager.yml). Default: ./monitoring, or this checkout's.")
    var monitoringDir: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard facilitator || isLoopback(host) else {
            throw ValidationError("--host \(host) would open the lab server beyond this machine, where anyone could inject faults; that needs group mode, with its tokens: add --facilitator")
        }
        guard maxTeams >= 1 else { throw ValidationError("--max-teams must be at least 1, got \(maxTeams)") }
        guard minFreeMemory >= 0 else { throw ValidationError("--min-free-memory must be 0 or more MiB, got \(minFreeMemory)") }
        if let maxFaultTtl {
            do {
                _ = try DurationParser.parse(maxFaultTtl)
            } catch {
                throw ValidationError("--max-fault-ttl: \(error.message)")
            }
        }
    }

    func run() async throws {
        let described = try system.load()
        let configuration = LabServerConfiguration(
            host: host,
            port: port,
            dataDirectory: data.map { URL(fileURLWithPath: $0) } ?? LabServerConfiguration.defaultDataDirectory,
            labsDirectory: labs.map { URL(fileURLWithPath: $0) } ?? system.labsDirectory(of: described),
            system: described,
            sandbox: SandboxConfiguration(system: SandboxSystem(described), seed: seed))
        var server = configuration
        server.maxFaultTTL = try maxFaultTtl.map { try DurationParser.parse($0) }
        server.allowNonLoopbackProxies = allowRemoteProxies
        server.seed = seed
        server.facilitator = facilitator
        server.publicHost = publicHost
        server.maxTeams = maxTeams
        server.minFreeMemoryMiB = minFreeMemory
        if monitoring {
            server.monitoring = MonitoringStack.Configuration(
                configDirectory: monitoringDir.map { URL(fileURLWithPath: $0) } ?? checkoutFolder("monitoring", containing: "prometheus.yml"),
                dataDirectory: server.dataDirectory)
        }
        say("chaoslab: starting the lab server and \(system.file == nil ? "the demo shop" : described.title)…")
        do {
            try await LabServer.run(server) { say("  \($0)") }
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// `./Labs` when it exists, else the `Labs` folder of the checkout this binary was built in.
func defaultLabsDirectory() -> URL {
    checkoutFolder("Labs", containing: "is-ads-optional.yaml")
}

/// `./NAME` when it exists, else the folder NAME of the checkout this binary was built in (the
/// one that holds `file`).
func checkoutFolder(_ name: String, containing file: String) -> URL {
    let local = URL(fileURLWithPath: name)
    if FileManager.default.fileExists(atPath: local.path) { return local }
    var folder = URL(fileURLWithPath: SandboxConfiguration.currentExecutable).deletingLastPathComponent()
    for _ in 0..<5 {
        folder.deleteLastPathComponent()
        let candidate = folder.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(file).path) { return candidate }
    }
    return local
}
