import Hummingbird

/// Refuses requests from web browsers, as Toxiproxy does: any `User-Agent` starting
/// with `Mozilla/` gets a 403.
struct RefuseBrowsers<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let agent = request.headers[.userAgent], agent.hasPrefix("Mozilla/") {
            throw APIError(.forbidden, "User agent not allowed: browsers may not use the Toxiproxy API (a web page must not inject faults)")
        }
        return try await next(request, context)
    }
}
