import FaultProxy
import Foundation
import Hummingbird
import Sandbox

extension LabAPI {
    func addFaultRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("faults") { _, _ in
            sandbox.edgeStatuses().flatMap { edge in edge.faults.map { API.EdgeFault(edge: edge.name, fault: $0) } }
        }
        api.post("faults") { request, _ -> EditedResponse<API.EdgeFault> in
            let fault = try await api.decodeBody(API.NewFault.self, from: request)
            return EditedResponse(status: .created, response: try addFault(fault))
        }
        api.delete("faults") { _, _ in try await halt() }
        api.post("halt") { _, _ in try await halt() }
    }

    private func halt() async throws -> API.Halted {
        let before = sandbox.edgeStatuses().reduce(0) { $0 + $1.faults.count }
        let cancelled = await coordinator.haltAll()
        return API.Halted(removed: before, cancelledExperiments: cancelled)
    }

    private func addFault(_ request: API.NewFault) throws -> API.EdgeFault {
        let edgeName = request.edge.replacingOccurrences(of: "->", with: "-")
        guard let proxy = sandbox.proxies[edgeName] else {
            throw APIError.notFound("unknown edge '\(request.edge)'; edges: \(ShopTopology.edges.map(\.name).joined(separator: ", "))")
        }
        let ttlMs = request.ttlMs ?? 30_000
        guard ttlMs > 0, ttlMs <= 3_600_000 else {
            throw APIError.badRequest("ttl_ms must be between 1 and 3600000 (one hour), got \(ttlMs)")
        }
        let attributes = ["latency": request.latencyMs ?? 0, "jitter": request.jitterMs ?? 0]
        guard let kind = FaultKind(name: request.type, attributes: attributes) else {
            throw APIError.badRequest("unknown fault type '\(request.type)'; types: blackhole, refuse, latency")
        }
        if case .latency = kind {
            guard let latency = request.latencyMs, latency >= 0, latency <= 60_000 else {
                throw APIError.badRequest("a latency fault needs latency_ms between 0 and 60000")
            }
            let jitter = request.jitterMs ?? 0
            guard jitter >= 0, jitter <= latency else {
                throw APIError.badRequest("jitter_ms must be between 0 and latency_ms (\(latency)), got \(jitter)")
            }
        }
        let fault = proxy.addFault(kind, ttl: .milliseconds(ttlMs))
        return API.EdgeFault(edge: edgeName, fault: FaultStatus(fault))
    }
}
