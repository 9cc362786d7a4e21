import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import LabDomain
import LabEngine
import LabStore
import Sandbox
import Testing

@testable import LabServer

/// The lab server's router in process, on workspaces whose sandboxes never start: no process,
/// no port. What the routes decide before they reach a service (who may, what is wrong with
/// the request, which domain error becomes which status) is tested here in milliseconds.
final class InProcessServer: Sendable {
    let workspace: Workspace
    let access: GroupAccess?
    let facilitatorToken = "facilitator-token-for-tests"
    private let client: HTTPClient
    private let folder: URL

    /// A single-user server, or with `group` a group server whose teams get unstarted workspaces too.
    init(group: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chaoslab-routes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let catalog = Self.catalog
        let folder = folder
        self.client = client
        workspace = try Self.workspace(client: client, catalog: catalog, store: folder.appendingPathComponent("default.sqlite"))
        access = group
            ? GroupAccess(facilitatorToken: facilitatorToken, teams: TeamRegistry(maxTeams: 3) { _, storeFile, _ in
                try Self.workspace(client: client, catalog: catalog, store: folder.appendingPathComponent(storeFile))
            })
            : nil
    }

    private static func workspace(client: HTTPClient, catalog: LabCatalog, store: URL) throws -> Workspace {
        let sandbox = Sandbox(configuration: SandboxConfiguration(system: .demoShop, servicesDirectory: "/nonexistent"))
        return Workspace(sandbox: sandbox, client: client, catalog: catalog, store: try LabStore(path: store.path), maxFaultTTL: nil)
    }

    /// The repository's labs.
    static let catalog: LabCatalog = {
        let labs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Labs")
        return LabLoader.load(directory: labs)
    }()

    /// Calls `body` with a client of the router in process, then shuts everything down.
    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let templates = try await PageTemplates.load()
        let router = buildRouter(RouterDependencies(
            workspace: workspace, catalog: Self.catalog, templates: templates, boundHost: "127.0.0.1",
            address: ServerAddress(host: "127.0.0.1", port: 8474), allowNonLoopbackProxies: false, seed: 1,
            access: access, shopClient: client))
        let app = Application(router: router)
        do {
            try await app.test(.router, body)
        } catch {
            await shutdown()
            throw error
        }
        await shutdown()
    }

    private func shutdown() async {
        await access?.teams.shutdownAll()
        await workspace.shutdown()
        try? await client.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// The JSON error every refusal answers with.
struct ErrorAnswer: Decodable, Equatable {
    let error: String
    let status: Int
}

extension TestResponse {
    /// The body as the lab API's JSON error; fails the test when it is not one.
    func errorAnswer(sourceLocation: SourceLocation = #_sourceLocation) -> ErrorAnswer? {
        let answer = try? JSONDecoder().decode(ErrorAnswer.self, from: Data(buffer: body))
        #expect(answer != nil, "not a JSON error: \(String(buffer: body))", sourceLocation: sourceLocation)
        return answer
    }

    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(buffer: body))
    }
}

extension TestClientProtocol {
    /// A request with a JSON body and, when given, `Authorization: Bearer TOKEN`.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}
