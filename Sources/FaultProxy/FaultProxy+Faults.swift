import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension FaultProxy {
    /// Faults in force, in the order they were applied.
    public var activeFaults: [ActiveFault] {
        self.state.withLockedValue { $0.faults }
    }

    /// Applies a fault to open and new connections; it is removed when `ttl` expires.
    /// Works before `start()`; after `stop()` the fault is returned but not applied.
    @discardableResult
    public func addFault(_ kind: FaultKind, ttl: Duration) -> ActiveFault {
        let now = Date()
        let (fault, update) = self.state.withLockedValue { state in
            let number = (state.faultCounters[kind.name] ?? 0) + 1
            state.faultCounters[kind.name] = number
            let seconds = Double(ttl.components.seconds) + Double(ttl.components.attoseconds) * 1e-18
            let fault = ActiveFault(
                id: "\(kind.name)-\(number)", kind: kind,
                appliedAt: now, expiresAt: now.addingTimeInterval(seconds)
            )
            guard !state.isStopped else { return (fault, PolicyUpdate?.none) }
            state.faults.append(fault)
            let id = fault.id
            state.expiryTimers[id] = self.group.next().scheduleTask(in: TimeAmount(ttl)) {
                _ = self.removeFault(id: id)
            }
            return (fault, state.faultsChanged())
        }
        update?.send()
        return fault
    }

    /// Removes one fault and restores what it changed. False if no fault has that id.
    @discardableResult
    public func removeFault(id: String) -> Bool {
        let update = self.state.withLockedValue { state -> PolicyUpdate? in
            guard let index = state.faults.firstIndex(where: { $0.id == id }) else { return nil }
            state.faults.remove(at: index)
            state.expiryTimers.removeValue(forKey: id)?.cancel()
            return state.faultsChanged()
        }
        update?.send()
        return update != nil
    }

    /// Removes every fault: the edge forwards normally again.
    public func removeAllFaults() {
        let update = self.state.withLockedValue { state -> PolicyUpdate? in
            guard !state.faults.isEmpty else { return nil }
            state.faults.removeAll()
            state.expiryTimers.values.forEach { $0.cancel() }
            state.expiryTimers.removeAll()
            return state.faultsChanged()
        }
        update?.send()
    }
}
