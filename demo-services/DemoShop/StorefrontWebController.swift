import Hummingbird

/// StorefrontWebController serves the shop's HTML pages: `GET /`, `GET /products/{sku}` (303 to its place on `/`),
/// `POST /cart/add` (then 303 to `/`) and `POST /checkout` (an order confirmation). Failures render an HTML error page with the same status
/// the JSON API would answer.
struct StorefrontWebController {
    let home: HomePageBuilder
    let checkout: CheckoutClient

    struct AddForm: Decodable {
        let sku: String?
    }

    func addRoutes(to router: Router<ShopRequestContext>) {
        router.get("/") { request, _ in
            let session = SessionID(request: request)
            return await page(request, session) {
                ShopHTML.response(ShopHTML.home(try await home.build(session: session.value)))
            }
        }
        router.get("/products/{sku}") { _, context in
            // Ad banners link here: show the product on the home page.
            let sku = try context.parameters.require("sku")
            guard ProductCatalog.product(sku: sku) != nil else { throw ShopHTTPError(.notFound, "no product '\(sku)'") }
            return Response(status: .seeOther, headers: [.location: "/#\(sku)"])
        }
        router.post("/cart/add") { request, _ in
            let session = SessionID(request: request)
            return await page(request, session) {
                let body = try await request.body.collect(upTo: 16 * 1024)
                let form = try URLEncodedFormDecoder().decode(AddForm.self, from: String(buffer: body))
                _ = try await checkout.addItem(sku: try StorefrontAPIController.sku(form.sku), to: session.value)
                return Response(status: .seeOther, headers: [.location: "/"])
            }
        }
        router.post("/checkout") { request, _ in
            let session = SessionID(request: request)
            return await page(request, session) {
                ShopHTML.response(ShopHTML.confirmation(try await checkout.placeOrder(for: session.value)))
            }
        }
    }

    /// Runs `render`, answering an HTML error page when it fails, and sets a new session's cookie.
    private func page(
        _ request: Request, _ session: SessionID, _ render: () async throws -> Response
    ) async -> Response {
        var response: Response
        do {
            response = try await render()
        } catch {
            let (status, message) = JSONErrorMiddleware.statusAndMessage(for: error, request: request)
            response = ShopHTML.response(ShopHTML.error(message), status: status)
        }
        session.apply(to: &response)
        return response
    }
}
