import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// An upstream for the tests: echoes every byte; on end of stream, flushes and closes.
struct EchoServer {
    let channel: Channel
    let closed: NIOLockedValueBox<Int>
    var port: Int { self.channel.localAddress!.port! }
    /// Connections this server has closed (after echoing everything).
    var closedConnections: Int { self.closed.withLockedValue { $0 } }

    static func start() async throws -> EchoServer {
        let closed = NIOLockedValueBox(0)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            // A fixed 4 MiB send buffer (the kernel doubles it): a few MB of echo fit in
            // flight, so the server can finish while a slow client has not read them yet.
            .childChannelOption(.socketOption(.so_sndbuf), value: 4 << 20)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(closed: closed))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return EchoServer(channel: channel, closed: closed)
    }

    func stop() async {
        try? await self.channel.close()
    }
}

private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let closed: NIOLockedValueBox<Int>

    init(closed: NIOLockedValueBox<Int>) {
        self.closed = closed
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed.withLockedValue { $0 += 1 }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
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
