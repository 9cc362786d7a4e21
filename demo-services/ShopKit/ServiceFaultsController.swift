import Hummingbird

/// ServiceFaultsController serves `/admin/faults`, where the lab puts service faults on and takes them off:
///
/// - `GET /admin/faults`: the faults in force (``ServiceFaultsSnapshot``);
/// - `PUT /admin/faults/{kind}` with a body such as `{"rate": 0.3, "duration_ms": 30000}` (see
///   ``ServiceFaultRequest``): starts or replaces that fault and answers like `GET`;
/// - `DELETE /admin/faults/{kind}` and `DELETE /admin/faults`: end one fault or all of them (204).
///
/// An unknown kind, or `empty` on a service other than ads, answers 404.
struct ServiceFaultsController {
    let faults: ServiceFaults

    func addRoutes(to router: Router<ShopRequestContext>) {
        router.get("/admin/faults") { _, _ in
            ShopJSON.response(await faults.snapshot())
        }
        router.put("/admin/faults/{kind}") { request, context in
            let kind = try ServiceFaultKind.named(context.parameters.require("kind"), on: faults.service)
            let body = try await request.body.collect(upTo: 64 * 1024)
            let asked = try ServiceFaultRequest(kind: kind, body: body)
            do {
                try await faults.start(asked.fault, for: asked.duration)
            } catch let error as MemoryBallastError {
                throw ShopHTTPError(.serviceUnavailable, error.description)
            }
            return ShopJSON.response(await faults.snapshot())
        }
        router.delete("/admin/faults/{kind}") { _, context in
            let kind = try ServiceFaultKind.named(context.parameters.require("kind"), on: faults.service)
            await faults.end(kind)
            return HTTPResponse.Status.noContent
        }
        router.delete("/admin/faults") { _, _ in
            await faults.endAll()
            return HTTPResponse.Status.noContent
        }
    }
}
