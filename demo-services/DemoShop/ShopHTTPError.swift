import Hummingbird

/// ShopHTTPError is an error a handler answers with: an HTTP status and a message for `{"error": "...", "status": N}`.
struct ShopHTTPError: Error, CustomStringConvertible {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }

    static func badRequest(_ message: String) -> ShopHTTPError { .init(.badRequest, message) }
}

/// ErrorBody is the JSON every error answers with: the message and the HTTP status again.
struct ErrorBody: Codable, Equatable {
    let error: String
    let status: Int
}
