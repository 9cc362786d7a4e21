import NIOCore
import NIOPosix

extension FaultProxy {
    /// Sets up an accepted client channel: connects upstream, then glues the two.
    /// A failed future makes the server bootstrap close the client channel at once.
    func accept(_ client: Channel) -> EventLoopFuture<Void> {
        let loop = client.eventLoop
        self.stats.connectionsAccepted.add(1, ordering: .relaxed)
        let target = self.state.withLockedValue { state -> Result<(host: String, port: Int), FaultProxyError> in
            guard state.isListening else { return .failure(.refusedByFault(edge: self.name)) }
            guard let upstream = state.upstream else { return .failure(.noUpstream(edge: self.name)) }
            return .success(upstream)
        }
        let upstream: (host: String, port: Int)
        switch target {
        case .success(let value): upstream = value
        case .failure(let error): return loop.makeFailedFuture(error)
        }
        return ClientBootstrap(group: loop)
            .channelOption(.autoRead, value: false)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .connect(host: upstream.host, port: upstream.port)
            .flatMapThrowing { upstreamChannel in
                do {
                    try self.glue(client: client, upstream: upstreamChannel)
                } catch {
                    upstreamChannel.close(promise: nil)
                    throw error
                }
            }
    }

    /// Creates and registers the connection under the lock, so it sees every later toxic
    /// change. Must run on the channels' event loop (both channels share it).
    func glue(client: Channel, upstream: Channel) throws {
        let (id, handle) = try self.state.withLockedValue { state -> (Int, ConnectionHandle) in
            guard state.isListening else { throw FaultProxyError.refusedByFault(edge: self.name) }
            let connection = ProxyConnection(
                client: client, upstream: upstream,
                policySource: state.policySource, stats: self.stats, rng: &state.rng
            )
            let id = state.nextConnectionID
            state.nextConnectionID += 1
            let handle = ConnectionHandle(connection: NIOLoopBound(connection, eventLoop: client.eventLoop))
            state.connections[id] = handle
            return (id, handle)
        }
        self.stats.connectionsTotal.add(1, ordering: .relaxed)
        handle.connection.value.closeFuture.whenComplete { _ in
            _ = self.state.withLockedValue { $0.connections.removeValue(forKey: id) }
        }
        do {
            try handle.connection.value.install()
        } catch {
            handle.connection.value.close()
            throw error
        }
    }
}
