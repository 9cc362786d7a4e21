/// What can go wrong when running a `FaultProxy`. Each message names the edge.
public enum FaultProxyError: Error, CustomStringConvertible, Equatable {
    /// Another process (or proxy) already listens on the address.
    case addressInUse(edge: String, address: String)
    /// Binding failed for another reason.
    case cannotListen(edge: String, address: String, reason: String)
    /// `start()` was called on a proxy that is running or was stopped.
    case alreadyStarted(edge: String)
    /// A new connection was closed because the proxy is down or stopped (internal).
    case refusedByFault(edge: String)
    /// A toxic with that name is already on the proxy.
    case toxicExists(edge: String, name: String)
    /// No toxic with that name is on the proxy.
    case toxicNotFound(edge: String, name: String)
    /// A new connection was closed because no upstream is set (internal).
    case noUpstream(edge: String)
    /// A new connection was closed because its sockets could not be handed on (internal).
    case cannotForward(edge: String, reason: String)

    public var description: String {
        switch self {
        case .addressInUse(let edge, let address):
            "edge \(edge): cannot listen on \(address): address already in use (stop what holds the port or pick another)"
        case .cannotListen(let edge, let address, let reason):
            "edge \(edge): cannot listen on \(address): \(reason)"
        case .alreadyStarted(let edge):
            "edge \(edge): start() called twice; create a new FaultProxy to listen again"
        case .refusedByFault(let edge):
            "edge \(edge): connection refused: the proxy is down"
        case .toxicExists(let edge, let name):
            "toxic already exists: \(edge) already has a toxic named '\(name)'"
        case .toxicNotFound(let edge, let name):
            "toxic not found: \(edge) has no toxic named '\(name)'"
        case .noUpstream(let edge):
            "edge \(edge): no upstream set; call setUpstream(host:port:) first"
        case .cannotForward(let edge, let reason):
            "edge \(edge): connection closed: \(reason)"
        }
    }
}
