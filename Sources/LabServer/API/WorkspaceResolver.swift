import Hummingbird
import LabDomain

/// Finds the workspace a request acts on, after checking that the caller may do `action`
/// there. One route table serves the default workspace (under `/api`) and every team's (under
/// `/api/teams/{team}`); only the resolver differs.
struct WorkspaceResolver: Sendable {
    let workspace: @Sendable (_ context: LabRequestContext, _ action: TeamAction) async throws -> Workspace

    /// The default workspace. On a group server its route group carries `FacilitatorOnly`.
    static func fixed(_ workspace: Workspace) -> WorkspaceResolver {
        WorkspaceResolver { _, _ in workspace }
    }

    /// The workspace of the team named by the path's `:team`, for the facilitator, the team's
    /// token, or a member whose role allows the action.
    static func team(_ access: GroupAccess) -> WorkspaceResolver {
        WorkspaceResolver { context, action in
            try await context.actor(onTeam: try context.parameters.require("team"), for: action, access: access).team.workspace
        }
    }
}
