import Hummingbird
import ShopKit

/// DependencyError says how a call to a dependency failed; its description names the dependency.
package enum DependencyError: ShopStatusError {
    /// No answer: refused, reset or closed connection.
    case unreachable(dependency: String, reason: String)
    /// No answer within the call's timeout.
    case timedOut(dependency: String, afterMS: Int)
    /// An answer with an error status.
    case failed(dependency: String, status: Int, message: String)
    /// An answer we cannot use (undecodable, or empty where something was needed).
    case badAnswer(dependency: String, reason: String)

    package var description: String {
        switch self {
        case .failed(let dependency, let status, let message) where (400..<500).contains(status):
            "\(dependency) rejected the request: \(message)"
        case .timedOut(let dependency, _), .unreachable(let dependency, _),
            .failed(let dependency, _, _), .badAnswer(let dependency, _):
            "\(dependency) unavailable: \(reason)"
        }
    }

    /// What went wrong, without the dependency's name.
    package var reason: String {
        switch self {
        case .unreachable(_, let reason), .badAnswer(_, let reason): reason
        case .timedOut(_, let afterMS): "timed out after \(afterMS) ms"
        case .failed(_, let status, let message): "answered \(status): \(message)"
        }
    }

    /// A 4xx answer is the caller's mistake: retrying cannot help.
    package var isRetryable: Bool {
        if case .failed(_, let status, _) = self, (400..<500).contains(status) { return false }
        return true
    }

    /// The status a caller answers with: 504 on timeout, the same 4xx on a rejected request, else 502.
    package var httpStatus: HTTPResponse.Status {
        switch self {
        case .timedOut: .gatewayTimeout
        case .failed(_, let status, _) where (400..<500).contains(status): .init(code: status)
        default: .badGateway
        }
    }
}
