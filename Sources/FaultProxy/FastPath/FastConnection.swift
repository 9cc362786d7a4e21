import CFastLane
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One direction of a connection as it crosses between the fast path and the toxic chain:
/// the bytes read but not written yet, whether its end of stream was read (`ended`) and
/// whether that end was passed on (`shut`: the other socket's output is shut).
struct FlowState: Sendable {
    var pending: [UInt8] = []
    var ended = false
    var shut = false
}

/// A connection on its way from one forwarding path to the other: both sockets, owned by
/// whoever holds this, and each direction's state.
struct Handover: Sendable {
    var client: CInt
    var upstream: CInt
    /// Client to upstream (the `upstream` toxics' direction).
    var upstreamFlow = FlowState()
    /// Upstream to client (the `downstream` toxics' direction).
    var downstreamFlow = FlowState()
}

/// A proxied connection on the fast path: its two sockets watched by a `FastLane`, bytes
/// moved from one to the other as they come, while its proxy has no toxic in force.
///
/// Before every read it checks the proxy's published toxics (one atomic load): once a toxic
/// is in force it leaves the lane with what it holds and moves to the toxic chain, so the
/// byte it did not read yet meets the toxic. Backpressure: it reads a socket only while the
/// other accepts what the last read brought. Half-close: an end of stream read on one socket
/// shuts the other's output once every byte before it went out; with both directions shut,
/// it closes. Confined to its lane's thread.
final class FastConnection: @unchecked Sendable {
    /// One socket of the connection (side 0: the client, side 1: the upstream).
    private struct End {
        let socket: CInt
        /// Epoll said it is readable and the last read did not drain it.
        var readable = true
        var writable = true
        /// The peer's end of stream arrived: read until it shows (a short read is not the end).
        var peerClosed = false
    }

    /// Set by the lane when it adds the connection.
    var id: UInt64 = 0
    let lane: FastLane
    let handle: ConnectionHandle
    private let policySource: PolicySource
    private let stats: ProxyStats
    /// Takes the connection to the toxic chain (on an event loop).
    private let moveToChain: @Sendable (Handover, ConnectionHandle) -> Void
    private var ends: [End]
    /// Flow 0: client to upstream; flow 1: upstream to client.
    private var flows: [FlowState]
    /// Where each flow's pending bytes start (what came before went out).
    private var pendingStart = [0, 0]
    private var generation: UInt64
    private var downs: UInt64
    private var isGone = false
    /// The upstream socket is still connecting (the lane dialed it): nothing moves yet.
    private var isDialing: Bool
    /// When a dial gives up (the proxy's connect timeout after the accept).
    private let dialDeadline: NIODeadline?

    var sockets: (CInt, CInt) { (self.ends[0].socket, self.ends[1].socket) }

    init(
        _ handover: Handover, lane: FastLane, handle: ConnectionHandle, policy: PolicySnapshot, policySource: PolicySource,
        stats: ProxyStats, dialDeadline: NIODeadline? = nil, moveToChain: @escaping @Sendable (Handover, ConnectionHandle) -> Void
    ) {
        self.isDialing = dialDeadline != nil
        self.dialDeadline = dialDeadline
        self.ends = [End(socket: handover.client), End(socket: handover.upstream)]
        self.flows = [handover.upstreamFlow, handover.downstreamFlow]
        self.lane = lane
        self.handle = handle
        self.policySource = policySource
        self.stats = stats
        self.moveToChain = moveToChain
        self.generation = policy.generation
        self.downs = policy.downs
    }

    // MARK: On the lane's thread

    /// Starts forwarding: the lane watches both sockets. Closes them if it cannot.
    func start() {
        guard self.lane.add(self) else {
            self.closeBoth()
            return
        }
        guard self.handle.settle(.fast(self)) else {
            // Closed while it moved here (the proxy stopped).
            self.closeBoth()
            return
        }
        if let dialDeadline, self.isDialing {
            self.lane.dialing(self, until: dialDeadline)
            return
        }
        self.pumpBoth()
    }

    /// Epoll reported `events` (CHAOSLAB_LANE_ bits) on `side`.
    func handle(side: Int, events: UInt32) {
        if events & UInt32(CHAOSLAB_LANE_READABLE) != 0 { self.ends[side].readable = true }
        if events & UInt32(CHAOSLAB_LANE_PEER_CLOSED) != 0 { self.ends[side].peerClosed = true }
        if events & UInt32(CHAOSLAB_LANE_WRITABLE) != 0 { self.ends[side].writable = true }
        if self.isDialing {
            // Only the upstream socket turning writable (connected, or failed) ends the dial.
            guard side == 1, events & UInt32(CHAOSLAB_LANE_WRITABLE) != 0 else { return }
            guard self.finishDial() else { return }
        }
        self.pumpBoth()
    }

    /// The upstream socket stopped connecting: false (and closed) if it failed. Once it is
    /// connected the connection counts as proxied, and catches up with what changed during
    /// the dial (notifications wait until then).
    private func finishDial() -> Bool {
        self.isDialing = false
        self.lane.dialed(self)
        guard chaoslab_lane_socket_error(self.ends[1].socket) == 0 else { return self.closeBoth() }
        self.stats.connectionsTotal.add(1, ordering: .relaxed)
        return self.catchUp()
    }

    /// The upstream did not connect by the dial's deadline: the client's connection closes.
    func dialTimedOut() {
        guard !self.isGone, self.isDialing else { return }
        self.closeBoth()
    }

    /// The proxy published new toxics (or went down): an idle connection acts on it now
    /// (one still dialing, once connected).
    func refresh() {
        guard !self.isGone, !self.isDialing else { return }
        _ = self.catchUp()
    }

    /// Closes both sockets (the proxy stops, or a caller asked).
    func close() {
        guard !self.isGone else { return }
        self.closeBoth()
    }

    // MARK: Moving bytes

    private func pumpBoth() {
        guard self.pump(0) else { return }
        _ = self.pump(1)
    }

    /// Moves what flow `flow` can carry now. False once the connection is gone (closed, or
    /// moved to the toxic chain).
    private func pump(_ flow: Int) -> Bool {
        let source = flow
        let target = 1 - flow
        while true {
            if self.pendingStart[flow] < self.flows[flow].pending.count {
                guard self.ends[target].writable else { return true }
                guard self.sendPending(flow, to: target) else { return self.closeBoth() }
                if self.pendingStart[flow] < self.flows[flow].pending.count { return true }
            }
            if self.flows[flow].ended {
                if !self.flows[flow].shut {
                    self.flows[flow].shut = true
                    _ = shutdown(self.ends[target].socket, CInt(SHUT_WR))
                    if self.flows[1 - flow].shut { return self.closeBoth() }
                }
                return true
            }
            guard self.ends[source].readable else { return true }
            // The byte about to be read meets the proxy's current toxics.
            guard self.catchUp() else { return false }
            let buffer = self.lane.buffer
            let count = read(self.ends[source].socket, buffer.baseAddress, buffer.count)
            if count > 0 {
                if flow == 0 {
                    self.stats.bytesUpstream.add(count, ordering: .relaxed)
                } else {
                    self.stats.bytesDownstream.add(count, ordering: .relaxed)
                }
                // A short read drained the socket: epoll reports the next arrival.
                if count < buffer.count && !self.ends[source].peerClosed { self.ends[source].readable = false }
                var sent = 0
                if self.ends[target].writable {
                    guard let done = self.send(UnsafeRawPointer(buffer.baseAddress!), count, to: target) else {
                        return self.closeBoth()
                    }
                    sent = done
                }
                if sent < count {
                    self.flows[flow].pending.append(
                        contentsOf: UnsafeRawBufferPointer(rebasing: buffer[sent..<count]))
                }
            } else if count == 0 {
                self.flows[flow].ended = true
                self.ends[source].readable = false
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                self.ends[source].readable = false
            } else if errno != EINTR {
                return self.closeBoth()
            }
        }
    }

    /// Sends what flow `flow` holds, as far as the socket takes it. False if the socket failed.
    private func sendPending(_ flow: Int, to target: Int) -> Bool {
        let start = self.pendingStart[flow]
        let total = self.flows[flow].pending.count
        let sent = self.flows[flow].pending.withUnsafeBytes { bytes in
            self.send(bytes.baseAddress! + start, total - start, to: target)
        }
        guard let sent else { return false }
        if start + sent == total {
            self.flows[flow].pending.removeAll(keepingCapacity: true)
            self.pendingStart[flow] = 0
        } else {
            self.pendingStart[flow] = start + sent
        }
        return true
    }

    /// Sends up to `count` bytes to side `target`; how many it took (fewer when its buffer is
    /// full: it is then not writable until epoll says so), or nil if the socket failed.
    private func send(_ base: UnsafeRawPointer, _ count: Int, to target: Int) -> Int? {
        var sent = 0
        while sent < count {
            let result = chaoslab_lane_send(self.ends[target].socket, base + sent, count - sent)
            if result > 0 {
                sent += result
            } else if result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                self.ends[target].writable = false
                return sent
            } else if result < 0 && errno == EINTR {
                continue
            } else {
                return nil
            }
        }
        return sent
    }

    // MARK: Leaving the fast path

    /// Applies the proxy's newest toxics: with one in force, the connection moves to the
    /// toxic chain; if the proxy went down, it closes. False when it left the lane.
    private func catchUp() -> Bool {
        guard self.policySource.hasNews(since: self.generation) else { return true }
        let snapshot = self.policySource.current
        self.generation = snapshot.generation
        if snapshot.downs > self.downs {
            return self.closeBoth()
        }
        guard !snapshot.needsChain else {
            self.leaveForChain()
            return false
        }
        return true
    }

    private func leaveForChain() {
        self.lane.remove(self)
        self.isGone = true
        var handover = Handover(client: self.ends[0].socket, upstream: self.ends[1].socket)
        handover.upstreamFlow = self.flowToHand(0)
        handover.downstreamFlow = self.flowToHand(1)
        self.handle.startMoving()
        self.moveToChain(handover, self.handle)
    }

    private func flowToHand(_ flow: Int) -> FlowState {
        var state = self.flows[flow]
        state.pending = Array(state.pending[self.pendingStart[flow]...])
        return state
    }

    /// Closes both sockets and tells the handle the connection ended. Always false (gone).
    @discardableResult
    private func closeBoth() -> Bool {
        self.lane.remove(self)
        self.isGone = true
        _ = closeDescriptor(self.ends[0].socket)
        _ = closeDescriptor(self.ends[1].socket)
        self.handle.finished()
        return false
    }
}
