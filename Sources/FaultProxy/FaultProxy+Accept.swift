import CFastLane
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FaultProxy {
    /// Sets up an accepted client channel: connects upstream, then glues the two.
    /// A failed future makes the server bootstrap close the client channel at once.
    func accept(_ client: Channel) -> EventLoopFuture<Void> {
        let loop = client.eventLoop
        self.stats.connectionsAccepted.add(1, ordering: .relaxed)
        let target = self.state.withLockedValue {
            state -> Result<(upstream: (host: String, port: Int), policy: PolicySnapshot), FaultProxyError> in
            guard state.isListening else { return .failure(.refusedByFault(edge: self.name)) }
            guard let upstream = state.upstream else { return .failure(.noUpstream(edge: self.name)) }
            return .success((upstream, state.policySource.current))
        }
        let upstream: (host: String, port: Int)
        let policy: PolicySnapshot
        switch target {
        case .success(let value): (upstream, policy) = value
        case .failure(let error): return loop.makeFailedFuture(error)
        }
        if self.usesFastPath && !policy.needsChain, let onLane = self.dialOnLane(client, upstream: upstream, policy: policy) {
            return onLane
        }
        return ClientBootstrap(group: loop)
            .channelOption(.autoRead, value: false)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(self.connectTimeout)
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

    /// The fast path's accept: the upstream socket is opened and connected here, with no
    /// channel of its own, and both sockets go to a lane, which starts forwarding once the
    /// connect succeeds (and closes the client's if it fails or takes longer than the
    /// connect timeout). As of `policy`, a snapshot with no toxic that can act: a toxic
    /// published since meets the connection once its upstream is connected. Nil when the
    /// upstream is a host name, not an address (NIO resolves those): the caller dials.
    private func dialOnLane(
        _ client: Channel, upstream: (host: String, port: Int), policy: PolicySnapshot
    ) -> EventLoopFuture<Void>? {
        let loop = client.eventLoop
        let deadline = NIODeadline.now() + self.connectTimeout
        let upstreamSocket = chaoslab_lane_dial(upstream.host, CInt(upstream.port))
        guard upstreamSocket >= 0 else {
            let error = errno
            if error == EAFNOSUPPORT { return nil }
            return loop.makeFailedFuture(IOError(errnoCode: error, reason: "connect to \(upstream.host):\(upstream.port)"))
        }
        guard let clientSocket = duplicateSocket(of: client) else {
            let error = errno
            _ = closeDescriptor(upstreamSocket)
            return loop.makeFailedFuture(
                FaultProxyError.cannotForward(edge: self.name, reason: "cannot duplicate the client's socket (errno \(error))"))
        }
        let handle = self.state.withLockedValue { state -> ConnectionHandle? in
            guard state.isListening else { return nil }
            return self.register(in: &state, eventLoop: loop)
        }
        guard let handle else {
            _ = closeDescriptor(upstreamSocket)
            _ = closeDescriptor(clientSocket)
            return loop.makeFailedFuture(FaultProxyError.refusedByFault(edge: self.name))
        }
        self.forwardFast(Handover(client: clientSocket, upstream: upstreamSocket), policy: policy, handle: handle, dialDeadline: deadline)
        // The server bootstrap closes the channel's descriptor of the client; the lane's stays.
        return loop.makeFailedFuture(MovedToFastPath())
    }

    /// A new connection the proxy knows from now on (to notify it of toxic changes and to
    /// close it); it forgets it when the connection ends. Under the proxy's lock.
    private func register(in state: inout ProxyState, eventLoop: EventLoop) -> ConnectionHandle {
        let id = state.nextConnectionID
        state.nextConnectionID += 1
        let handle = ConnectionHandle(eventLoop: eventLoop) {
            _ = self.state.withLockedValue { $0.connections.removeValue(forKey: id) }
        }
        state.connections[id] = handle
        return handle
    }

    /// Registers the connection under the lock, so that it sees every later toxic change,
    /// and starts it on the fast path when no toxic is in force (else on the toxic chain).
    /// Must run on the channels' event loop (both channels share it).
    func glue(client: Channel, upstream: Channel) throws {
        let handBack = self.usesFastPath ? self.handBackToFastPath : nil
        let (handle, fastPolicy, connection) = try self.state.withLockedValue {
            state -> (ConnectionHandle, PolicySnapshot?, ProxyConnection?) in
            guard state.isListening else { throw FaultProxyError.refusedByFault(edge: self.name) }
            let handle = self.register(in: &state, eventLoop: client.eventLoop)
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
