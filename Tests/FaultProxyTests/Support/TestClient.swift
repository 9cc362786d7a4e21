import NIOConcurrencyHelpers
import TestSupport
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback TCP client for the tests. Collects what it receives, when, and how it ended;
/// every wait has a deadline.
struct TestClient {
    struct Received {
        var bytes: [UInt8] = []
        /// How many reads delivered data (a slicer shows up as many reads).
        var reads = 0
        /// The peer half-closed (EOF read).
        var endOfStream = false
        /// The channel is closed (EOF with error, reset, or closed by us).
        var closed = false
        /// Errors the channel reported, and the errno of those that carry one (a reset
        /// shows up as ECONNRESET).
        var errors: [String] = []
        var errnoCodes: [CInt] = []
        var firstByteAt: ContinuousClock.Instant?
        /// When the peer's end of stream or the close was seen.
        var endedAt: ContinuousClock.Instant?
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
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CollectingHandler(received: received))
                }
            }
            .connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port))
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

    var snapshot: Received { self.received.withLockedValue { $0 } }
    var bytes: [UInt8] { self.received.withLockedValue { $0.bytes } }
    var text: String { String(decoding: self.bytes, as: UTF8.self) }
    var isFinished: Bool { self.received.withLockedValue { $0.isFinished } }
    var reads: Int { self.received.withLockedValue { $0.reads } }

    /// Whether the connection ended with "connection reset by peer".
    var wasReset: Bool {
        self.received.withLockedValue { received in
            received.errnoCodes.contains(ECONNRESET)
        }
    }

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

    /// Round-trip times of `count` pings, one after the other.
    func roundTrips(_ count: Int) async throws -> [Duration] {
        var times: [Duration] = []
        for index in 0..<count { times.append(try await self.roundTrip("ping\(index % 10)...")) }
        return times
    }

    /// The fastest of `count` round trips: robust against a busy machine.
    func bestRoundTrip(of count: Int) async throws -> Duration {
        try await self.roundTrips(count).min()!
    }
}

/// Polls `condition` until it holds; throws `TestClient.Timeout` after `timeout`.
func waitUntil(
    within timeout: Duration, _ what: @autoclosure () -> String = "condition",
    _ condition: () -> Bool
) async throws {
    guard await eventually(within: timeout, every: .milliseconds(5), condition) else {
        throw TestClient.Timeout(description: "timed out waiting for \(what())")
    }
}

/// Whether a new connection to `port` on 127.0.0.1 is refused by the kernel (nothing
/// listens). Other outcomes (accepted, other errors) are false.
func connectionRefused(port: Int) async -> Bool {
    do {
        let client = try await TestClient.connect(port: port)
        await client.close()
        return false
    } catch let error as IOError {
        return error.errnoCode == ECONNREFUSED
    } catch {
        return false
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
        let now = ContinuousClock.now
        self.received.withLockedValue { received in
            guard buffer.readableBytes > 0 else { return }
            received.bytes.append(contentsOf: buffer.readableBytesView)
            received.reads += 1
            if received.firstByteAt == nil { received.firstByteAt = now }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(.inputClosed) = event as? ChannelEvent {
            let now = ContinuousClock.now
            self.received.withLockedValue { received in
                received.endOfStream = true
                if received.endedAt == nil { received.endedAt = now }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let now = ContinuousClock.now
        self.received.withLockedValue { received in
            received.closed = true
            if received.endedAt == nil { received.endedAt = now }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        self.received.withLockedValue { received in
            received.errors.append("\(error)")
            if let error = error as? IOError { received.errnoCodes.append(error.errnoCode) }
        }
        context.close(promise: nil)
    }
}
