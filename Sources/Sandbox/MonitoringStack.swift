import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// MonitoringStack runs a real Prometheus and Alertmanager beside the sandbox, on loopback
/// ports, with their data under the lab's data folder.
///
/// Configuration comes from the repository's `monitoring/` folder, plain files a learner reads
/// and edits: `prometheus.yml` (a template whose `{{…}}` placeholders are filled in here),
/// `rules/*.yml` and `alertmanager.yml`. What Prometheus scrapes is written to `targets/*.json`
/// in the data folder (file-based discovery: Prometheus sees a change within seconds): one file
/// per sandbox, one for the lab server. Both processes die with the lab server, even on SIGKILL
/// (`setpriv --pdeathsig`), and are stopped with it.
public actor MonitoringStack {
    public struct Configuration: Sendable {
        /// The repository's `monitoring/` folder.
        public var configDirectory: URL
        /// Where Prometheus' and Alertmanager's data and the generated files go.
        public var dataDirectory: URL
        public var prometheus: String
        public var alertmanager: String
        public var startTimeout: Duration

        public init(configDirectory: URL, dataDirectory: URL, prometheus: String = "/usr/bin/prometheus",
                    alertmanager: String = "/usr/bin/prometheus-alertmanager", startTimeout: Duration = .seconds(20)) {
            self.configDirectory = configDirectory
            self.dataDirectory = dataDirectory
            self.prometheus = prometheus
            self.alertmanager = alertmanager
            self.startTimeout = startTimeout
        }
    }

    /// Why the stack cannot run here: said once at start; checks that need it are inconclusive.
    public enum Unavailable: Error, CustomStringConvertible, Sendable {
        case missing([String])
        case configMissing(String)
        case failed(String)

        public var description: String {
            switch self {
            case .missing(let paths):
                return "monitoring is off: \(paths.joined(separator: " and ")) not installed (run scripts/setup.sh, "
                    + "or apt-get install prometheus prometheus-alertmanager)"
            case .configMissing(let path):
                return "monitoring is off: no \(path) (run the lab server from the repository's folder, or pass --monitoring-dir)"
            case .failed(let reason):
                return "monitoring is off: \(reason)"
            }
        }
    }

    public let configuration: Configuration
    public private(set) var prometheusURL: String?
    public private(set) var alertmanagerURL: String?
    private var children: [(name: String, process: ChildProcess, log: LogTail, exited: ExitFlag)] = []
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger = Logger(label: "chaoslab.monitoring")) {
        self.configuration = configuration
        self.logger = logger
    }

    var generated: URL { configuration.dataDirectory.appendingPathComponent("monitoring") }
    var targetsDirectory: URL { generated.appendingPathComponent("targets") }

    /// Starts Alertmanager, then Prometheus, and waits until both answer `/-/ready`. On failure
    /// nothing is left running.
    public func start(progress: @Sendable (String) -> Void = { _ in }) async throws(Unavailable) {
        let missing = [configuration.prometheus, configuration.alertmanager].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard missing.isEmpty else { throw .missing(missing) }
        let template = configuration.configDirectory.appendingPathComponent("prometheus.yml")
        let alertmanagerConfig = configuration.configDirectory.appendingPathComponent("alertmanager.yml")
        for file in [template, alertmanagerConfig] where !FileManager.default.fileExists(atPath: file.path) {
            throw .configMissing(file.path)
        }
        do {
            try await launchBoth(template: template, alertmanagerConfig: alertmanagerConfig, progress: progress)
        } catch {
            await stop()
            throw error
        }
    }

    private func launchBoth(template: URL, alertmanagerConfig: URL, progress: @Sendable (String) -> Void) async throws(Unavailable) {
        let fm = FileManager.default
        let promData = generated.appendingPathComponent("prometheus-data")
        let amData = generated.appendingPathComponent("alertmanager-data")
        do {
            for folder in [generated, targetsDirectory, promData, amData] {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            }
        } catch {
            throw .failed("cannot create \(generated.path) (\(error.localizedDescription))")
        }
        let (promPort, amPort) = (try freePort(), try freePort())
        let alertmanager = "127.0.0.1:\(amPort)"
        let filled: String
        do {
            filled = try String(contentsOf: template, encoding: .utf8)
                .replacingOccurrences(of: "{{alertmanager}}", with: alertmanager)
                .replacingOccurrences(of: "{{targets}}", with: targetsDirectory.path)
                .replacingOccurrences(of: "{{rules}}", with: configuration.configDirectory.appendingPathComponent("rules").path)
                .replacingOccurrences(of: "{{monitoring}}", with: configuration.configDirectory.path)
            try filled.write(to: generated.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        } catch {
            throw .failed("cannot write \(generated.appendingPathComponent("prometheus.yml").path) (\(error.localizedDescription))")
        }
        try launch("alertmanager", configuration.alertmanager, [
            "--config.file=\(alertmanagerConfig.path)", "--storage.path=\(amData.path)",
            "--web.listen-address=\(alertmanager)", "--cluster.listen-address=", "--log.level=warn",
        ])
        try launch("prometheus", configuration.prometheus, [
            "--config.file=\(generated.appendingPathComponent("prometheus.yml").path)", "--storage.tsdb.path=\(promData.path)",
            "--storage.tsdb.retention.time=1d", "--web.listen-address=127.0.0.1:\(promPort)", "--web.enable-lifecycle",
            // A firing alert is sent again every second, not every minute: one notification lost
            // (Prometheus drops them while a reload swaps its Alertmanager list) must not hide an alert from a lab.
            "--rules.alert.resend-delay=1s", "--log.level=warn",
        ])
        let deadline = ContinuousClock.now + configuration.startTimeout
        for (name, url) in [("alertmanager", "http://\(alertmanager)"), ("prometheus", "http://127.0.0.1:\(promPort)")] {
            try await waitUntilReady(name, url: url, deadline: deadline)
            progress("\(name) is up on \(url)")
        }
        alertmanagerURL = "http://\(alertmanager)"
        prometheusURL = "http://127.0.0.1:\(promPort)"
    }

    private func launch(_ name: String, _ executable: String, _ arguments: [String]) throws(Unavailable) {
        let log = LogTail(capacity: 100)
        let exited = ExitFlag()
        // setpriv arms the parent-death signal before exec: the child dies with the thread that
        // started it, also when the lab server is killed outright.
        let (program, argv) = FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
            ? ("/usr/bin/setpriv", ["--pdeathsig", "KILL", "--", executable] + arguments)
            : (executable, arguments)
        do {
            let process = try ChildProcess.launch(
                executable: program, arguments: argv, environment: ProcessInfo.processInfo.environment,
                onLine: { log.append($0) }, onExit: { _ in exited.set() })
            children.append((name, process, log, exited))
        } catch {
            throw .failed("could not start \(name): \(error)")
        }
    }

    private func waitUntilReady(_ name: String, url: String, deadline: ContinuousClock.Instant) async throws(Unavailable) {
        while ContinuousClock.now < deadline {
            if let child = children.first(where: { $0.name == name }), child.exited.isSet {
                throw .failed("\(name) exited during start-up:\n" + child.log.snapshot(last: 8).map { "  | \($0)" }.joined(separator: "\n"))
            }
            let request = HTTPClientRequest(url: url + "/-/ready")
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(1)) {
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if response.status == .ok { return }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        let lines = children.first(where: { $0.name == name })?.log.snapshot(last: 8) ?? []
        throw .failed("\(name) did not answer /-/ready in time:\n" + lines.map { "  | \($0)" }.joined(separator: "\n"))
    }

    /// Writes the scrape targets of one group (`lab`, `sandbox`, `team-red`): each service's base
    /// address with its labels. Prometheus picks the file up by itself.
    public func setTargets(_ group: String, _ targets: [(address: String, labels: [String: String])]) {
        let entries: [[String: Any]] = targets.map { ["targets": [$0.address], "labels": $0.labels] }
        guard let data = try? JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys]) else { return }
        let file = targetsDirectory.appendingPathComponent("\(group).json")
        do {
            try data.write(to: file, options: .atomic)
        } catch {
            logger.warning("could not write scrape targets", metadata: ["file": "\(file.path)", "error": "\(error)"])
        }
    }

    /// Removes a group's targets (a team removed).
    public func removeTargets(_ group: String) {
        try? FileManager.default.removeItem(at: targetsDirectory.appendingPathComponent("\(group).json"))
    }

    /// Asks Prometheus to read its configuration and rule files again (`POST /-/reload`).
    public func reloadPrometheus() async throws(Unavailable) {
        guard let prometheusURL else { throw .failed("Prometheus is not running") }
        var request = HTTPClientRequest(url: prometheusURL + "/-/reload")
        request.method = .POST
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 64 * 1024)
            guard response.status == .ok else { throw Unavailable.failed("Prometheus refused the reload: \(String(buffer: body))") }
        } catch let error as Unavailable {
            throw error
        } catch {
            throw .failed("Prometheus did not reload (\(error))")
        }
    }

    /// The process ids, for tests.
    public func pids() -> [String: Int32] {
        Dictionary(uniqueKeysWithValues: children.filter { !$0.exited.isSet }.map { ($0.name, $0.process.pid) })
    }

    /// Stops both (SIGTERM, then SIGKILL after 3 s).
    public func stop() async {
        for child in children { child.process.send(SIGTERM) }
        for child in children {
            let deadline = ContinuousClock.now + .seconds(3)
            while !child.exited.isSet, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            if !child.exited.isSet {
                child.process.send(SIGKILL)
                while !child.exited.isSet { try? await Task.sleep(for: .milliseconds(20)) }
            }
        }
        children = []
        prometheusURL = nil
        alertmanagerURL = nil
    }
}

/// A free loopback port, as the kernel hands it out.
private func freePort() throws(MonitoringStack.Unavailable) -> Int {
    do {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress?.port ?? 0
        try channel.close().wait()
        return port
    } catch {
        throw .failed("no free port (\(error))")
    }
}

/// Set once when a child has been reaped.
final class ExitFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set_ = false
    var isSet: Bool { lock.withLock { set_ } }
    func set() { lock.withLock { set_ = true } }
}

extension MonitoringStack {
    /// `reloadPrometheus()` as a status check's port wants it: nil when the rules loaded, else why not.
    public func reloadRules() async -> String? {
        do {
            try await reloadPrometheus()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
