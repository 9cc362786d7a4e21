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
/// (e.g. "storefront-ads") and injects network faults into them on demand.
///
/// Thread-safe: every method may be called from any thread or task.
public final class FaultProxy: Sendable {
    /// The edge name, used in errors.
    public let name: String
    public let listenHost: String
    let requestedPort: Int
    let group: any EventLoopGroup
    let state: NIOLockedValueBox<ProxyState>

    /// Creates a proxy; nothing listens until `start()`.
    /// - Parameters:
    ///   - listenPort: 0 picks a free port; read the real one from `listenPort` after `start()`.
    ///   - upstreamPort: nil leaves the upstream unset: connections are closed until `setUpstream`.
    ///   - seed: seeds the jitter; nil draws one at random.
    public init(
        name: String,
        listenHost: String = "127.0.0.1",
        listenPort: Int = 0,
        upstreamHost: String = "127.0.0.1",
        upstreamPort: Int?,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        seed: UInt64? = nil
    ) {
        self.name = name
        self.listenHost = listenHost
        self.requestedPort = listenPort
        self.group = group
        let upstream = upstreamPort.map { (host: upstreamHost, port: $0) }
        self.state = NIOLockedValueBox(ProxyState(upstream: upstream, seed: seed ?? .random(in: .min ... .max)))
    }

    /// The bound port once started (also when 0 was asked), else the requested one.
    public var listenPort: Int {
        self.state.withLockedValue { $0.boundPort } ?? self.requestedPort
    }

    /// "HOST:PORT" clients connect to.
    public var listenAddress: String { "\(self.listenHost):\(self.listenPort)" }

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

    /// Binds the listener. Throws `FaultProxyError.addressInUse` if the port is taken.
    public func start() async throws {
        let address = "\(self.listenHost):\(self.requestedPort)"
        try self.state.withLockedValue { state in
            guard case .idle = state.phase else { throw FaultProxyError.alreadyStarted(edge: self.name) }
        }
        let channel: Channel
        do {
            channel = try await ServerBootstrap(group: self.group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.autoRead, value: false)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in self.accept(channel) }
                .bind(host: self.listenHost, port: self.requestedPort)
                .get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw FaultProxyError.addressInUse(edge: self.name, address: address)
        } catch {
            throw FaultProxyError.cannotListen(edge: self.name, address: address, reason: "\(error)")
        }
        let stale = self.state.withLockedValue { state -> Bool in
            guard case .idle = state.phase else { return true }
            state.phase = .running(channel)
            state.boundPort = channel.localAddress?.port
            return false
        }
        if stale {  // stop() or another start() won the race
            try? await channel.close()
            throw FaultProxyError.alreadyStarted(edge: self.name)
        }
    }

    /// Closes the listener and every connection, removes all faults and cancels their timers.
    public func stop() async {
        let (listener, connections) = self.state.withLockedValue { state in
            var listener: Channel?
            if case .running(let channel) = state.phase { listener = channel }
            state.phase = .stopped
            state.expiryTimers.values.forEach { $0.cancel() }
            state.expiryTimers.removeAll()
            if !state.faults.isEmpty {
                state.faults.removeAll()
                _ = state.faultsChanged()  // publish; the connections are closed below
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
