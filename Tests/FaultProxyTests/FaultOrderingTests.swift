import NIOCore
import NIOEmbedded
import Testing

@testable import FaultProxy

/// Faults changing while data flows, made deterministic: a real `FaultProxy` whose
/// connection is glued between two embedded channels on one `EmbeddedEventLoop`.
///
/// `addFault`/`removeFault` notify open connections with an event-loop task, and a real
/// NIO loop handles pending I/O before its tasks. So under load bytes the client sent
/// after `removeFault` returned could be read while the task was still queued. Here the
/// queued task is the one `loop.run()` has not run yet, and `writeInbound` is that read.
@Suite("Fault ordering")
struct FaultOrderingTests {
    let loop = EmbeddedEventLoop()
    let client: EmbeddedChannel
    let upstream: EmbeddedChannel
    let proxy: FaultProxy

    init() throws {
        self.client = EmbeddedChannel(loop: self.loop)
        self.upstream = EmbeddedChannel(loop: self.loop)
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        try self.client.connect(to: address).wait()
        try self.upstream.connect(to: address).wait()
        // Never started: only its fault state and connection registry are used. TTL timers
        // land on the embedded loop, whose virtual clock the tests do not advance.
        self.proxy = FaultProxy(name: "storefront-ads", upstreamPort: 1, group: self.loop, seed: 42)
        try self.proxy.glue(client: self.client, upstream: self.upstream)
        self.loop.run()
    }

    /// The client sends `text`; returns what reached the upstream.
    func fromClient(_ text: String) throws -> String {
        try self.client.writeInbound(ByteBuffer(string: text))
        return try Self.drain(self.upstream)
    }

    /// The upstream sends `text`; returns what reached the client.
    func fromUpstream(_ text: String) throws -> String {
        try self.upstream.writeInbound(ByteBuffer(string: text))
        return try Self.drain(self.client)
    }

    static func drain(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    var isOpen: Bool { self.client.isActive && self.upstream.isActive }

    @Test("data sent after removeFault returned is forwarded before the connection was notified")
    func liftThenDataBeforeNotification() throws {
        #expect(try fromClient("before") == "before")
        #expect(try fromUpstream("before") == "before")

        let fault = proxy.addFault(.blackhole, ttl: .seconds(30))
        loop.run()  // the connection is notified: it is blackholed
        #expect(proxy.removeFault(id: fault.id))
        // The notification of the removal is still queued when "after" is read.
        #expect(try fromClient("after") == "after")
        #expect(try fromUpstream("after") == "after")
        loop.run()
        #expect(isOpen)  // it lost nothing
        #expect(proxy.openConnectionCount == 1)
        #expect(try fromClient("more") == "more")
    }

    @Test("data sent after addFault returned is blackholed before the connection was notified")
    func faultThenDataBeforeNotification() throws {
        let fault = proxy.addFault(.blackhole, ttl: .seconds(30))
        #expect(try fromClient("swallowed") == "")
        #expect(try fromUpstream("swallowed") == "")
        loop.run()
        #expect(isOpen)
        proxy.removeFault(id: fault.id)
        loop.run()
        #expect(!isOpen)  // it lost data: lifting the blackhole closes it
    }

    @Test("a blackhole lifted and applied again before the connection caught up still closes it if it lost data")
    func liftMissedByConnection() throws {
        let first = proxy.addFault(.blackhole, ttl: .seconds(30))
        loop.run()
        #expect(try fromClient("lost") == "")
        proxy.removeFault(id: first.id)
        proxy.addFault(.blackhole, ttl: .seconds(30))
        loop.run()  // both notifications find the newest snapshot: blackholed again
        #expect(!isOpen)
    }

    @Test("a blackhole applied and lifted before the connection caught up leaves it untouched")
    func blackholeMissedByConnection() throws {
        let fault = proxy.addFault(.blackhole, ttl: .seconds(30))
        proxy.removeFault(id: fault.id)
        #expect(try fromClient("kept") == "kept")
        loop.run()
        #expect(isOpen)
    }

    @Test("a refuse applied and removed before the connection caught up still closes it")
    func refuseMissedByConnection() throws {
        let fault = proxy.addFault(.refuse, ttl: .seconds(30))
        proxy.removeFault(id: fault.id)
        loop.run()
        #expect(!isOpen)
        #expect(proxy.openConnectionCount == 0)
    }

    @Test("data read after a refuse was added closes the connection at once")
    func refuseThenDataBeforeNotification() throws {
        proxy.addFault(.refuse, ttl: .seconds(30))
        #expect(try fromClient("refused") == "")
        #expect(!isOpen)
        loop.run()
    }

    @Test("removing a latency before the connection caught up flushes the queue ahead of new data")
    func latencyRemovedBeforeNotification() throws {
        let fault = proxy.addFault(.latency(latency: .seconds(10), jitter: .zero), ttl: .seconds(30))
        #expect(try fromUpstream("slow,") == "")  // queued, though not notified yet
        proxy.removeFault(id: fault.id)
        #expect(try fromUpstream("fast") == "slow,fast")
        loop.run()
        #expect(isOpen)
    }

    @Test("removeAllFaults lifts every fault for data read before the notification")
    func removeAllBeforeNotification() throws {
        proxy.addFault(.blackhole, ttl: .seconds(30))
        proxy.addFault(.latency(latency: .seconds(10), jitter: .zero), ttl: .seconds(30))
        loop.run()
        proxy.removeAllFaults()
        #expect(try fromClient("up") == "up")
        #expect(try fromUpstream("down") == "down")
        loop.run()
        #expect(isOpen)
    }

    @Test("a stale snapshot delivered late is ignored")
    func staleSnapshotIgnored() throws {
        let fault = proxy.addFault(.blackhole, ttl: .seconds(30))
        let blackholed = proxy.state.withLockedValue { $0.policySource.current }
        proxy.removeFault(id: fault.id)
        loop.run()
        let connection = try #require(proxy.state.withLockedValue { $0.connections.values.first })
        connection.connection.value.apply(blackholed)
        #expect(try fromClient("after") == "after")
        #expect(isOpen)
    }
}
