/// Why the lab server's domain refused or failed something, with a message that says what to do
/// next. The domain speaks no HTTP: the web layer turns each case into a status code in one place
/// (`LabError+HTTP.swift` in LabServer); the command line shows the message.
package enum LabError: Error, Equatable, CustomStringConvertible {
    /// No such lab, run, exercise, scenario, target, fault, team, proxy or toxic.
    case notFound(String)
    /// The request itself is wrong: a bad value, a missing field, an unknown kind.
    case invalid(String)
    /// The request is sound but the state forbids it now: the sandbox is busy, an answer is
    /// locked, a name is taken, a run is closed.
    case conflict(String)
    /// Faults are refused by an emergency stop (`chaoslab halt --lock`) until `chaoslab unlock`.
    case faultsLocked(String)
    /// Something this needs is not there: a service is not running, the server is full or
    /// short of memory, a sandbox could not start, the server is stopping.
    case unavailable(String)
    /// A service of the sandbox answered, but refused what was asked of it.
    case serviceRefused(String)
    /// A group server asked who is calling, and the request said nobody.
    case unauthenticated(String)
    /// The caller is known, and may not do this.
    case forbidden(String)
    /// Something failed that the caller cannot fix: a store write, a missing resource.
    case failed(String)

    package var message: String {
        switch self {
        case .notFound(let message), .invalid(let message), .conflict(let message), .faultsLocked(let message),
             .unavailable(let message), .serviceRefused(let message), .unauthenticated(let message),
             .forbidden(let message), .failed(let message):
            return message
        }
    }

    package var description: String { message }
}
