import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A loopback TCP client for the tests. Collects what it receives; every wait has a deadline.
struct TestClient {
    struct Received {
        var bytes: [UInt8] = []
        /// The peer half-closed (EOF read).
        var endOfStream = false
        /// The channel is closed (EOF with error, reset, or closed by us).
        var closed = false
        var isFinished: Bool { self.endOfStream || self.closed }
    }

    struct Timeout: Error, CustomStringConvertible {
        let description: String
    }

    let channel: Channel
    let received: NIOLockedValueBox<Received>

    /// With `reading: false` the client reads nothing until `startReading()`, so the proxy
    /// meets a slow consumer and must apply backpressure.
    /// `receiveBuffer` shrinks the socket's receive buffer (SO_RCVBUF) so little fits in flight.
    static func connect(port: Int, reading: Bool = true, receiveBuffer: Int? = nil) async throws -> TestClient {
        let received = NIOLockedValueBox(Received())
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let receiveBuffer {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBuffer))
        }
        let channel = try await bootstrap
            .channelOption(.autoRead, value: reading)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CollectingHandler(received: received))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return TestClient(channel: channel, received: received)
    }

    func send(_ text: String) async throws {
        try await self.send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(self.channel.allocator.buffer(bytes: bytes))
    }

    /// Half-closes our output (the peer reads EOF).
    func halfClose() async throws {
        try await self.channel.close(mode: .output)
    }

    func startReading() async throws {
        try await self.channel.setOption(.autoRead, value: true).get()
    }

    func close() async {
        try? await self.channel.close()
    }

    var bytes: [UInt8] { self.received.withLockedValue { $0.bytes } }
    var text: String { String(decoding: self.bytes, as: UTF8.self) }
    var isFinished: Bool { self.received.withLockedValue { $0.isFinished } }

    /// Waits until `count` bytes have arrived in all.
    func waitForBytes(_ count: Int, within timeout: Duration = .seconds(5)) async throws {
        try await waitUntil(within: timeout, "\(count) bytes (have \(self.bytes.count))") {
            self.received.withLockedValue { $0.bytes.count >= count }
        }
    }

    /// Waits until the peer ends the stream or the connection closes.
    func waitForEnd(within timeout: Duration = .seconds(5)) async throws {
        try await waitUntil(within: timeout, "end of stream") { self.isFinished }
    }

    /// Sends `text` and waits for the echo; returns the round-trip time.
    func roundTrip(_ text: String, within timeout: Duration = .seconds(5)) async throws -> Duration {
        let expected = self.bytes.count + text.utf8.count
        let start = ContinuousClock.now
        try await self.send(text)
        try await self.waitForBytes(expected, within: timeout)
        return ContinuousClock.now - start
    }
}

/// Polls `condition` until it holds; throws `TestClient.Timeout` after `timeout`.
func waitUntil(
    within timeout: Duration, _ what: @autoclosure () -> String = "condition",
    _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TestClient.Timeout(description: "timed out waiting for \(what())") }
        try await Task.sleep(for: .milliseconds(5))
    }
}

private final class CollectingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let received: NIOLockedValueBox<TestClient.Received>

    init(received: NIOLockedValueBox<TestClient.Received>) {
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = Self.unwrapInboundIn(data)
        self.received.withLockedValue { $0.bytes.append(contentsOf: buffer.readableBytesView) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(.inputClosed) = event as? ChannelEvent {
            self.received.withLockedValue { $0.endOfStream = true }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.received.withLockedValue { $0.closed = true }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
