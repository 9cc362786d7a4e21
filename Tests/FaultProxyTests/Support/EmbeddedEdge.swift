import NIOCore
import NIOEmbedded

@testable import FaultProxy

/// A real `FaultProxy` whose one connection is glued between two embedded channels on
/// an `EmbeddedEventLoop`: toxics, wake-ups and TTL timers all run on virtual time.
///
/// `client` is the proxy's client-side channel: `writeInbound` on it is the client
/// sending, `readOutbound` what the proxy wrote to the client. `upstream` likewise.
/// The proxy is never started (no socket): it is marked listening with a stand-in
/// listener channel, so that it accepts the glued connection.
///
/// Not thread-safe, like the loop: create and use it within one synchronous test.
final class EmbeddedEdge {
    let loop = EmbeddedEventLoop()
    let client: EmbeddedChannel
    let upstream: EmbeddedChannel
    let proxy: FaultProxy

    init(seed: UInt64 = 42) throws {
        self.client = EmbeddedChannel(loop: self.loop)
        self.upstream = EmbeddedChannel(loop: self.loop)
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        try self.client.connect(to: address).wait()
        try self.upstream.connect(to: address).wait()
        self.proxy = FaultProxy(name: "storefront-ads", upstreamPort: 1, group: self.loop, seed: seed, fastPath: false)
        let listener = EmbeddedChannel(loop: self.loop)
        self.proxy.state.withLockedValue { $0.phase = .running(listener) }
        try self.proxy.glue(client: self.client, upstream: self.upstream)
        self.loop.run()
    }

    /// Closes the channels and cancels every timer, so that the loop can be freed (an
    /// `EmbeddedEventLoop` must not hold unexecuted tasks when it goes).
    deinit {
        self.proxy.state.withLockedValue { state in
            state.expiryTimers.values.forEach { $0.cancel() }
            state.expiryTimers.removeAll()
            if case .running(let listener) = state.phase {
                listener.close(promise: nil)
            }
            state.phase = .stopped
        }
        let handles = self.proxy.state.withLockedValue { Array($0.connections.values) }
        for handle in handles { handle.chainConnection?.value.close() }
        _ = try? self.client.finish(acceptAlreadyClosed: true)
        _ = try? self.upstream.finish(acceptAlreadyClosed: true)
        self.loop.run()
        try? self.loop.syncShutdownGracefully()
    }

    /// The connection's state machine.
    var connection: ProxyConnection {
        self.proxy.state.withLockedValue { $0.connections.values.first! }.chainConnection!.value
    }

    var now: NIODeadline { self.loop.now }

    /// The client sends `text`; returns what reached the upstream at once.
    func fromClient(_ text: String) throws -> String {
        try self.client.writeInbound(ByteBuffer(string: text))
        return try self.toUpstream()
    }

    /// The upstream sends `text`; returns what reached the client at once.
    func fromUpstream(_ text: String) throws -> String {
        try self.upstream.writeInbound(ByteBuffer(string: text))
        return try self.toClient()
    }

    /// The upstream half-closes its side (EOF towards the proxy).
    func upstreamEnds() {
        self.upstream.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    /// The client half-closes its side.
    func clientEnds() {
        self.client.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    /// Everything the proxy wrote to the client since the last call, as one string.
    func toClient() throws -> String { try Self.drain(self.client).joined() }

    /// Everything the proxy wrote upstream since the last call, as one string.
    func toUpstream() throws -> String { try Self.drain(self.upstream).joined() }

    /// The chunks the proxy wrote to the client since the last call, one per write.
    func chunksToClient() throws -> [String] { try Self.drain(self.client) }

    func chunksToUpstream() throws -> [String] { try Self.drain(self.upstream) }

    static func drain(_ channel: EmbeddedChannel) throws -> [String] {
        var chunks: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            if buffer.readableBytes > 0 { chunks.append(String(buffer: buffer)) }
        }
        return chunks
    }

    /// Advances virtual time by `milliseconds`, running every wake-up that falls due.
    func advance(ms milliseconds: Int64) {
        self.loop.advanceTime(by: .milliseconds(milliseconds))
    }

    var isOpen: Bool { self.client.isActive && self.upstream.isActive }
}

/// A point on the virtual clock, `milliseconds` after the loop's epoch (0).
func ms(_ milliseconds: Int64) -> NIODeadline {
    .uptimeNanoseconds(UInt64(milliseconds) * 1_000_000)
}

/// A point on the virtual clock, `microseconds` after the epoch.
func micros(_ microseconds: Int64) -> NIODeadline {
    .uptimeNanoseconds(UInt64(microseconds) * 1_000)
}

/// Helpers to drive a bare `ToxicChain` on exact times.
extension ToxicChain {
    /// A chain running `toxics` (in order), started at `now`.
    static func running(_ toxics: [Toxic], seed: UInt64 = 1, at now: NIODeadline = ms(0)) -> ToxicChain {
        var chain = ToxicChain(rng: SplitMix64(seed: seed))
        _ = chain.reconfigure(to: toxics.enumerated().map { ToxicSetting(toxic: $1, version: UInt64($0 + 1)) }, now: now)
        return chain
    }

    mutating func receive(_ text: String, at now: NIODeadline) -> [ChainItem] {
        self.receive(.data(ByteBuffer(string: text)), now: now)
    }
}

extension ChainItem {
    /// The text of a data item; "<end>", "<close>", "<reset>" for the others.
    var text: String {
        switch self {
        case .data(let buffer): String(buffer: buffer)
        case .end: "<end>"
        case .close: "<close>"
        case .reset: "<reset>"
        }
    }
}

extension Array where Element == ChainItem {
    var texts: [String] { self.map(\.text) }
}

/// A byte buffer of `count` bytes "0123456789012...".
func digits(_ count: Int) -> String {
    String((0..<count).map { Character(String($0 % 10)) })
}
