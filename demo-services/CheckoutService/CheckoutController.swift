import Hummingbird
import ShopKit
import ShopModel

/// CheckoutController serves carts and orders: `GET /carts/{id}`, `POST /carts/{id}/items`, `POST /orders`.
struct CheckoutController {
    let carts: CartStorage
    let orders: OrderBook

    struct AddItem: Decodable {
        let sku: String
        let qty: Int?
    }

    struct PlaceOrder: Decodable {
        let cartId: String
    }

    func addRoutes(to router: Router<ShopRequestContext>) {
        router.get("/carts/{id}") { _, context in
            let cartID = try Self.cartID(context.parameters.require("id"))
            return ShopJSON.response(Cart(cartId: cartID, items: try await carts.items(of: cartID)))
        }
        router.post("/carts/{id}/items") { request, context in
            let cartID = try Self.cartID(context.parameters.require("id"))
            let add = try await request.decode(as: AddItem.self, context: context)
            let qty = add.qty ?? 1
            guard ProductCatalog.product(sku: add.sku) != nil else {
                throw ShopHTTPError.badRequest("unknown sku '\(add.sku)'")
            }
            guard (1...99).contains(qty) else {
                throw ShopHTTPError.badRequest("qty must be between 1 and 99")
            }
            var items = try await carts.items(of: cartID)
            if let index = items.firstIndex(where: { $0.sku == add.sku }) {
                items[index].qty += qty
            } else {
                items.append(CartItem(sku: add.sku, qty: qty))
            }
            try await carts.save(items, for: cartID)
            return ShopJSON.response(Cart(cartId: cartID, items: items))
        }
        router.post("/orders") { request, context in
            let place = try await request.decode(as: PlaceOrder.self, context: context)
            let cartID = try Self.cartID(place.cartId)
            let items = try await carts.items(of: cartID)
            guard !items.isEmpty else {
                throw ShopHTTPError.badRequest("cart '\(cartID)' is empty")
            }
            let order = await orders.place(items)
            try await carts.clear(cartID)
            context.logger.info("order placed", metadata: ["order_id": "\(order.orderId)", "cart_id": "\(cartID)"])
            return ShopJSON.response(order, status: .created)
        }
    }

    static func cartID(_ raw: String) throws -> String {
        guard SessionID.isValid(raw) else {
            throw ShopHTTPError.badRequest("cart id must be 1-64 letters, digits, '-' or '_'")
        }
        return raw
    }
}
