import NIOCore
import NIOEmbedded
import Testing

@testable import FaultProxy

/// The glue on a virtual clock, without a proxy: a `ProxyConnection` between two embedded
/// channels on one `EmbeddedEventLoop`, fed toxics through its `PolicySource`.
@Suite("GlueHandler")
struct GlueHandlerTests {
    final class Rig {
        let loop = EmbeddedEventLoop()
        let client: EmbeddedChannel
        let upstream: EmbeddedChannel
        let source = PolicySource()
        let stats = ProxyStats()
        var toxics: [ToxicSetting] = []
        var connection: ProxyConnection!

        init(_ toxics: [Toxic]) throws {
            self.client = EmbeddedChannel(loop: self.loop)
            self.upstream = EmbeddedChannel(loop: self.loop)
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
            try self.client.connect(to: address).wait()
            try self.upstream.connect(to: address).wait()
            for toxic in toxics { self.add(toxic) }
            var rng = SplitMix64(seed: 1)
            self.connection = ProxyConnection(
                client: self.client, upstream: self.upstream, policySource: self.source, stats: self.stats, rng: &rng)
            try self.connection.install()
        }

        deinit {
            self.connection.close()
            _ = try? self.client.finish(acceptAlreadyClosed: true)
            _ = try? self.upstream.finish(acceptAlreadyClosed: true)
            self.loop.run()
            try? self.loop.syncShutdownGracefully()
        }

        /// Publishes `toxic` (as the proxy does); the connection sees it on its next event.
        func add(_ toxic: Toxic) {
            self.toxics.append(ToxicSetting(toxic: toxic, version: UInt64(self.toxics.count + 1)))
            self.source.publish(toxics: self.toxics)
        }

        func removeAll(wentDown: Bool = false) {
            self.toxics = []
            self.source.publish(toxics: [], wentDown: wentDown)
        }

        func sentToClient() throws -> [String] { try EmbeddedEdge.drain(self.client) }
        func sentUpstream() throws -> [String] { try EmbeddedEdge.drain(self.upstream) }
    }

    @Test("with no toxic a chunk is written as it is, and counted")
    func passThrough() throws {
        let rig = try Rig([])
        #expect(rig.connection.upstreamSide.chain.isIdle)
        try rig.upstream.writeInbound(ByteBuffer(string: "down"))
        try rig.client.writeInbound(ByteBuffer(string: "up!"))
        #expect(try rig.sentToClient() == ["down"])
        #expect(try rig.sentUpstream() == ["up!"])
        #expect(rig.stats.downstreamBytes == 4)
        #expect(rig.stats.upstreamBytes == 3)
        #expect(rig.stats.totalConnections == 0)  // counted by the proxy, not the connection
    }

    @Test("latency holds chunks until due, in order, and the end comes after them")
    func latencyThenEnd() throws {
        let rig = try Rig([Toxic(kind: .latency(latency: 200, jitter: 0))])
        try rig.upstream.writeInbound(ByteBuffer(string: "one"))
        rig.loop.advanceTime(by: .milliseconds(100))
        try rig.upstream.writeInbound(ByteBuffer(string: "two"))
        rig.upstream.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(try rig.sentToClient().isEmpty)

        rig.loop.advanceTime(by: .milliseconds(100))
        #expect(try rig.sentToClient() == ["one"])
        #expect(rig.client.isActive)

        rig.loop.advanceTime(by: .milliseconds(100))
        #expect(try rig.sentToClient() == ["two"])
        #expect(!rig.client.isActive)  // the output was shut after "two" (embedded: full close)
    }

    @Test("held data still drains to the client after the upstream channel closed")
    func drainsAfterUpstreamClosed() throws {
        let rig = try Rig([Toxic(kind: .latency(latency: 100, jitter: 0))])
        try rig.upstream.writeInbound(ByteBuffer(string: "last words"))
        try rig.upstream.close().wait()  // no inputClosed event: the channel is just gone
        rig.loop.run()
        #expect(rig.client.isActive)
        rig.loop.advanceTime(by: .milliseconds(100))
        #expect(try rig.sentToClient() == ["last words"])
        #expect(!rig.client.isActive)
        #expect(rig.connection.isClosed)
    }

    @Test("removing the latency delivers held chunks at once; a stale snapshot is ignored")
    func removalFlushes() throws {
        let rig = try Rig([Toxic(kind: .latency(latency: 10_000, jitter: 0))])
        try rig.upstream.writeInbound(ByteBuffer(string: "queued"))
        #expect(try rig.sentToClient().isEmpty)
        let stale = rig.source.current
        rig.removeAll()
        rig.connection.refresh()
        #expect(try rig.sentToClient() == ["queued"])
        rig.connection.apply(stale)  // stale: ignored
        try rig.upstream.writeInbound(ByteBuffer(string: "direct"))
        #expect(try rig.sentToClient() == ["direct"])
        rig.loop.advanceTime(by: .seconds(20))
        #expect(try rig.sentToClient().isEmpty)
    }

    @Test("removing a timeout closes the connection")
    func timeoutRemoval() throws {
        let rig = try Rig([Toxic(kind: .timeout(timeout: 0))])
        try rig.upstream.writeInbound(ByteBuffer(string: "lost"))
        #expect(try rig.sentToClient().isEmpty)
        rig.removeAll()
        rig.connection.refresh()
        #expect(!rig.client.isActive)
        #expect(!rig.upstream.isActive)
    }

    @Test("the proxy going down closes the connection")
    func wentDown() throws {
        let rig = try Rig([])
        rig.removeAll(wentDown: true)
        try rig.upstream.writeInbound(ByteBuffer(string: "late"))
        #expect(try rig.sentToClient().isEmpty)
        #expect(rig.connection.isClosed)
        #expect(!rig.client.isActive)
    }

    @Test("a close let out by limit_data comes after the data before it")
    func limitDataClose() throws {
        let rig = try Rig([Toxic(kind: .limitData(bytes: 3))])
        try rig.upstream.writeInbound(ByteBuffer(string: "abcdef"))
        rig.loop.run()
        #expect(try rig.sentToClient() == ["abc"])
        #expect(rig.connection.isClosed)
        #expect(!rig.client.isActive && !rig.upstream.isActive)
    }

    @Test("a reset closes both channels and drops what is held")
    func reset() throws {
        let rig = try Rig([
            Toxic(kind: .latency(latency: 1000, jitter: 0)),
            Toxic(name: "rst", kind: .resetPeer(timeout: 0), stream: .upstream),
        ])
        try rig.upstream.writeInbound(ByteBuffer(string: "held"))
        try rig.client.writeInbound(ByteBuffer(string: "trigger"))
        rig.loop.run()
        #expect(rig.connection.isClosed)
        #expect(!rig.client.isActive && !rig.upstream.isActive)
        rig.loop.advanceTime(by: .seconds(2))
        #expect(try rig.sentToClient().isEmpty)
        #expect(try rig.sentUpstream().isEmpty)
    }

    @Test("a wake-up armed for a later time is moved earlier when a new toxic holds something due sooner")
    func rearmEarlier() throws {
        let rig = try Rig([Toxic(name: "slow", kind: .latency(latency: 1000, jitter: 0))])
        try rig.upstream.writeInbound(ByteBuffer(string: "a"))
        #expect(rig.connection.upstreamSide.armedFor == .uptimeNanoseconds(1_000_000_000))
        rig.add(Toxic(name: "fast", kind: .latency(latency: 10, jitter: 0), stream: .upstream))
        rig.add(Toxic(kind: .timeout(timeout: 50)))
        rig.connection.refresh()
        #expect(rig.connection.upstreamSide.armedFor == .uptimeNanoseconds(50_000_000))
        rig.loop.advanceTime(by: .milliseconds(50))
        #expect(rig.connection.isClosed)  // the timeout fired at 50 ms, not at 1 s
    }
}
