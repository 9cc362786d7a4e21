/// CartItem is one line of a cart.
package struct CartItem: Codable, Equatable, Sendable {
    package let sku: String
    package var qty: Int

    package init(sku: String, qty: Int) {
        self.sku = sku
        self.qty = qty
    }
}

/// Cart is a cart as checkout answers it.
package struct Cart: Codable, Equatable, Sendable {
    package let cartId: String
    package let items: [CartItem]
    package let count: Int

    package init(cartId: String, items: [CartItem]) {
        self.cartId = cartId
        self.items = items
        self.count = items.reduce(0) { $0 + $1.qty }
    }
}

/// Order is a placed order.
package struct Order: Codable, Equatable, Sendable {
    package let orderId: String
    package let items: [CartItem]
    package let totalCents: Int

    package init(orderId: String, items: [CartItem], totalCents: Int) {
        self.orderId = orderId
        self.items = items
        self.totalCents = totalCents
    }
}
