import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Lab-level faults: each has an id and a time to live, and maps onto toxics or onto the
/// proxy going down. Toxics added through the Toxiproxy API and a disabled proxy are
/// listed here too, so that a halt sees everything.
extension FaultProxy {
    /// Every fault in force: lab faults, API toxics, and "down" if disabled through the API.
    public var activeFaults: [ActiveFault] {
        self.state.withLockedValue { state in
            var faults = Array(state.refusals.values)
            var seen: Set<String> = []
            for entry in state.toxics {
                if let id = entry.faultID {
                    guard seen.insert(id).inserted else { continue }
                    let kind = state.faultKinds[id] ?? .toxic(entry.toxic.kind, stream: entry.toxic.stream)
                    faults.append(ActiveFault(id: id, kind: kind, appliedAt: entry.appliedAt, expiresAt: entry.expiresAt))
                } else {
                    faults.append(ActiveFault(
                        id: entry.toxic.name, kind: .toxic(entry.toxic.kind, stream: entry.toxic.stream),
                        appliedAt: entry.appliedAt, expiresAt: entry.expiresAt))
                }
            }
            // Down through the API, or down because coming back up failed (the port was
            // taken meanwhile): either way the edge refuses connections, and a halt retries.
            var stuckDown = false
            if case .down = state.phase, state.wantsUp { stuckDown = true }
            if state.disabled || stuckDown {
                faults.append(ActiveFault(id: "down", kind: .refuse, appliedAt: state.disabledAt ?? Date(), expiresAt: nil))
            }
            return faults.sorted { $0.appliedAt < $1.appliedAt }
        }
    }

    /// Applies a lab fault to open and new connections; it is removed when `ttl` expires.
    @discardableResult
    public func addFault(_ kind: FaultKind, ttl: Duration) async throws -> ActiveFault {
        let id = self.state.withLockedValue { state in
            let number = (state.faultCounters[kind.name] ?? 0) + 1
            state.faultCounters[kind.name] = number
            state.faultKinds["\(kind.name)-\(number)"] = kind
            return "\(kind.name)-\(number)"
        }
        let now = Date()
        let fault = ActiveFault(id: id, kind: kind, appliedAt: now, expiresAt: now.addingTimeInterval(ttl.seconds))
        switch kind {
        case .blackhole, .toxic:
            let toxics = if case .toxic(let toxicKind, let stream) = kind {
                [Toxic(name: id, kind: toxicKind, stream: stream)]
            } else {
                ToxicStream.allCases.map { Toxic(name: "\(id)-\($0.rawValue)", kind: .timeout(timeout: 0), stream: $0) }
            }
            do {
                _ = try self.addToxics(toxics, ttl: ttl, faultID: id)
            } catch {
                self.state.withLockedValue { _ = $0.faultKinds.removeValue(forKey: id) }
                throw error
            }
        case .refuse:
            self.state.withLockedValue { state in
                guard !state.isStopped else { return }
                state.refusals[id] = fault
                state.refusalTimers[id] = self.group.next().scheduleTask(in: TimeAmount(ttl)) {
                    Task { await self.removeFault(id: id) }
                }
            }
            try? await self.reconcileListener()
        }
        return fault
    }

    /// Removes one fault (by the id `activeFaults` lists) and restores what it changed.
    /// False if no fault has that id.
    @discardableResult
    public func removeFault(id: String) async -> Bool {
        if id == "down", self.activeFaults.contains(where: { $0.id == "down" }) {
            try? await self.enable()
            return true
        }
        let refusal = self.state.withLockedValue { state -> Bool in
            state.refusalTimers.removeValue(forKey: id)?.cancel()
            return state.refusals.removeValue(forKey: id) != nil
        }
        if refusal {
            try? await self.reconcileListener()
            return true
        }
        return self.removeToxics { $0.faultID == id || ($0.faultID == nil && $0.toxic.name == id) } > 0
    }

    /// Removes every fault of every kind and brings the proxy back up: the edge forwards
    /// normally again (Toxiproxy's reset). Returns how many faults were removed.
    @discardableResult
    public func removeAllFaults() async -> Int {
        let count = self.activeFaults.count
        self.state.withLockedValue { state in
            for id in state.refusals.keys {
                state.refusalTimers.removeValue(forKey: id)?.cancel()
            }
            state.refusals.removeAll()
            state.disabled = false
        }
        self.removeAllToxics()
        try? await self.reconcileListener()
        return count
    }
}
