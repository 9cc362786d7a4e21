import ArgumentParser
import Sandbox

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the demo services and the edges, with every fault in force.")

    @OptionGroup var server: ServerOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let status: SandboxStatus = try await LabClient(server).get("/api/status")
        if json { return try printJSON(status) }
        say("services")
        for service in status.services {
            let health = service.healthy ? "healthy" : "UNHEALTHY"
            let pid = service.pid.map(String.init) ?? "-"
            let faults = (service.faults ?? []).map(\.summary).joined(separator: ", ")
            say("  \(service.name.padded(11)) \(health.padded(10)) pid \(pid.padded(8)) \(service.url ?? "-")  restarts \(service.restarts)"
                + (faults.isEmpty ? "" : "  \(faults)"))
        }
        say("edges")
        for edge in status.edges {
            let faults = edge.faults.isEmpty ? "no faults" : edge.faults.map(\.summary).joined(separator: ", ")
            let label = edge.from.isEmpty ? edge.name : edge.from + "->" + edge.to  // a proxy made through the Toxiproxy API
            say("  \(label.padded(22)) \(edge.listen) -> \(edge.upstream.isEmpty ? "-" : edge.upstream)  \(faults)")
        }
        if let monitoring = status.monitoring {
            say("monitoring")
            if let prometheus = monitoring.prometheus, let alertmanager = monitoring.alertmanager {
                say("  prometheus   \(prometheus)")
                say("  alertmanager \(alertmanager)")
            } else {
                say("  \(monitoring.note ?? "not running")")
            }
        }
        if status.locked == true {
            say("LOCKED: new faults are refused until `chaoslab unlock`")
        }
    }
}

extension FaultStatus {
    var summary: String {
        let left = expiresInMs.map { "\($0 / 1000)s left" } ?? "until removed"
        return "\(description) (\(id), \(left))"
    }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
