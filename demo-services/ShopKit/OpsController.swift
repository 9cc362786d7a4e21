import Hummingbird

/// OpsController serves what every service has: `/healthz`, `/metrics` and the `/admin/config` knobs.
struct OpsController<Knobs: ServiceKnobs> {
    let service: ShopService
    let metrics: ShopMetrics
    let knobs: KnobStore<Knobs>

    struct Health: Codable {
        let status: String
        let service: String
    }

    func addRoutes(to router: Router<ShopRequestContext>) {
        router.get("/healthz") { _, _ in
            ShopJSON.response(Health(status: "ok", service: service.rawValue))
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.exposition()))
            )
        }
        router.get("/admin/config") { _, _ in
            ShopJSON.response(await knobs.current)
        }
        router.put("/admin/config") { request, context in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let updated = try await knobs.merge(body)
            context.logger.info("config changed", metadata: ["config": "\(String(buffer: ShopJSON.encode(updated)))"])
            return ShopJSON.response(updated)
        }
        router.delete("/admin/config") { _, context in
            let defaults = await knobs.reset()
            context.logger.info("config reset")
            return ShopJSON.response(defaults)
        }
    }
}
