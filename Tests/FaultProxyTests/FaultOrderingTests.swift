import NIOCore
import NIOEmbedded
import Testing

@testable import FaultProxy

/// Toxics changing while data flows, made deterministic with an `EmbeddedEdge`: a real
/// `FaultProxy` whose connection is glued between two embedded channels.
///
/// `addToxic`/`removeToxic` notify open connections with an event-loop task, and a real
/// NIO loop handles pending I/O before its tasks. So under load, bytes the client sent
/// after `removeToxic` returned could be read while the task was still queued. Here the
/// queued task is the one `loop.run()` has not run yet, and `writeInbound` is that read:
/// the data must meet the toxic set in force when it was sent.
@Suite("Fault ordering")
struct FaultOrderingTests {
    @Test("data read after addToxic returned meets the toxic before the connection was notified")
    func addThenDataBeforeNotification() throws {
        let edge = try EmbeddedEdge()
        #expect(try edge.fromUpstream("before,") == "before,")
        try edge.proxy.addToxic(Toxic(name: "slow", kind: .latency(latency: 100, jitter: 0)))
        // The notification is still queued.
        #expect(try edge.fromUpstream("after") == "")
        edge.advance(ms: 100)
        #expect(try edge.toClient() == "after")
        #expect(edge.isOpen)
    }

    @Test("data read after a timeout was added is dropped before the connection was notified")
    func timeoutThenDataBeforeNotification() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .timeout(timeout: 0), stream: .upstream))
        try edge.proxy.addToxic(Toxic(kind: .timeout(timeout: 0)))
        #expect(try edge.fromClient("swallowed") == "")
        #expect(try edge.fromUpstream("swallowed") == "")
        edge.loop.run()
        #expect(edge.isOpen)
        edge.proxy.removeToxic(named: "timeout_upstream")
        edge.loop.run()
        #expect(!edge.isOpen)  // removing a timeout closes the connection (Toxiproxy)
    }

    @Test("removing a latency before the connection caught up flushes what it holds ahead of new data")
    func latencyRemovedBeforeNotification() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(name: "slow", kind: .latency(latency: 10_000, jitter: 0)))
        #expect(try edge.fromUpstream("slow,") == "")  // held, though not notified yet
        edge.proxy.removeToxic(named: "slow")
        #expect(try edge.fromUpstream("fast") == "slow,fast")
        edge.loop.run()
        #expect(edge.isOpen)
        edge.advance(ms: 20_000)
        #expect(try edge.toClient() == "")  // nothing was left behind to come out later
    }

    @Test("data read after removeToxic(timeout) returned finds the connection closed")
    func timeoutRemovedBeforeNotification() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .timeout(timeout: 0)))
        edge.loop.run()
        edge.proxy.removeToxic(named: "timeout_downstream")
        #expect(try edge.fromUpstream("late") == "")
        #expect(!edge.isOpen)
        edge.loop.run()
    }

    @Test("a toxic added and removed before the connection caught up leaves it untouched")
    func addedAndRemovedMissed() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .timeout(timeout: 0)))
        edge.proxy.removeToxic(named: "timeout_downstream")
        #expect(try edge.fromUpstream("kept") == "kept")
        edge.loop.run()
        #expect(edge.isOpen)
        #expect(edge.connection.upstreamSide.chain.isIdle)
    }

    @Test("an update before the connection caught up applies the new values to the next data")
    func updateBeforeNotification() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(name: "slow", kind: .latency(latency: 1000, jitter: 0)))
        edge.loop.run()
        try edge.proxy.updateToxic(named: "slow", kind: .latency(latency: 10, jitter: 0), toxicity: 1)
        #expect(try edge.fromUpstream("x") == "")
        edge.advance(ms: 10)
        #expect(try edge.toClient() == "x")
    }

    @Test("going down and back up before the connection caught up still closes it")
    func downMissedByConnection() throws {
        let edge = try EmbeddedEdge()
        // What reconcileListener publishes when the proxy goes down, then a later change.
        edge.proxy.state.withLockedValue { state in
            _ = state.toxicsChanged(wentDown: true)
            _ = state.toxicsChanged()
        }
        #expect(try edge.fromClient("refused") == "")
        #expect(!edge.isOpen)
        edge.loop.run()
        #expect(edge.proxy.openConnectionCount == 0)
    }

    @Test("a toxic whose TTL ends on the loop's clock is removed, and the connection forwards again")
    func ttlOnVirtualTime() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .latency(latency: 10_000, jitter: 0)), ttl: .seconds(2))
        #expect(try edge.fromUpstream("held") == "")
        edge.advance(ms: 1999)
        #expect(edge.proxy.toxics.count == 1)
        #expect(try edge.toClient() == "")
        edge.advance(ms: 1)
        #expect(edge.proxy.toxics.isEmpty)
        edge.loop.run()
        #expect(try edge.toClient() == "held")
        #expect(try edge.fromUpstream(",free") == ",free")
    }

    @Test("a stale snapshot delivered late is ignored")
    func staleSnapshotIgnored() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .timeout(timeout: 0)))
        let blackholed = edge.proxy.state.withLockedValue { $0.policySource.current }
        edge.proxy.removeToxic(named: "timeout_downstream")
        edge.loop.run()
        edge.connection.apply(blackholed)
        #expect(try edge.fromUpstream("after") == "after")
        #expect(edge.isOpen)
    }
}
