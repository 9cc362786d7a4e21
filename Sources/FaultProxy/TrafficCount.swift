import Synchronization

/// What one toxic has met since it was added: the connections its toxicity draw put it on,
/// and the bytes that went into it. Shared by every connection's chain; counted without locks.
final class ToxicTally: Sendable {
    let connections = Atomic<Int>(0)
    let bytes = Atomic<Int>(0)
    /// The lab fault the toxic belongs to, if any.
    let faultID: String?

    init(faultID: String?) {
        self.faultID = faultID
    }
}

/// What a fault touched while it was in force: how many connections it acted on and how
/// many bytes went into it. A fault that touched no byte met no traffic: an experiment with
/// it observed the system as it is, not the system under the fault.
public struct TrafficCount: Hashable, Sendable {
    public var connections: Int
    public var bytes: Int

    public init(connections: Int, bytes: Int) {
        self.connections = connections
        self.bytes = bytes
    }

    public var touchedNothing: Bool { self.bytes == 0 && self.connections == 0 }
}

extension FaultProxy {
    /// What the fault `id` (a lab fault's id, or a Toxiproxy toxic's name) has touched since it
    /// was added, also once it is removed; nil for a fault of no toxic (a refused edge: the
    /// kernel refuses those connections, the proxy never sees them) or an unknown id.
    /// Of a fault of several toxics (a blackhole's two directions): the most connections
    /// either met, and every byte.
    public func contact(ofFault id: String) -> TrafficCount? {
        let tallies = self.state.withLockedValue { state in
            state.tallies.filter { $0.value.faultID == id || ($0.value.faultID == nil && $0.key == id) }.map(\.value)
        }
        guard !tallies.isEmpty else { return nil }
        return TrafficCount(
            connections: tallies.map { $0.connections.load(ordering: .relaxed) }.max() ?? 0,
            bytes: tallies.map { $0.bytes.load(ordering: .relaxed) }.reduce(0, +))
    }

    /// The proxy's own counts, for a fault on the service behind it: connections accepted from
    /// clients (also those whose upstream refused) and bytes read in both directions.
    public var traffic: TrafficCount {
        TrafficCount(
            connections: self.stats.connectionsAccepted.load(ordering: .relaxed),
            bytes: self.stats.upstreamBytes + self.stats.downstreamBytes)
    }
}
