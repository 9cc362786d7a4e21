import AsyncHTTPClient
import Foundation
import LabEngine
import NIOCore
import Sandbox

/// The engine's journey port: real HTTP requests to the sandbox's services,
/// as a user of the shop would make them.
package struct HTTPJourneyClient: JourneyStepClient {
    package let sandbox: Sandbox
    package let client: HTTPClient

    package func perform(_ step: JourneyStep, session: String, timeout: Duration) async -> StepResult {
        guard let base = await sandbox.url(of: step.service) else {
            return .failure(reason: "\(step.service) is not running")
        }
        var request = HTTPClientRequest(url: base + step.path)
        request.method = .init(rawValue: step.method.rawValue)
        request.headers.add(name: "X-Session", value: session)
        if step.method == .post || step.method == .put {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: "{}"))
        }
        do {
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            _ = try await response.body.collect(upTo: 4 << 20)
            let code = Int(response.status.code)
            return (200..<300).contains(code) ? .success(status: code) : .failure(reason: "HTTP \(code)")
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return .failure(reason: "timeout")
        } catch {
            return .failure(reason: describe(error))
        }
    }

    private func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 80 ? String(text.prefix(80)) : text
    }
}

extension HTTPClient.Configuration {
    /// The client the probes, the knobs and the service faults go through: many connections
    /// per service, a short connect timeout, and a refused connection taken as the answer it
    /// is (the service is down), not retried until the deadline.
    package static var probes: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        configuration.timeout.connect = .seconds(2)
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }
}
