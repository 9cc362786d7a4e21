import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Moving connections between the two forwarding paths: the fast path (a `FastLane`, while
/// no toxic is in force) and the toxic chain (`ProxyConnection` on an event loop).
extension FaultProxy {
    /// Whether new proxies forward on the fast path while no toxic is in force: on Linux (it
    /// needs epoll), unless the environment says `CHAOSLAB_PROXY_FAST_PATH=off` (to measure
    /// the chain alone).
    public static var fastPathByDefault: Bool {
        #if os(Linux)
        getenv("CHAOSLAB_PROXY_FAST_PATH").map { String(cString: $0) != "off" } ?? true
        #else
        false
        #endif
    }

    /// Forwards `handover`'s sockets on a lane, as of `policy` (a snapshot with no toxic that
    /// can act): a toxic published since moves it straight on to the chain. `dialDeadline`: the
    /// upstream socket is still connecting (the lane waits for it first, until then).
    func forwardFast(_ handover: Handover, policy: PolicySnapshot, handle: ConnectionHandle, dialDeadline: NIODeadline? = nil) {
        let lane = FastLane.next()
        let policySource = self.state.withLockedValue { $0.policySource }
        lane.execute {
            let connection = FastConnection(
                handover, lane: lane, handle: handle, policy: policy, policySource: policySource, stats: self.stats,
                dialDeadline: dialDeadline, moveToChain: { handover, handle in self.forwardOnChain(handover, handle: handle) })
            connection.start()
        }
    }

    /// Wraps `handover`'s sockets in two channels on one event loop and runs them through the
    /// toxic chain, with the toxics in force now.
    func forwardOnChain(_ handover: Handover, handle: ConnectionHandle) {
        let loop = self.group.next()
        loop.execute {
            let bootstrap = ClientBootstrap(group: loop)
                .channelOption(.autoRead, value: false)
                .channelOption(.allowRemoteHalfClosure, value: true)
            let client = bootstrap.withConnectedSocket(handover.client)
            let upstream = bootstrap.withConnectedSocket(handover.upstream)
            client.and(upstream).assumeIsolated().whenComplete { result in
                guard case .success(let (clientChannel, upstreamChannel)) = result else {
                    // Whichever channel exists closes its socket; the connection ends.
                    client.whenSuccess { $0.close(promise: nil) }
                    upstream.whenSuccess { $0.close(promise: nil) }
                    handle.finished()
                    return
                }
                self.runOnChain(handover, client: clientChannel, upstream: upstreamChannel, handle: handle)
            }
        }
    }

    /// The second half of `forwardOnChain`, on the channels' event loop.
    private func runOnChain(_ handover: Handover, client: Channel, upstream: Channel, handle: ConnectionHandle) {
        let (policySource, split) = self.state.withLockedValue { ($0.policySource, $0.rng.split()) }
        var rng = split
        let connection = ProxyConnection(
            client: client, upstream: upstream, policySource: policySource, stats: self.stats, rng: &rng,
            handle: handle, carried: handover,
            handBack: self.handBackToFastPath)
        do {
            try connection.install()
        } catch {
            connection.close()
            return
        }
        guard handle.settle(.chain(NIOLoopBound(connection, eventLoop: client.eventLoop))) else {
            connection.close()
            return
        }
        // A change published while the sockets moved: apply it (closes, or hands back).
        connection.refresh()
        connection.handBackIfIdle()
    }

    /// What a connection of the chain calls to go back to the fast path.
    var handBackToFastPath: @Sendable (Handover, ConnectionHandle) -> Void {
        { handover, handle in self.returnToFastPath(handover, handle: handle) }
    }

    /// A connection of the chain with no toxic left that can act goes back to a lane.
    func returnToFastPath(_ handover: Handover, handle: ConnectionHandle) {
        let policy = self.state.withLockedValue { $0.policySource.current }
        guard !policy.needsChain else {
            // A toxic came back before the sockets left the loop: straight back to the chain.
            self.forwardOnChain(handover, handle: handle)
            return
        }
        self.forwardFast(handover, policy: policy, handle: handle)
    }
}

/// A duplicate of the socket descriptor under `channel` (close-on-exec), or nil. On the
/// channel's event loop.
func duplicateSocket(of channel: Channel) -> CInt? {
    let duplicate = try? channel.pipeline.syncOperations.withUnsafeTransportIfAvailable(of: NIOBSDSocket.Handle.self) {
        fcntl($0, F_DUPFD_CLOEXEC, 0)
    }
    guard let duplicate = duplicate ?? nil, duplicate >= 0 else { return nil }
    return duplicate
}

func closeDescriptor(_ descriptor: CInt) -> CInt {
    close(descriptor)
}

/// Thrown by the client channel's initializer when the connection went to the fast path: the
/// server bootstrap then closes its own descriptor of the socket; the lane's duplicate stays.
struct MovedToFastPath: Error {}
