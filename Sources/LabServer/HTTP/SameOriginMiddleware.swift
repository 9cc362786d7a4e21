import HTTPTypes
import Hummingbird
import LabDomain

/// Refuses cross-site requests to the lab API, so that no other web page open in the
/// learner's browser can start attacks, add faults or halt them:
/// - the `Host` header must name this machine's loopback (127.0.0.1, localhost, [::1])
///   or the address the server was told to bind, which defeats DNS rebinding;
/// - a state-changing request (anything but GET, HEAD, OPTIONS) that carries an `Origin`
///   must come from the lab server's own origin, and one marked `Sec-Fetch-Site:
///   cross-site` is refused.
/// No CORS headers are ever sent, so browsers also keep other pages from reading answers.
struct SameOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The host the server binds, besides the loopback names.
    let boundHost: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority ?? ""
        guard Self.isAllowedHost(host, boundHost: boundHost) else {
            throw APIError(.forbidden, "Host '\(host)' is not this lab server; open it as http://127.0.0.1:PORT")
        }
        let safe: Set<HTTPRequest.Method> = [.get, .head, .options]
        if !safe.contains(request.method) {
            if let origin = request.headers[.origin], origin != "http://\(host)" {
                throw APIError(.forbidden, "cross-site request refused: Origin \(origin) is not this lab server (http://\(host))")
            }
            if request.headers[HTTPField.Name("Sec-Fetch-Site")!] == "cross-site" {
                throw APIError(.forbidden, "cross-site request refused (Sec-Fetch-Site: cross-site)")
            }
        }
        return try await next(request, context)
    }

    /// "127.0.0.1:8474", "localhost:8474", "[::1]:8474", or the bound host; a missing Host
    /// (HTTP/1.0 clients) is allowed.
    static func isAllowedHost(_ authority: String, boundHost: String) -> Bool {
        guard !authority.isEmpty else { return true }
        var name = authority
        if name.hasPrefix("["), let close = name.firstIndex(of: "]") {
            name = String(name[name.index(after: name.startIndex)..<close])
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return name == boundHost || isLoopback(name)
    }
}
