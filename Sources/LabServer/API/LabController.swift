import Foundation
import Hummingbird
import LabDomain
import LabEngine
import NIOCore
import Sandbox

/// The labs and the default workspace at a glance: `GET /api/health` (open to everyone),
/// `/api/status`, `/api/labs`, `/api/labs/{lab}/guide` and a learner's best scores.
struct LabController {
    let workspace: Workspace
    let catalog: LabCatalog

    /// Liveness, open to everyone on every server.
    static func addHealthRoute(to api: RouterGroup<LabRequestContext>) {
        api.get("health") { _, _ in API.Health(status: "ok", version: chaoslabVersion) }
    }

    func addRoutes(to api: RouterGroup<LabRequestContext>) {
        let workspace = workspace, catalog = catalog
        api.get("status") { _, _ in await workspace.status() }
        api.get("labs") { _, _ in Self.labList(catalog) }
        api.get("labs/:lab/guide") { _, context in
            API.LabDetail(try await workspace.coordinator.lab(try context.parameters.require("lab")))
        }
        api.get("learners/:name/scores") { _, context -> Response in
            // A path parameter arrives percent-encoded: "Browser%20Bea" is the learner "Browser Bea".
            let name = try context.parameters.require("name")
            let scores = try await workspace.coordinator.store.bestScores(learnerName: name.removingPercentEncoding ?? name)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(scores))))
        }
    }

    private static func labList(_ catalog: LabCatalog) -> API.LabList {
        API.LabList(
            labs: catalog.labs.map {
                API.LabInfo(id: $0.id, title: $0.title, summary: $0.summary.isEmpty ? nil : $0.summary,
                            estimatedMinutes: $0.estimatedMinutes, exercises: $0.exercises.map(\.id))
            },
            problems: catalog.problems.map(\.description))
    }
}

let chaoslabVersion = "0.1.0"

extension API.LabDetail: ResponseEncodable {}
extension SandboxStatus: ResponseEncodable {}
extension API.Health: ResponseEncodable {}
extension API.LabList: ResponseEncodable {}
extension API.RunInfo: ResponseEncodable {}
extension API.OpenRun: ResponseEncodable {}
extension TrafficMap: ResponseEncodable {}
extension RunSummary: ResponseEncodable {}
