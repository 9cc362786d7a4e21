import Hummingbird

/// InjectedErrorsMiddleware answers the share of business requests that the errors fault asks for with
/// `500 {"error":"injected fault: errors","status":500}` (written by ``JSONErrorMiddleware``).
///
/// `/healthz`, `/metrics` and `/admin/…` are never failed and do not count towards the share, so that the
/// lab can still watch and steer a failing service.
struct InjectedErrorsMiddleware: RouterMiddleware {
    typealias Context = ShopRequestContext
    let faults: ServiceFaults

    static let message = "injected fault: errors"

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if !Self.isExempt(request.uri.path), await faults.shouldFailRequest() {
            throw ShopHTTPError(.internalServerError, Self.message)
        }
        return try await next(request, context)
    }

    /// Whether `path` is an ops or admin path, which no injected error touches.
    static func isExempt(_ path: String) -> Bool {
        path == "/healthz" || path == "/metrics" || path == "/admin" || path.hasPrefix("/admin/")
    }
}
