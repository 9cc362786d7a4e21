import Hummingbird
import HummingbirdTesting
import Testing

@testable import ShopKit
@testable import ShopModel

/// The storefront with its dependencies up, and with each one down, hung or failing.
@Suite struct StorefrontTests {
    @Test func homeShowsProductsAdAndCartCountWhenAllIsUp() async throws {
        try await Shop.withShop { shop in
            // The default 100 ms page-cache budget can run out on a loaded test machine; this test is about hits and misses.
            try await shop.storefront.setKnobs(#"{"page_cache_timeout_ms": 5000}"#)
            let first = try await shop.storefront.get("/api/home", headers: .session("s1"))
            #expect(first.status == .ok)
            let home = try first.json(HomeJSON.self)
            #expect(home.products == ProductCatalog.all)
            #expect(home.ad?.id.hasPrefix("ad-") == true)
            #expect(home.cartCount == 0)
            #expect(home.pageCache == "miss")
            #expect(try await shop.storefront.get("/api/home").json(HomeJSON.self).pageCache == "hit")
        }
    }

    @Test func aCustomerAddsToCartAndChecksOut() async throws {
        try await Shop.withShop { shop in
            let added = try await shop.storefront.post("/api/cart/items", json: #"{"sku":"hand-grinder"}"#, headers: .session("s2"))
            #expect(try added.json(Cart.self).count == 1)
            _ = try await shop.storefront.post("/api/cart/items", headers: .session("s2"))
            #expect(try await shop.storefront.get("/api/home", headers: .session("s2")).json(HomeJSON.self).cartCount == 2)

            let placed = try await shop.storefront.post("/api/checkout", headers: .session("s2"))
            #expect(placed.status == .created)
            #expect(try placed.json(Order.self).totalCents == 6400 + ProductCatalog.all[0].priceCents)

            let empty = try await shop.storefront.post("/api/checkout", headers: .session("s2"))
            #expect(empty.status == .badRequest)
            #expect(empty.errorMessage == "checkout rejected the request: cart 's2' is empty")
        }
    }

    @Test func aNewVisitorGetsASessionCookie() async throws {
        try await Shop.withShop { shop in
            let response = try await shop.storefront.get("/api/home")
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.hasPrefix("session=") && cookie.contains("HttpOnly"))
        }
    }

    @Test func adsDownFailsTheHomePageUntilTheFallbackIsOn() async throws {
        try await Shop.withShop(adsURL: try ClosedPort.url()) { shop in
            let failed = try await shop.storefront.get("/api/home")
            #expect(failed.status == .badGateway)
            #expect(failed.errorMessage == "ads unavailable: connection refused")

            try await shop.storefront.setKnobs(#"{"ads_fallback":true}"#)
            let degraded = try await shop.storefront.get("/api/home")
            #expect(degraded.status == .ok)
            #expect(degraded.text.contains(#""ad":null"#))
            #expect(try degraded.json(HomeJSON.self).products.count == ProductCatalog.all.count)
        }
    }

    @Test func hungAdsWithATimeoutAndFallbackAnswersWithinASecond() async throws {
        let blackhole = try Blackhole()
        try await Shop.withShop(adsURL: blackhole.url) { shop in
            try await shop.storefront.setKnobs(#"{"ads_timeout_ms":200,"ads_fallback":true}"#)
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await shop.storefront.get("/api/home")
            #expect(clock.now - start < .seconds(1))
            #expect(response.status == .ok)
            #expect(try response.json(HomeJSON.self).ad == nil)
        }
    }

    @Test func hungAdsWithATimeoutButNoFallbackIsAGatewayTimeout() async throws {
        let blackhole = try Blackhole()
        try await Shop.withShop(adsURL: blackhole.url) { shop in
            try await shop.storefront.setKnobs(#"{"ads_timeout_ms":150}"#)
            let response = try await shop.storefront.get("/api/home")
            #expect(response.status == .gatewayTimeout)
            #expect(response.errorMessage == "ads unavailable: timed out after 150 ms")
        }
    }

    @Test func pageCacheDownOrHungIsBypassed() async throws {
        try await Shop.withShop(pageCacheURL: try ClosedPort.url()) { shop in
            let response = try await shop.storefront.get("/api/home")
            #expect(response.status == .ok)
            #expect(try response.json(HomeJSON.self).pageCache == "bypass")
        }
        let blackhole = try Blackhole()
        try await Shop.withShop(pageCacheURL: blackhole.url) { shop in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await shop.storefront.get("/api/home")
            #expect(clock.now - start < .seconds(1))
            #expect(try response.json(HomeJSON.self).pageCache == "bypass")
        }
    }

    @Test func checkoutDownFailsTheHomePageUntilTheCartCountFallbackIsOn() async throws {
        try await Shop.withShop(checkoutURL: try ClosedPort.url()) { shop in
            let failed = try await shop.storefront.get("/api/home")
            #expect(failed.status == .badGateway)
            #expect(failed.errorMessage == "checkout unavailable: connection refused")

            try await shop.storefront.setKnobs(#"{"cart_count_fallback":true}"#)
            let degraded = try await shop.storefront.get("/api/home")
            #expect(degraded.status == .ok)
            #expect(degraded.text.contains(#""cart_count":null"#))
        }
    }
}
