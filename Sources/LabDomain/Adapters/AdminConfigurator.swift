import AsyncHTTPClient
import Foundation
import LabEngine
import NIOCore
import Sandbox

/// The engine's configuration port: the demo services' `/admin/config` endpoints.
package struct AdminConfigurator: ServiceConfigurator {
    package let sandbox: Sandbox
    package let client: HTTPClient

    package func apply(_ settings: [String: KnobValue], to service: String) async throws {
        var request = HTTPClientRequest(url: try await adminURL(of: service))
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(settings)))
        try await send(request, service: service)
    }

    package func reset(_ service: String) async throws {
        var request = HTTPClientRequest(url: try await adminURL(of: service))
        request.method = .DELETE
        try await send(request, service: service)
    }

    private func adminURL(of service: String) async throws -> String {
        guard let base = await sandbox.url(of: service) else {
            throw LabError.unavailable("service \(service) is not running; check `chaoslab status`")
        }
        return base + "/admin/config"
    }

    private func send(_ request: HTTPClientRequest, service: String) async throws {
        let response = try await client.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw LabError.serviceRefused("\(service) refused its new configuration (\(response.status.code)): \(String(buffer: body))")
        }
    }
}
