import Hummingbird

/// JSONErrorMiddleware turns every error thrown below it into a JSON answer `{"error": "...", "status": N}`
/// with that status.
///
/// It is the only place where a module error (a failing dependency, a bad body) becomes an HTTP status.
package struct JSONErrorMiddleware: RouterMiddleware {
    package typealias Context = ShopRequestContext

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, message) = Self.statusAndMessage(for: error, request: request)
            if status.code >= 500 {
                context.logger.warning("request failed", metadata: [
                    "path": "\(request.uri.path)", "status": "\(status.code)", "error": "\(message)",
                ])
            }
            return ShopJSON.response(ErrorBody(error: message, status: Int(status.code)), status: status)
        }
    }

    package static func statusAndMessage(for error: any Error, request: Request) -> (HTTPResponse.Status, String) {
        switch error {
        case let error as ShopHTTPError:
            return (error.status, error.message)
        case let error as any ShopStatusError:
            return (error.httpStatus, error.description)
        case let error as HTTPError where error.status == .notFound && error.body == nil:
            return (.notFound, "no route for \(request.method) \(request.uri.path)")
        case let error as HTTPError:
            return (error.status, error.body ?? error.status.reasonPhrase.lowercased())
        case is DecodingError:
            return (.badRequest, "invalid JSON body: \(error)")
        default:
            return (.internalServerError, "internal error: \(error)")
        }
    }
}
