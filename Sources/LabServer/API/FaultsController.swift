import Foundation
import Hummingbird
import LabDomain

/// Faults of every family on one workspace: list, add, end one, end a target's, halt.
///
/// - `GET faults`, `POST faults` (`{"target","type","attributes","stream","ttl_ms"}`);
/// - `DELETE faults/{target}/{id}`, `DELETE faults/{target}` (`{"removed": N}`);
/// - `DELETE faults` and `POST halt`: stop the experiment, end every fault; where the
///   workspace allows it (the default one), `{"lock": true}` also refuses new faults until
///   `POST unlock`.
struct FaultsController {
    let resolver: WorkspaceResolver
    /// Whether halts may lock the workspace's faults: the default workspace's. A team's lock is
    /// the facilitator's, for every team at once.
    let allowsLock: Bool

    func addRoutes(to api: RouterGroup<LabRequestContext>) {
        let resolver = resolver, allowsLock = allowsLock
        api.get("faults") { request, context in
            await (try await resolver.workspace(context, .read)).board.list()
        }
        api.post("faults") { request, context -> EditedResponse<API.TargetFault> in
            let board = try await resolver.workspace(context, .attack).board
            let fault = try await request.decodeJSON(API.NewFault.self)
            return EditedResponse(status: .created, response: try await board.add(fault))
        }
        api.delete("faults/:target/:id") { request, context -> Response in
            let board = try await resolver.workspace(context, .halt).board
            let target = try context.parameters.require("target")
            let id = try context.parameters.require("id")
            guard try await board.remove(target: target, id: id) else {
                throw LabError.notFound("no fault '\(id)' on '\(target)'; list them with chaoslab fault list")
            }
            return Response(status: .noContent)
        }
        // Every fault of one target: what an exported Chaos Toolkit experiment's rollback calls.
        api.delete("faults/:target") { request, context -> API.Removed in
            let board = try await resolver.workspace(context, .halt).board
            return API.Removed(removed: try await board.removeAll(target: try context.parameters.require("target")))
        }
        api.delete("faults") { request, context in
            try await Self.halt(try await resolver.workspace(context, .halt), lock: false)
        }
        api.post("halt") { request, context in
            let workspace = try await resolver.workspace(context, .halt)
            guard allowsLock else { return try await Self.halt(workspace, lock: false) }
            let lock = try await request.decodeJSONIfAny(HaltRequest.self)?.lock ?? false
            return try await Self.halt(workspace, lock: lock)
        }
        if allowsLock {
            api.post("unlock") { request, context in
                let board = try await resolver.workspace(context, .halt).board
                await board.unlock()
                return API.LockState(locked: false)
            }
        }
    }

    struct HaltRequest: Decodable {
        var lock: Bool?
    }

    /// Locks first when asked (so nothing new slips in), then stops a running experiment and
    /// removes every fault of every family: the coordinator's halt ends in the fault board's,
    /// one path for the API, the command line and server shutdown alike.
    static func halt(_ workspace: Workspace, lock: Bool) async throws -> API.Halted {
        let inForce = await workspace.board.list().count
        if lock { await workspace.board.lock() }
        let cancelled = await workspace.coordinator.haltAll()
        return API.Halted(removed: inForce, cancelledExperiments: cancelled, locked: await workspace.board.locked)
    }
}

extension API.TargetFault: ResponseEncodable {}
extension API.LockState: ResponseEncodable {}
extension API.Removed: ResponseEncodable {}
extension API.Halted: ResponseEncodable {}
