import AsyncHTTPClient
import Hummingbird
import ShopKit

/// DependencyClient calls one dependency (ads, checkout, cache) over the process's shared HTTP client.
///
/// Every call carries a timeout from a knob; 0 means no timeout, modelled as one hour.
/// Transport failures and timeouts become ``DependencyError``; any HTTP status is returned as is.
package struct DependencyClient: Sendable {
    /// The dependency's name in error messages and metrics, e.g. "ads" or "page cache".
    package let name: String
    let baseURL: String
    let metrics: ShopMetrics
    var http: HTTPClient = ShopHTTPClient.shared

    package struct Answer: Sendable {
        package let status: Int
        package let body: ByteBuffer

        package var isSuccess: Bool { (200..<300).contains(status) }

        package func decode<T: Decodable>(_ type: T.Type, from dependency: String) throws -> T {
            do {
                return try ShopJSON.decode(type, from: body)
            } catch {
                throw DependencyError.badAnswer(dependency: dependency, reason: "undecodable body (\(error))")
            }
        }

        /// The `error` message of a JSON error body, or the body itself.
        package var errorMessage: String {
            (try? ShopJSON.decode(ErrorBody.self, from: body).error) ?? String(buffer: body)
        }
    }

    package func send(_ method: String, _ path: String, body: ByteBuffer? = nil, timeoutMS: Int) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        let timeout: Int64 = timeoutMS > 0 ? Int64(timeoutMS) : 3_600_000
        do {
            let response = try await http.execute(request, timeout: .milliseconds(timeout))
            let bytes = try await response.body.collect(upTo: 4 * 1024 * 1024)
            metrics.recordUpstreamCall(dependency: name, outcome: response.status.code < 500 ? "ok" : "error")
            return Answer(status: Int(response.status.code), body: bytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            metrics.recordUpstreamCall(dependency: name, outcome: "timeout")
            throw DependencyError.timedOut(dependency: name, afterMS: timeoutMS)
        } catch {
            metrics.recordUpstreamCall(dependency: name, outcome: "error")
            throw DependencyError.unreachable(dependency: name, reason: Self.reason(for: error))
        }
    }

    /// A short human reason for a transport error, e.g. "connection refused".
    static func reason(for error: any Error) -> String {
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        if let error = error as? HTTPClientError, error == .remoteConnectionClosed { return "connection closed" }
        if text.localizedCaseInsensitiveContains("reset") { return "connection reset" }
        if error is CancellationError { return "cancelled" }
        return text
    }
}

/// ShopHTTPClient is the one HTTP client of a service process.
enum ShopHTTPClient {
    /// Fails fast on a refused connection (no connect retries), so that "refuse" faults fail fast;
    /// follows no redirects; never shut down, like AsyncHTTPClient's own `HTTPClient.shared`.
    static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout.connect = .seconds(5)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}

extension ShopServiceParts {
    /// A client for the dependency `name` (e.g. "ads") at `url`, counting its calls in the service's metrics.
    package func dependency(_ name: String, at url: String) -> DependencyClient {
        DependencyClient(name: name, baseURL: url, metrics: metrics)
    }
}
