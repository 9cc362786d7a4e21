import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// FaultProxy forwards TCP connections for one dependency edge of the demo shop
/// (e.g. "storefront-ads") and injects network faults into them on demand: Toxiproxy's
/// toxics, and going down (listener closed, connections closed, new ones refused).
///
/// Thread-safe: every method may be called from any thread or task.
public final class FaultProxy: Sendable {
    /// The proxy's name (the edge name for the sandbox's proxies), used in errors.
    public let name: String
    let group: any EventLoopGroup
    let state: NIOLockedValueBox<ProxyState>
    /// Traffic counters, for `/metrics`.
    public let stats = ProxyStats()
    /// Forwards on the fast path while no toxic is in force (else always through the chain).
    let usesFastPath: Bool
    /// How long connecting to the upstream may take before the client's connection is closed.
    let connectTimeout: TimeAmount

    /// Creates a proxy; nothing listens until `start()`.
    /// - Parameters:
    ///   - listenPort: 0 picks a free port; read the real one from `listenPort` after `start()`.
    ///   - upstreamPort: nil leaves the upstream unset: connections are closed until `setUpstream`.
    ///   - seed: seeds toxicity draws, jitter and slice sizes; nil draws one at random.
    ///   - fastPath: while no toxic is in force, forward outside NIO's channel pipeline (see
    ///     `FastLane`); a toxic added moves open connections to the toxic chain from their next byte.
    public init(
        name: String,
        listenHost: String = "127.0.0.1",
        listenPort: Int = 0,
        upstreamHost: String = "127.0.0.1",
        upstreamPort: Int?,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        seed: UInt64? = nil,
        fastPath: Bool = FaultProxy.fastPathByDefault,
        connectTimeout: TimeAmount = .seconds(5)
    ) {
        self.name = name
        self.usesFastPath = fastPath
        self.connectTimeout = connectTimeout
        self.group = group
        let upstream = upstreamPort.map { (host: upstreamHost, port: $0) }
        self.state = NIOLockedValueBox(
            ProxyState(listenHost: listenHost, listenPort: listenPort, upstream: upstream, seed: seed ?? .random(in: .min ... .max)))
    }

    public var listenHost: String { self.state.withLockedValue { $0.listenHost } }

    /// The bound port once started (also when 0 was asked; kept while down), else the requested one.
    public var listenPort: Int { self.state.withLockedValue { $0.listenPort } }

    /// "HOST:PORT" clients connect to.
    public var listenAddress: String {
        self.state.withLockedValue { "\($0.listenHost):\($0.listenPort)" }
    }

    /// "HOST:PORT" of the upstream, or "" if unset.
    public var upstream: String {
        self.state.withLockedValue { state in state.upstream.map { "\($0.host):\($0.port)" } ?? "" }
    }

    /// Sets where new connections go (services restart on new ports); open connections stay.
    public func setUpstream(host: String, port: Int) {
        self.state.withLockedValue { $0.upstream = (host, port) }
    }

    /// Connections currently proxied.
    public var openConnectionCount: Int {
        self.state.withLockedValue { $0.connections.count }
    }

    /// Open connections forwarded on the fast path at this moment; the others run through the
    /// toxic chain (or are on their way from one to the other).
    public var fastPathConnectionCount: Int {
        let handles = self.state.withLockedValue { Array($0.connections.values) }
        return handles.filter(\.isOnFastPath).count
    }

    /// Whether the proxy is listening (started, not down, not stopped).
    public var isListening: Bool {
        self.state.withLockedValue { $0.isListening }
    }

    /// Binds the listener (unless the proxy was disabled before it started).
    /// Throws `FaultProxyError.addressInUse` if the port is taken.
    public func start() async throws {
        let bind = try self.state.withLockedValue { state -> Bool in
            guard case .idle = state.phase else { throw FaultProxyError.alreadyStarted(edge: self.name) }
            state.phase = state.wantsUp ? .binding : .down
            return state.wantsUp
        }
        guard bind else { return }
        do {
            try await self.bindListener()
        } catch {
            self.state.withLockedValue { $0.phase = .idle }
            throw error
        }
    }

    /// Closes the listener and every connection, removes all toxics and cancels their timers.
    public func stop() async {
        let (listener, connections) = self.state.withLockedValue { state in
            var listener: Channel?
            if case .running(let channel) = state.phase { listener = channel }
            state.phase = .stopped
            state.expiryTimers.values.forEach { $0.cancel() }
            state.expiryTimers.removeAll()
            state.refusalTimers.values.forEach { $0.cancel() }
            state.refusalTimers.removeAll()
            state.refusals.removeAll()
            if !state.toxics.isEmpty {
                state.toxics.removeAll()
                _ = state.toxicsChanged()  // publish; the connections are closed below
            }
            let connections = Array(state.connections.values)
            state.connections.removeAll()
            return (listener, connections)
        }
        try? await listener?.close()
        for connection in connections {
            try? await connection.close().get()
        }
    }
}
