import Foundation
import Hummingbird
import LabDomain
import LabEngine
import LabStore
import Sandbox

// The home page (labs, scores, the sandbox at a glance) and the sandbox page (services, logs, edges, the fault playground).
extension WebPages {
    /// The shipped labs in the order each builds on the ones before (the README's table
    /// follows it): the starter first. Labs not named here come after, by id.
    static let learningPath = [
        "is-ads-optional", "is-the-cache-just-a-cache", "latency-is-not-an-outage", "retry-storms",
        "kill-and-restart", "gray-failure", "learning-from-an-incident", "dependency-matrix", "take-the-temperature",
        "did-monitoring-see-it",
    ]

    func homePage() async -> HomePage {
        let rank = { (id: String) in Self.learningPath.firstIndex(of: id) ?? Self.learningPath.count }
        let labs = catalog.labs.sorted { (rank($0.id), $0.id) < (rank($1.id), $1.id) }
        let cards = labs.enumerated().map { index, lab in
            LabCard(
                id: lab.id, title: lab.title, summaryHTML: Markdown.html(lab.summary), minutes: lab.estimatedMinutes.map { "About \($0) minutes" },
                exercises: lab.exercises.map(\.title), objectives: lab.objectives, startHere: index == 0)
        }
        let faults = await faultRows()
        let monitoring = MonitoringLinks.of(coordinator.ports.checkSettings.values.monitoring, team: team ?? "default")
        return HomePage(
            layout: await layout("Labs", page: "home"), labs: cards,
            services: await serviceRows(logLines: 0), faults: faults, hasFaults: !faults.isEmpty,
            monitoring: monitoring.links, monitoringNote: monitoring.note)
    }

    func mapPage(lab: String?) async -> MapPage {
        let rank = { (id: String) in Self.learningPath.firstIndex(of: id) ?? Self.learningPath.count }
        let labs = catalog.labs.sorted { (rank($0.id), $0.id) < (rank($1.id), $1.id) }
        let chosen = lab.flatMap { id in labs.first { $0.id == id }?.id } ?? labs.first?.id
        return MapPage(layout: await layout("Map", page: "map"),
                       labs: labs.map { MapPage.LabChoice(id: $0.id, title: $0.title, selected: $0.id == chosen) })
    }

    func sandboxPage() async -> SandboxPage {
        let status = await sandbox.status()
        let edges = status.edges.map { edge in
            EdgeRow(
                name: edge.name, listen: edge.listen, upstream: edge.upstream.isEmpty ? "–" : edge.upstream,
                faults: edge.faults.isEmpty ? "none" : edge.faults.map(\.description).joined(separator: "; "))
        }
        let faults = await faultRows()
        return SandboxPage(
            layout: await layout("Sandbox", page: "sandbox"), services: await serviceRows(logLines: 20), edges: edges,
            faults: faults, hasFaults: !faults.isEmpty, targets: sandbox.configuration.system.edges.map(\.name) + sandbox.serviceNames,
            faultTypes: FaultCatalog.names(.edge)
                + ServiceFaultKind.types)
    }

    private func serviceRows(logLines: Int) async -> [ServiceRow] {
        var rows: [ServiceRow] = []
        for service in await sandbox.status().services {
            let faults = await board.services.faults(of: service.name)
            let lines = logLines > 0 ? ((try? await sandbox.logs(of: service.name, last: logLines)) ?? []) : []
            rows.append(ServiceRow(
                name: service.name, healthy: service.healthy, state: service.healthy ? "up" : "down (\(service.state))",
                pid: service.pid.map(String.init) ?? "–", url: service.url ?? "", restarts: service.restarts,
                faults: faults.map(\.description).joined(separator: "; "), logLines: lines))
        }
        return rows
    }

    private func faultRows() async -> [FaultRow] {
        await board.list().map { fault in
            FaultRow(
                target: fault.target, id: fault.fault.id, description: fault.fault.description,
                expires: fault.fault.expiresInMs.map { "\(($0 + 999) / 1000) s left" } ?? "until removed")
        }
    }
}
