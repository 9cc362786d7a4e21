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

    /// Registers the connection under the lock, so that it sees every later toxic change,
    /// and starts it on the fast path when no toxic is in force (else on the toxic chain).
    /// Must run on the channels' event loop (both channels share it).
    func glue(client: Channel, upstream: Channel) throws {
        let handBack = self.usesFastPath ? self.handBackToFastPath : nil
        let (handle, fastPolicy, connection) = try self.state.withLockedValue {
            state -> (ConnectionHandle, PolicySnapshot?, ProxyConnection?) in
            guard state.isListening else { throw FaultProxyError.refusedByFault(edge: self.name) }
            let id = state.nextConnectionID
            state.nextConnectionID += 1
            let handle = ConnectionHandle(eventLoop: client.eventLoop) {
                _ = self.state.withLockedValue { $0.connections.removeValue(forKey: id) }
            }
            state.connections[id] = handle
            let policy = state.policySource.current
            if self.usesFastPath && !policy.needsChain {
                return (handle, policy, nil)
            }
            let connection = ProxyConnection(
                client: client, upstream: upstream, policySource: state.policySource, stats: self.stats, rng: &state.rng,
                handle: handle, handBack: handBack)
            return (handle, nil, connection)
        }
        self.stats.connectionsTotal.add(1, ordering: .relaxed)
        if let policy = fastPolicy {
            guard let clientSocket = duplicateSocket(of: client) else {
                handle.finished()
                throw FaultProxyError.cannotForward(edge: self.name, reason: "cannot duplicate the client's socket (errno \(errno))")
            }
            guard let upstreamSocket = duplicateSocket(of: upstream) else {
                _ = closeDescriptor(clientSocket)
                handle.finished()
                throw FaultProxyError.cannotForward(edge: self.name, reason: "cannot duplicate the upstream's socket (errno \(errno))")
            }
            upstream.close(promise: nil)
            self.forwardFast(Handover(client: clientSocket, upstream: upstreamSocket), policy: policy, handle: handle)
            throw MovedToFastPath()
        }
        guard let connection else { return }
        guard handle.settle(ConnectionHandle.Place.chain(NIOLoopBound(connection, eventLoop: client.eventLoop))) else {
            // The proxy stopped meanwhile: the bootstrap closes the client channel.
            upstream.close(promise: nil)
            handle.finished()
            throw FaultProxyError.refusedByFault(edge: self.name)
        }
        do {
            try connection.install()
        } catch {
            connection.close()
            throw error
        }
    }
}
