import Foundation

/// JourneyStep is one HTTP request of a user journey: "POST storefront /api/checkout".
public struct JourneyStep: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The HTTP methods a step may use.
    public enum Method: String, Sendable, Codable, CaseIterable {
        case get = "GET", post = "POST", put = "PUT", delete = "DELETE"
    }

    public let method: Method
    /// The demo service that receives the request.
    public let service: String
    /// The request path, starting with "/".
    public let path: String

    public init(method: Method, service: String, path: String) {
        self.method = method
        self.service = service
        self.path = path
    }

    /// Parses "METHOD SERVICE PATH", the service one of `services` (any name when nil); the
    /// message of a failure says how to write a step.
    public static func parse(_ text: String, services: [String]? = nil) -> Result<JourneyStep, LabFieldError> {
        let example = "write steps as \"METHOD SERVICE PATH\", like \"GET storefront /\""
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3 else {
            return .failure(.init(message: "bad journey step '\(text)'; \(example)"))
        }
        guard let method = Method(rawValue: parts[0].uppercased()) else {
            let methods = Method.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(.init(message: "bad journey step '\(text)': unknown method '\(parts[0])'; use one of \(methods)"))
        }
        if let services, !services.contains(parts[1]) {
            return .failure(.init(message:
                "unknown service '\(parts[1])' in journey step '\(text)'; known services: \(services.joined(separator: ", "))"))
        }
        guard parts[2].hasPrefix("/") else {
            return .failure(.init(message: "bad journey step '\(text)': the path must start with '/'; \(example)"))
        }
        return .success(JourneyStep(method: method, service: parts[1], path: parts[2]))
    }

    /// "POST storefront /api/checkout".
    public var description: String { "\(method.rawValue) \(service) \(path)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let services = (decoder.userInfo[.problemLog] as? ProblemLog)?.topology?.services
        switch JourneyStep.parse(text, services: services) {
        case .success(let step): self = step
        case .failure(let failure):
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: failure.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
