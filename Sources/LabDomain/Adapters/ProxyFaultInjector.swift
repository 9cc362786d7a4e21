import LabEngine

/// The engine's fault port: every attack goes through the fault board, as the lab API's
/// faults do, so that the emergency lock, the counters and halt see lab attacks too.
package struct ProxyFaultInjector: FaultInjector {
    package let board: FaultBoard

    package func inject(_ fault: FaultSpec, on target: AttackTarget, ttl: Duration) async throws -> String {
        try await board.add(fault, to: target, ttl: ttl).fault.id
    }

    package func contact(faultID: String, on target: AttackTarget) async -> FaultContact? {
        await board.contact(of: faultID, on: target)
    }

    package func remove(faultID: String, on target: AttackTarget) async {
        _ = try? await board.remove(target: target.key, id: faultID)
    }

    /// A halt of every fault of every family: what an experiment's uncertain injection and
    /// the coordinator's halt both need.
    package func removeAll() async {
        _ = await board.haltAll()
    }
}
