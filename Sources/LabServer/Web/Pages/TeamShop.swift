import AsyncHTTPClient
import Foundation
import LabDomain
import HTTPTypes
import Hummingbird
import NIOCore

/// The team's storefront through the lab server, at `/teams/{name}/shop/`: the user of a remote
/// game day reaches the shop where the lab server is reachable, while the services themselves
/// listen on loopback only. Only the shop's pages for people pass (the home page, a product,
/// adding to the cart, checking out), never its admin, metrics or fault endpoints. The passage
/// tells the storefront its prefix (`X-Forwarded-Prefix`), and the storefront puts its links,
/// redirects and cookie under it; the shop's own session cookie passes, no other cookie.
/// Faults on the shop's dependencies show here as they do on the shop itself.
struct TeamShop {
    let access: GroupAccess
    let client: HTTPClient

    func addRoutes(to router: RouterGroup<LabRequestContext>) {
        // With or without the trailing slash: the router takes both as one path.
        router.get("teams/:team/shop") { request, context in try await pass(request, context, path: "/") }
        router.get("teams/:team/shop/products/:sku") { request, context in
            let sku = try context.parameters.require("sku")
            guard (1...64).contains(sku.count), sku.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
                throw LabError.notFound("no product '\(sku)'")
            }
            return try await pass(request, context, path: "/products/\(sku)")
        }
        router.post("teams/:team/shop/cart/add") { request, context in try await pass(request, context, path: "/cart/add") }
        router.post("teams/:team/shop/checkout") { request, context in try await pass(request, context, path: "/checkout") }
    }

    private func pass(_ request: Request, _ context: LabRequestContext, path: String) async throws -> Response {
        let team = try await context.actor(onTeam: try context.parameters.require("team"), for: .read, access: access).team
        guard let storefront = await team.workspace.sandbox.entryURL() else {
            throw LabError.unavailable("team \(team.name)'s storefront is not running")
        }
        let prefix = "/teams/\(team.name)/shop"
        var upstream = HTTPClientRequest(url: storefront + path)
        upstream.method = request.method == .post ? .POST : .GET
        if let type = request.headers[.contentType] { upstream.headers.add(name: "Content-Type", value: type) }
        // The storefront puts its links, redirects and session cookie under the prefix itself.
        upstream.headers.add(name: "X-Forwarded-Prefix", value: prefix)
        // The shop's own session cookie only: the lab's cookies never reach the shop.
        if let session = request.cookies["session"]?.value { upstream.headers.add(name: "Cookie", value: "session=\(session)") }
        if request.method == .post {
            upstream.body = .bytes(try await request.body.collect(upTo: 16 * 1024))
        }
        let answer: HTTPClientResponse
        do {
            answer = try await client.execute(upstream, timeout: .seconds(30))
        } catch {
            throw LabError.serviceRefused("team \(team.name)'s storefront did not answer: \(error)")
        }
        let body = try await answer.body.collect(upTo: 4 << 20)
        var headers = HTTPFields()
        headers[.contentType] = answer.headers.first(name: "Content-Type") ?? "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // The shop's pages run on the lab's origin: no script of theirs may run, and forms post to this origin only.
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'self'"
        if let location = answer.headers.first(name: "Location") { headers[.location] = location }
        for cookie in answer.headers["Set-Cookie"] { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .init(code: Int(answer.status.code)), headers: headers, body: .init(byteBuffer: body))
    }
}
