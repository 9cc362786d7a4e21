import Foundation
import Hummingbird
import LabDomain
import LabEngine

/// Status checks on their own, now: `POST /api/checks/{lab}` judges every named check of the lab,
/// `POST /api/checks/{lab}/{name}` one. They change nothing; the answer lists each criterion with
/// the value seen, and `passed` is true only when every check passed.
struct ChecksController {
    let resolver: WorkspaceResolver

    func addRoutes(to api: RouterGroup<LabRequestContext>) {
        let resolver = resolver
        api.post("checks/:lab") { request, context -> API.CheckReport in
            let coordinator = try await resolver.workspace(context, .run).coordinator
            let quick = request.uri.queryParameters.get("quick") == "true"
            return API.CheckReport(try await coordinator.runChecks(lab: try context.parameters.require("lab"), name: nil, quick: quick))
        }
        api.post("checks/:lab/:name") { request, context -> API.CheckReport in
            let coordinator = try await resolver.workspace(context, .run).coordinator
            let quick = request.uri.queryParameters.get("quick") == "true"
            return API.CheckReport(try await coordinator.runChecks(
                lab: try context.parameters.require("lab"), name: try context.parameters.require("name"), quick: quick))
        }
    }
}

extension API.CheckReport: ResponseEncodable {}
