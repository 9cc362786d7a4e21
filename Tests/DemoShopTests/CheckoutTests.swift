import Hummingbird
import HummingbirdTesting
import Testing

@testable import ShopKit
@testable import ShopModel

/// Checkout keeps carts only in the cache: a real cache instance in the happy path, a dead one for the flaw.
@Suite struct CheckoutTests {
    @Test func cartAndOrderGoThroughARealCache() async throws {
        try await Shop.withService(.cache) { cache in
            try await Shop.withService(.checkout, ServiceOptions(cacheURL: cache.url)) { checkout in
                #expect(try await checkout.get("/carts/c1").json(Cart.self) == Cart(cartId: "c1", items: []))

                _ = try await checkout.post("/carts/c1/items", json: #"{"sku":"stoneware-mug","qty":1}"#)
                let cart = try await checkout.post("/carts/c1/items", json: #"{"sku":"stoneware-mug","qty":2}"#)
                #expect(try cart.json(Cart.self) == Cart(cartId: "c1", items: [CartItem(sku: "stoneware-mug", qty: 3)]))
                #expect(try await cache.get("/kv/cart:c1").text.contains("stoneware-mug"))

                let placed = try await checkout.post("/orders", json: #"{"cart_id":"c1"}"#)
                #expect(placed.status == .created)
                let order = try placed.json(Order.self)
                #expect(order.totalCents == 3 * 1200 && order.items.count == 1)
                #expect(try await checkout.get("/carts/c1").json(Cart.self).count == 0)

                let again = try await checkout.post("/orders", json: #"{"cart_id":"c1"}"#)
                #expect(again.status == .badRequest)
                #expect(again.errorMessage == "cart 'c1' is empty")
            }
        }
    }

    @Test func unknownSkuIsABadRequest() async throws {
        try await Shop.withService(.checkout, ServiceOptions(cacheURL: try ClosedPort.url())) { checkout in
            let response = try await checkout.post("/carts/c1/items", json: #"{"sku":"unicorn"}"#)
            #expect(response.status == .badRequest)
            #expect(response.errorMessage == "unknown sku 'unicorn'")
        }
    }

    @Test func cacheDownFailsCartsUntilTheFallbackIsOn() async throws {
        try await Shop.withService(.checkout, ServiceOptions(cacheURL: try ClosedPort.url())) { checkout in
            let failed = try await checkout.post("/carts/c2/items", json: #"{"sku":"paper-filters"}"#)
            #expect(failed.status == .serviceUnavailable)
            #expect(failed.errorMessage == "cart storage unavailable: connection refused")

            try await checkout.setKnobs(#"{"cart_fallback":true}"#)
            let added = try await checkout.post("/carts/c2/items", json: #"{"sku":"paper-filters"}"#)
            #expect(added.status == .ok)
            #expect(try await checkout.get("/carts/c2").json(Cart.self).count == 1)
            #expect(try await checkout.post("/orders", json: #"{"cart_id":"c2"}"#).status == .created)
        }
    }

    @Test func hungCacheWithATimeoutFailsFast() async throws {
        let blackhole = try Blackhole()
        try await Shop.withService(.checkout, ServiceOptions(cacheURL: blackhole.url)) { checkout in
            try await checkout.setKnobs(#"{"cache_timeout_ms":150}"#)
            let response = try await checkout.get("/carts/c3")
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorMessage == "cart storage unavailable: timed out after 150 ms")
        }
    }
}
