import Hummingbird
import ShopKit
import ShopModel

/// StorefrontAPIController is the storefront's JSON API: `GET /api/home`, `POST /api/cart/items`, `POST /api/checkout`.
struct StorefrontAPIController {
    let home: HomePageBuilder
    let checkout: CheckoutClient

    struct AddItem: Decodable {
        let sku: String?
    }

    func addRoutes(to router: Router<ShopRequestContext>) {
        router.get("/api/home") { request, _ in
            let session = SessionID(request: request)
            var response = ShopJSON.response(try await home.build(session: session.value))
            session.apply(to: &response)
            return response
        }
        router.post("/api/cart/items") { request, context in
            let session = SessionID(request: request)
            let body = try await request.body.collect(upTo: 64 * 1024)
            let add = body.readableBytes == 0 ? AddItem(sku: nil) : try ShopJSON.decode(AddItem.self, from: body)
            let sku = try Self.sku(add.sku)
            var response = ShopJSON.response(try await checkout.addItem(sku: sku, to: session.value))
            session.apply(to: &response)
            return response
        }
        router.post("/api/checkout") { request, context in
            let session = SessionID(request: request)
            let order = try await checkout.placeOrder(for: session.value)
            context.logger.info("order placed", metadata: ["order_id": "\(order.orderId)"])
            var response = ShopJSON.response(order, status: .created)
            session.apply(to: &response)
            return response
        }
    }

    /// The sku to add: the one asked for, or the first product when none is given.
    static func sku(_ asked: String?) throws -> String {
        guard let asked else { return ProductCatalog.all[0].sku }
        guard ProductCatalog.product(sku: asked) != nil else {
            throw ShopHTTPError.badRequest("unknown sku '\(asked)'")
        }
        return asked
    }
}
