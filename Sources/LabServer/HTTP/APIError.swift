import Foundation
import LabDomain
import Hummingbird

/// An error of the lab API: an HTTP status and a message that says what to do,
/// written as `{"error": "...", "status": N}`.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(ErrorBody(error: message, status: Int(status.code)))
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    static func conflict(_ message: String) -> APIError { APIError(.conflict, message) }
}

/// The JSON shape of every error answer.
public struct ErrorBody: Codable, Sendable {
    public let error: String
    public let status: Int
}
