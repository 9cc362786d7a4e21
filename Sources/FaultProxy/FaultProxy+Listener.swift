import NIOCore
import NIOPosix

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Going down and coming back up: Toxiproxy's `enabled`, and the lab's `refuse` fault.
extension FaultProxy {
    /// Whether the proxy is enabled (Toxiproxy's `enabled`): false after `disable()`.
    public var isEnabled: Bool {
        self.state.withLockedValue { !$0.disabled }
    }

    /// Takes the proxy down, as Toxiproxy does for `enabled: false`: the listener closes
    /// (new connections are refused by the kernel) and open connections are closed.
    public func disable() async {
        self.state.withLockedValue { state in
            if !state.disabled { state.disabledAt = Date() }
            state.disabled = true
        }
        try? await self.reconcileListener()
    }

    /// Brings the proxy back up on the same address, unless a refuse fault keeps it down.
    public func enable() async throws {
        self.state.withLockedValue { state in
            state.disabled = false
            state.disabledAt = nil
        }
        try await self.reconcileListener()
    }

    /// Moves the proxy to a new listen address (Toxiproxy's `listen` update): open
    /// connections are closed, and it listens on the new address if it is up.
    public func setListen(host: String, port: Int) async throws {
        let listener = self.state.withLockedValue { state -> Channel? in
            guard case .running(let channel) = state.phase else {
                state.listenHost = host
                state.listenPort = port
                return nil
            }
            state.phase = .down
            state.listenHost = host
            state.listenPort = port
            state.toxicsChanged(wentDown: true).send()
            return channel
        }
        try? await listener?.close()
        try await self.reconcileListener()
    }

    /// Brings the listener in line with what the state wants: up unless disabled or
    /// refused. Going down publishes a snapshot that closes every open connection.
    func reconcileListener() async throws {
        enum Step { case nothing, close(Channel), bind }
        let step = self.state.withLockedValue { state -> Step in
            switch state.phase {
            case .running(let channel) where !state.wantsUp:
                state.phase = .down
                state.toxicsChanged(wentDown: true).send()
                return .close(channel)
            case .down where state.wantsUp:
                state.phase = .binding
                return .bind
            default:
                return .nothing
            }
        }
        switch step {
        case .nothing:
            return
        case .close(let channel):
            try? await channel.close()
        case .bind:
            do {
                try await self.bindListener()
            } catch {
                self.state.withLockedValue { state in
                    if case .binding = state.phase {
                        state.phase = .down
                        if state.disabledAt == nil { state.disabledAt = Date() }
                    }
                }
                throw error
            }
        }
        // Something changed while this ran (a disable during the bind): go again.
        let settled = self.state.withLockedValue { state -> Bool in
            switch state.phase {
            case .running: state.wantsUp
            case .down: !state.wantsUp
            default: true
            }
        }
        if !settled { try await self.reconcileListener() }
    }

    /// Binds the listener at the state's address; the phase must be `.binding`.
    func bindListener() async throws {
        let (host, port) = self.state.withLockedValue { ($0.listenHost, $0.listenPort) }
        let address = "\(host):\(port)"
        let channel: Channel
        do {
            channel = try await ServerBootstrap(group: self.group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.autoRead, value: false)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in self.accept(channel) }
                .bind(host: host, port: port)
                .get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw FaultProxyError.addressInUse(edge: self.name, address: address)
        } catch {
            throw FaultProxyError.cannotListen(edge: self.name, address: address, reason: "\(error)")
        }
        let stale = self.state.withLockedValue { state -> Bool in
            guard case .binding = state.phase else { return true }
            state.phase = .running(channel)
            state.listenPort = channel.localAddress?.port ?? port
            return false
        }
        if stale {  // stop() won the race
            try? await channel.close()
            throw FaultProxyError.alreadyStarted(edge: self.name)
        }
    }
}
