import Foundation
import LabDomain
import Hummingbird
import Mustache

/// The web pages' Mustache templates, loaded once from the module's resources, and the
/// files under `/assets`. Every asset is served by the lab server: the lab works offline.
struct PageTemplates: Sendable {
    let library: MustacheLibrary
    let assets: [String: (contentType: String, body: ByteBuffer)]

    static func load() async throws -> PageTemplates {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil),
              let assetFolder = Bundle.module.url(forResource: "Assets", withExtension: nil)
        else { throw LabServerError.missingResources }
        let library = try await MustacheLibrary(directory: templates.path)
        var assets: [String: (String, ByteBuffer)] = [:]
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        for name in try FileManager.default.contentsOfDirectory(atPath: assetFolder.path) {
            let data = try Data(contentsOf: assetFolder.appendingPathComponent(name))
            let type = types[(name as NSString).pathExtension] ?? "application/octet-stream"
            assets[name] = (type, ByteBuffer(bytes: data))
        }
        return PageTemplates(library: library, assets: assets)
    }

    /// A page as an HTML response; a template that fails to render is a 500 that names it.
    func page(_ template: String, _ model: some Any) throws -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            throw APIError(.internalServerError, "template '\(template)' is missing")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func render(_ template: String, _ model: some Any) -> String {
        library.render(model, withTemplate: template) ?? ""
    }
}
