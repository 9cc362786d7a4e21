import Hummingbird
import ShopKit
import ShopModel

/// StorefrontWebController serves the shop's HTML pages: `GET /`, `GET /products/{sku}` (303 to its place on `/`),
/// `POST /cart/add` (then 303 to `/`) and `POST /checkout` (an order confirmation). Failures render an HTML error page with the same status
/// the JSON API would answer. Behind a reverse proxy that sends `X-Forwarded-Prefix`, every link, redirect and the
/// session cookie are under that prefix (`BasePath`).
struct StorefrontWebController {
    let home: HomePageBuilder
    let checkout: CheckoutClient

    struct AddForm: Decodable {
        let sku: String?
    }

    func addRoutes(to router: Router<ShopRequestContext>) {
        router.get("/") { request, _ in
            let session = SessionID(request: request)
            return await page(request, session) { base in
                ShopHTML.response(ShopHTML.home(try await home.build(session: session.value), base: base))
            }
        }
        router.get("/products/{sku}") { request, context in
            // Ad banners link here: show the product on the home page.
            let sku = try context.parameters.require("sku")
            guard ProductCatalog.product(sku: sku) != nil else { throw ShopHTTPError(.notFound, "no product '\(sku)'") }
            return Response(status: .seeOther, headers: [.location: BasePath(request: request).link("/#\(sku)")])
        }
        router.post("/cart/add") { request, _ in
            let session = SessionID(request: request)
            return await page(request, session) { base in
                let body = try await request.body.collect(upTo: 16 * 1024)
                let form = try URLEncodedFormDecoder().decode(AddForm.self, from: String(buffer: body))
                _ = try await checkout.addItem(sku: try StorefrontAPIController.sku(form.sku), to: session.value)
                return Response(status: .seeOther, headers: [.location: base.link("/")])
            }
        }
        router.post("/checkout") { request, _ in
            let session = SessionID(request: request)
            return await page(request, session) { base in
                ShopHTML.response(ShopHTML.confirmation(try await checkout.placeOrder(for: session.value), base: base))
            }
        }
    }

    /// Runs `render`, answering an HTML error page when it fails, and sets a new session's cookie.
    private func page(
        _ request: Request, _ session: SessionID, _ render: (BasePath) async throws -> Response
    ) async -> Response {
        let base = BasePath(request: request)
        var response: Response
        do {
            response = try await render(base)
        } catch {
            let (status, message) = JSONErrorMiddleware.statusAndMessage(for: error, request: request)
            response = ShopHTML.response(ShopHTML.error(message, base: base), status: status)
        }
        session.apply(to: &response, path: base.cookiePath)
        return response
    }
}
