import NIOCore
import NIOEmbedded
import Testing

@testable import FaultProxy

/// The glue on a virtual clock: two embedded channels on one `EmbeddedEventLoop`.
@Suite("GlueHandler")
struct GlueHandlerTests {
    let loop = EmbeddedEventLoop()
    let client: EmbeddedChannel
    let upstream: EmbeddedChannel

    init() throws {
        self.client = EmbeddedChannel(loop: self.loop)
        self.upstream = EmbeddedChannel(loop: self.loop)
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        try self.client.connect(to: address).wait()
        try self.upstream.connect(to: address).wait()
    }

    /// The proxy's side of the policy: publish to it, then `refresh()` the connection.
    let faults = PolicySource()

    func glue(_ policy: FaultPolicy) throws -> ProxyConnection {
        if policy != .passThrough { self.faults.publish(policy) }
        var rng = SplitMix64(seed: 1)
        let connection = ProxyConnection(client: client, upstream: upstream, policySource: self.faults, rng: &rng)
        try connection.install()
        return connection
    }

    func sentToClient() throws -> [String] {
        var chunks: [String] = []
        while let buffer = try self.client.readOutbound(as: ByteBuffer.self) {
            if buffer.readableBytes > 0 { chunks.append(String(buffer: buffer)) }
        }
        return chunks
    }

    @Test("latency holds chunks until due, in order, and the end comes after them")
    func latencyThenEnd() throws {
        var policy = FaultPolicy()
        policy.latency = LatencyToxic(latency: .milliseconds(200), jitter: .zero)
        let connection = try glue(policy)

        try self.upstream.writeInbound(ByteBuffer(string: "one"))
        self.loop.advanceTime(by: .milliseconds(100))
        try self.upstream.writeInbound(ByteBuffer(string: "two"))
        self.upstream.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(try sentToClient().isEmpty)

        self.loop.advanceTime(by: .milliseconds(100))
        #expect(try sentToClient() == ["one"])
        #expect(self.client.isActive)

        self.loop.advanceTime(by: .milliseconds(100))
        #expect(try sentToClient() == ["two"])
        #expect(!self.client.isActive)  // the output was shut after "two" (embedded: full close)
        _ = connection
    }

    @Test("lifting a blackhole closes a connection that lost data")
    func blackholeLift() throws {
        var blackhole = FaultPolicy()
        blackhole.blackhole = true
        let connection = try glue(blackhole)
        try self.upstream.writeInbound(ByteBuffer(string: "lost"))
        #expect(try sentToClient().isEmpty)

        self.faults.publish(.passThrough)
        connection.refresh()
        #expect(!self.client.isActive)
        #expect(!self.upstream.isActive)
    }

    @Test("removing the latency delivers queued chunks at once")
    func removalFlushes() throws {
        var policy = FaultPolicy()
        policy.latency = LatencyToxic(latency: .seconds(10), jitter: .zero)
        let connection = try glue(policy)
        try self.upstream.writeInbound(ByteBuffer(string: "queued"))
        #expect(try sentToClient().isEmpty)
        let stale = self.faults.current
        self.faults.publish(.passThrough)
        connection.refresh()
        #expect(try sentToClient() == ["queued"])
        connection.apply(stale)  // stale: ignored
        try self.upstream.writeInbound(ByteBuffer(string: "direct"))
        #expect(try sentToClient() == ["direct"])
    }
}
