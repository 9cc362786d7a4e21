import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// An upstream for the tests: echoes every byte; on end of stream, flushes and closes.
/// Counts what it received, so a test can tell when client data reached the upstream.
struct EchoServer {
    struct Counters {
        /// Connections this server has accepted.
        var accepted = 0
        /// Connections this server has seen closed.
        var closed = 0
        /// Bytes read from all connections.
        var receivedBytes = 0
        /// When the first byte arrived.
        var firstByteAt: ContinuousClock.Instant?
    }

    let channel: Channel
    let counters: NIOLockedValueBox<Counters>
    var port: Int { self.channel.localAddress!.port! }
    var closedConnections: Int { self.counters.withLockedValue { $0.closed } }
    var acceptedConnections: Int { self.counters.withLockedValue { $0.accepted } }
    var receivedBytes: Int { self.counters.withLockedValue { $0.receivedBytes } }

    static func start() async throws -> EchoServer {
        let counters = NIOLockedValueBox(Counters())
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // A fixed 4 MiB send buffer (the kernel doubles it): a few MB of echo fit in
            // flight, so the server can finish while a slow client has not read them yet.
            .childChannelOption(.socketOption(.so_sndbuf), value: 4 << 20)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(counters: counters))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return EchoServer(channel: channel, counters: counters)
    }

    /// Waits until the server has read `count` bytes in all.
    func waitForBytes(_ count: Int, within timeout: Duration = .seconds(5)) async throws {
        try await waitUntil(within: timeout, "upstream received \(count) bytes (has \(self.receivedBytes))") {
            self.receivedBytes >= count
        }
    }

    func stop() async {
        try? await self.channel.close()
    }
}

private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let counters: NIOLockedValueBox<EchoServer.Counters>

    init(counters: NIOLockedValueBox<EchoServer.Counters>) {
        self.counters = counters
    }

    func channelActive(context: ChannelHandlerContext) {
        self.counters.withLockedValue { $0.accepted += 1 }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.counters.withLockedValue { $0.closed += 1 }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = Self.unwrapInboundIn(data).readableBytes
        let now = ContinuousClock.now
        self.counters.withLockedValue { counters in
            counters.receivedBytes += count
            if counters.firstByteAt == nil, count > 0 { counters.firstByteAt = now }
        }
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case .some(.inputClosed) = event as? ChannelEvent else { return }
        let empty = context.channel.allocator.buffer(capacity: 0)
        context.writeAndFlush(Self.wrapOutboundOut(empty)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
