import FaultProxy
import Foundation
import Hummingbird
import Sandbox

extension LabAPI {
    func addFaultRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("faults") { _, _ in await board.list() }
        api.post("faults") { request, _ -> EditedResponse<API.TargetFault> in
            let fault = try await api.decodeBody(API.NewFault.self, from: request)
            return EditedResponse(status: .created, response: try await board.add(fault))
        }
        api.delete("faults/:target/:id") { _, context -> Response in
            let target = try context.parameters.require("target")
            let id = try context.parameters.require("id")
            guard try await board.remove(target: target, id: id) else {
                throw APIError.notFound("no fault '\(id)' on '\(target)'; list them with chaoslab fault list")
            }
            return Response(status: .noContent)
        }
        // Every fault of one target: what an exported Chaos Toolkit experiment's rollback calls.
        api.delete("faults/:target") { _, context -> API.Removed in
            API.Removed(removed: try await board.removeAll(target: try context.parameters.require("target")))
        }
        api.delete("faults") { _, _ in try await halt(lock: false) }
        api.post("halt") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 16)
            let lock = body.readableBytes > 0 ? try await api.decodeBody(HaltRequest.self, from: body).lock ?? false : false
            return try await halt(lock: lock)
        }
        api.post("unlock") { _, _ in
            await board.unlock()
            return API.LockState(locked: false)
        }
    }

    private struct HaltRequest: Decodable {
        var lock: Bool?
    }

    /// Locks first when asked (so nothing new slips in), then stops a running experiment
    /// and removes every fault of every family: the coordinator's halt ends in the fault
    /// board's, one path for the API, the command line and server shutdown alike.
    private func halt(lock: Bool) async throws -> API.Halted {
        let inForce = await board.list().count
        if lock { await board.lock() }
        let cancelled = await coordinator.haltAll()
        return API.Halted(removed: inForce, cancelledExperiments: cancelled, locked: await board.locked)
    }

    /// The sandbox's status with the service faults and the lock filled in.
    func status() async -> SandboxStatus {
        var status = await sandbox.status()
        for index in status.services.indices {
            status.services[index].faults = await board.services.faults(of: status.services[index].name)
        }
        status.locked = await board.locked
        // Proxies that Toxiproxy clients created, after the sandbox's own edges.
        for (name, proxy) in board.proxies.all where !board.proxies.edgeNames.contains(name) {
            status.edges.append(EdgeStatus(
                name: name, from: "", to: "", listen: proxy.listenAddress, upstream: proxy.upstream,
                faults: proxy.activeFaults.map(FaultStatus.init)))
        }
        return status
    }
}

extension API.TargetFault: ResponseEncodable {}
extension API.LockState: ResponseEncodable {}
extension API.Removed: ResponseEncodable {}
