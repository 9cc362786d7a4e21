import Hummingbird
import LabDomain

/// On a group server, reads the token of each request, `Authorization: Bearer TOKEN` or else
/// the browser's session cookie, and puts who it names into the context. It refuses nothing
/// itself: each route group says who may pass (`FacilitatorOnly`, a team's resolver).
struct IdentifyCaller: RouterMiddleware {
    typealias Context = LabRequestContext
    let access: GroupAccess

    /// The browser's session cookie, set when a person joins a team.
    static let sessionCookie = "chaoslab_session"

    /// The `Set-Cookie` value that keeps `token` as the browser's session: HttpOnly, SameSite=Strict.
    static func sessionCookieHeader(_ token: String) -> String {
        Cookie(name: sessionCookie, value: token, path: "/", httpOnly: true, sameSite: .strict).description
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        do {
            context.caller = .principal(try await access.principal(ofToken: try Self.sessionToken(of: request)))
        } catch {
            context.caller = .refused(error)
        }
        return try await next(request, context)
    }

    /// The bearer token, or else the session cookie; 401 when there is neither.
    static func sessionToken(of request: Request) throws(LabError) -> String {
        if request.headers[.authorization] != nil { return try bearerToken(of: request) }
        if let cookie = request.cookies[sessionCookie]?.value, !cookie.isEmpty { return cookie }
        return try bearerToken(of: request)
    }

    /// The token of an `Authorization: Bearer TOKEN` header; 401 when there is none.
    static func bearerToken(of request: Request) throws(LabError) -> String {
        guard let header = request.headers[.authorization] else {
            throw .unauthenticated("missing token: send Authorization: Bearer TOKEN (the facilitator's or your team's; chaoslab commands take --token or CHAOSLAB_TOKEN)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .unauthenticated("the Authorization header must be 'Bearer TOKEN'")
        }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}

/// The facilitator's routes on a group server: the teams, the overview, and the default
/// workspace (its lab API, its Toxiproxy API at the root, its pages and /metrics). The groups
/// of those routes carry this. It fails closed: a request that `IdentifyCaller` did not see
/// (a route registered without it) is refused too.
struct FacilitatorOnly: RouterMiddleware {
    typealias Context = LabRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let principal = try context.principal() else {
            throw LabError.failed("no caller identified for \(request.uri.path): FacilitatorOnly needs IdentifyCaller before it")
        }
        try GroupAccess.requireFacilitator(principal)
        return try await next(request, context)
    }
}
