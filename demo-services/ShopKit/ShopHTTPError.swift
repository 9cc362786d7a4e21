import Hummingbird

/// ShopHTTPError is an error a handler answers with: an HTTP status and a message for `{"error": "...", "status": N}`.
package struct ShopHTTPError: Error, CustomStringConvertible {
    package let status: HTTPResponse.Status
    package let message: String

    package init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    package var description: String { message }

    package static func badRequest(_ message: String) -> ShopHTTPError { .init(.badRequest, message) }
}

/// ErrorBody is the JSON every error answers with: the message and the HTTP status again.
package struct ErrorBody: Codable, Equatable {
    package let error: String
    package let status: Int
}

/// ShopStatusError is an error of another module that knows the status a service answers it with
/// (a failing dependency's `DependencyError`); its description is the message.
package protocol ShopStatusError: Error, CustomStringConvertible {
    var httpStatus: HTTPResponse.Status { get }
}
