/// Product is one thing the shop sells.
package struct Product: Codable, Equatable, Sendable {
    package let sku: String
    package let name: String
    package let priceCents: Int
}

/// ProductCatalog is the shop's fixed list of products, shared by storefront (listing) and checkout (prices).
package enum ProductCatalog {
    package static let all: [Product] = [
        Product(sku: "espresso-beans", name: "House espresso beans, 500 g", priceCents: 1450),
        Product(sku: "pour-over-kettle", name: "Pour-over kettle", priceCents: 3900),
        Product(sku: "stoneware-mug", name: "Stoneware mug", priceCents: 1200),
        Product(sku: "paper-filters", name: "Paper filters, 100 pack", priceCents: 550),
        Product(sku: "hand-grinder", name: "Hand grinder", priceCents: 6400),
    ]

    package static func product(sku: String) -> Product? {
        all.first { $0.sku == sku }
    }
}
