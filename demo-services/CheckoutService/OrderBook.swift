import ShopModel

/// OrderBook keeps placed orders in memory.
actor OrderBook {
    private var orders: [Order] = []

    func place(_ items: [CartItem]) -> Order {
        let total = items.reduce(0) { sum, item in
            sum + item.qty * (ProductCatalog.product(sku: item.sku)?.priceCents ?? 0)
        }
        let order = Order(orderId: "ord-\(orders.count + 1)-\(SessionID.random().prefix(6))", items: items, totalCents: total)
        orders.append(order)
        return order
    }
}
