import FaultProxy
import LabEngine
import Sandbox

// Listing and removing faults: one target's, one by id, or all of them (a halt).
extension FaultBoard {
    /// Every fault in force: network faults by edge, then service faults by service.
    package func list() async -> [API.TargetFault] {
        var faults: [API.TargetFault] = []
        for (name, proxy) in proxies.all {
            faults += proxy.activeFaults.map { API.TargetFault(target: name, fault: FaultStatus($0)) }
        }
        faults += await services.list()
        return faults
    }

    /// Removes one fault of a target named as `target(named:)` reads it, or of a proxy a
    /// Toxiproxy client made. False when it is already gone; `notFound` when there is no such target.
    package func remove(target name: String, id: String) async throws(LabError) -> Bool {
        switch target(named: name) {
        case .service?: return await services.remove(id: id)
        case .edge(let edge)?: return try await proxy(edge.proxyName, named: name).removeFault(id: id)
        case nil: return try await proxy(name, named: name).removeFault(id: id)
        }
    }

    /// Removes every fault of one target; returns how many; `notFound` when there is no such target.
    package func removeAll(target name: String) async throws(LabError) -> Int {
        switch target(named: name) {
        case .service(let service)?:
            var removed = 0
            for fault in await services.faults(of: service) where await services.remove(id: fault.id) { removed += 1 }
            return removed
        case .edge(let edge)?: return try await proxy(edge.proxyName, named: name).removeAllFaults()
        case nil: return try await proxy(name, named: name).removeAllFaults()
        }
    }

    private func proxy(_ proxyName: String, named name: String) throws(LabError) -> FaultProxy {
        guard let proxy = proxies.proxy(named: proxyName) else { throw .notFound("unknown target '\(name)'") }
        return proxy
    }

    /// How many faults of each type are in force.
    package func activeCounts() async -> [String: Int] {
        var counts: [String: Int] = [:]
        for fault in await list() { counts[fault.fault.type, default: 0] += 1 }
        return counts
    }

    /// Removes every fault of every family: toxics, downs, refusals, service faults.
    /// Returns how many were removed.
    package func haltAll() async -> Int {
        haltGeneration += 1
        var removed = 0
        for (_, proxy) in proxies.all {
            removed += await proxy.removeAllFaults()
        }
        removed += await services.removeAll()
        return removed
    }
}
