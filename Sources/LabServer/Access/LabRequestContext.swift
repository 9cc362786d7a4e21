import Hummingbird
import LabDomain

/// The context of every request to the lab server: Hummingbird's own, and who is calling.
struct LabRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by `IdentifyCaller` before any route runs.
    var caller: Caller = .singleUser

    init(source: Source) {
        coreContext = .init(source: source)
    }
}

/// Who sent a request, as far as the server needs to know.
enum Caller: Sendable {
    /// A single-user server: no tokens, everyone may do everything.
    case singleUser
    /// A group server, and the request showed no valid token: why (401 without one, 403 with a wrong one).
    case refused(LabError)
    /// A group server, and the request showed the token of this principal.
    case principal(GroupAccess.Principal)
}

extension LabRequestContext {
    /// Whoever the token names; throws the refusal when there is no valid token.
    func principal() throws(LabError) -> GroupAccess.Principal? {
        switch caller {
        case .singleUser: return nil
        case .refused(let error): throw error
        case .principal(let principal): return principal
        }
    }

    /// Who acts on team `name`, if the caller may do `action` there.
    func actor(onTeam name: String, for action: TeamAction, access: GroupAccess) async throws(LabError) -> TeamActor {
        guard let principal = try principal() else { throw .forbidden("this lab server has no teams (start it with --facilitator)") }
        return try await access.actor(principal, onTeam: name, for: action)
    }
}
