/// CartItem is one line of a cart.
struct CartItem: Codable, Equatable, Sendable {
    let sku: String
    var qty: Int
}

/// Cart is a cart as checkout answers it.
struct Cart: Codable, Equatable, Sendable {
    let cartId: String
    let items: [CartItem]
    let count: Int

    init(cartId: String, items: [CartItem]) {
        self.cartId = cartId
        self.items = items
        self.count = items.reduce(0) { $0 + $1.qty }
    }
}

/// Order is a placed order.
struct Order: Codable, Equatable, Sendable {
    let orderId: String
    let items: [CartItem]
    let totalCents: Int
}
