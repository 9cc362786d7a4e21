import Hummingbird
import LabDomain

/// Toxiproxy 2.x's routes (`/version`, `/proxies`, `/proxies/NAME/toxics`, `/reset`, ...)
/// on a router group: at the root for the default workspace, under `/t/SECRET` for a
/// team's. Each request finds its workspace's API through `endpoint`, which throws (a
/// 404) when there is none.
struct ToxiproxyRoutes: Sendable {
    let endpoint: @Sendable (LabRequestContext) async throws -> ToxiproxyAPI

    func addRoutes(to group: RouterGroup<LabRequestContext>) {
        let api = group.group().add(middleware: RefuseBrowsers())  // on a group of its own: the caller's group stays as it was
        api.get("version") { _, context in
            _ = try await endpoint(context)
            return Toxiproxy.Version(version: Toxiproxy.apiVersion)
        }
        api.get("proxies") { _, context in try await endpoint(context).listProxies() }
        api.post("proxies") { request, context in try await endpoint(context).createProxy(request) }
        api.post("populate") { request, context in try await endpoint(context).populate(request) }
        api.get("proxies/:proxy") { _, context in Toxiproxy.ProxyJSON(try await endpoint(context).proxy(context)) }
        api.post("proxies/:proxy") { request, context in try await update(request, context) }
        api.patch("proxies/:proxy") { request, context in try await update(request, context) }
        api.delete("proxies/:proxy") { _, context in try await endpoint(context).deleteProxy(context) }
        api.post("reset") { _, context in await (try await endpoint(context)).reset() }
        api.get("proxies/:proxy/toxics") { _, context in try await endpoint(context).listToxics(context) }
        api.post("proxies/:proxy/toxics") { request, context in try await endpoint(context).createToxic(request, context) }
        api.get("proxies/:proxy/toxics/:toxic") { _, context in try await endpoint(context).showToxic(context) }
        api.post("proxies/:proxy/toxics/:toxic") { request, context in try await endpoint(context).updateToxic(request, context) }
        api.patch("proxies/:proxy/toxics/:toxic") { request, context in try await endpoint(context).updateToxic(request, context) }
        api.delete("proxies/:proxy/toxics/:toxic") { _, context in try await endpoint(context).deleteToxic(context) }
    }

    private func update(_ request: Request, _ context: LabRequestContext) async throws -> Toxiproxy.ProxyJSON {
        let api = try await endpoint(context)
        return try await api.update(try api.proxy(context), with: request)
    }
}
