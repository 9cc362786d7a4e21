import Foundation
import Hummingbird
import LabEngine
import NIOCore
import Sandbox

/// The lab JSON API under `/api`: what the command line (and later the web pages) drive a lab through.
struct LabAPI {
    let coordinator: RunCoordinator
    let sandbox: Sandbox
    let catalog: LabCatalog
    let board: FaultBoard
    /// The host the server binds, accepted in `Host` headers besides loopback names.
    let boundHost: String
    /// Group mode: every request to the default workspace needs the facilitator token.
    var access: GroupAccess? = nil

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: SameOriginMiddleware(boundHost: boundHost))
        if let access { router.add(middleware: FacilitatorOnly(access: access)) }
        let api = router.group("api")
        api.get("health") { _, _ in API.Health(status: "ok", version: chaoslabVersion) }
        api.get("status") { _, _ in await status() }
        api.get("labs") { _, _ in labList() }
        api.get("labs/:lab/guide") { _, context in API.LabDetail(try await coordinator.lab(try context.parameters.require("lab"))) }
        addFaultRoutes(to: api)
        addRunRoutes(to: api)
    }

    private func labList() -> API.LabList {
        API.LabList(
            labs: catalog.labs.map {
                API.LabInfo(id: $0.id, title: $0.title, summary: $0.summary.isEmpty ? nil : $0.summary, estimatedMinutes: $0.estimatedMinutes, exercises: $0.exercises.map(\.id))
            },
            problems: catalog.problems.map(\.description))
    }
}

let chaoslabVersion = "0.1.0"

extension RouterGroup {
    /// Decodes a JSON request body, turning any failure into a 400 that says what was wrong.
    func decodeBody<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        try decodeBody(type, from: try await request.body.collect(upTo: 1 << 20))
    }

    /// Decodes a JSON body already read, turning any failure into a 400 that says what was wrong.
    func decodeBody<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError.badRequest("missing field '\(key.stringValue)' in the JSON body")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest("wrong type for '\(path)' in the JSON body: \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest("bad JSON body\(path.isEmpty ? "" : " at '\(path)'"): \(context.debugDescription)")
        } catch {
            throw APIError.badRequest("bad JSON body: \(error)")
        }
    }
}

extension API.LabDetail: ResponseEncodable {}
extension SandboxStatus: ResponseEncodable {}
extension API.Health: ResponseEncodable {}
extension API.LabList: ResponseEncodable {}
extension API.RunInfo: ResponseEncodable {}
extension API.Halted: ResponseEncodable {}
extension RunSummary: ResponseEncodable {}
