import Hummingbird
import HummingbirdTesting
import Testing

@testable import ShopKit
@testable import ShopModel
@testable import StorefrontService

@Suite struct StorefrontRetryAndHTMLTests {
    @Test func aFailingCheckoutIsCalledOncePlusTheRetries() async throws {
        // Checkout's cart storage is down, so checkout answers 503 and the storefront retries.
        try await Shop.withShop(cartCacheURL: try ClosedPort.url()) { shop in
            let cartCalls = ["route": "/carts/{id}", "status": "503"]
            let failed = try await shop.storefront.get("/api/home")
            #expect(failed.status == .badGateway)
            #expect(failed.errorMessage == "checkout unavailable: answered 503: cart storage unavailable: connection refused")
            #expect(try await shop.checkout.metric("http_requests_total", cartCalls) == 3)

            try await shop.storefront.setKnobs(#"{"checkout_retries":0}"#)
            _ = try await shop.storefront.get("/api/home")
            #expect(try await shop.checkout.metric("http_requests_total", cartCalls) == 4)

            try await shop.storefront.setKnobs(#"{"checkout_retries":1,"retry_backoff_ms":10}"#)
            _ = try await shop.storefront.get("/api/home")
            #expect(try await shop.checkout.metric("http_requests_total", cartCalls) == 6)
            #expect(try await shop.storefront.metric("upstream_calls_total", ["dependency": "checkout"]) == 6)
        }
    }

    @Test func aRejectedRequestIsNotRetried() async throws {
        try await Shop.withShop { shop in
            let empty = try await shop.storefront.post("/api/checkout", headers: .session("r1"))
            #expect(empty.status == .badRequest)
            #expect(try await shop.checkout.metric("http_requests_total", ["route": "/orders"]) == 1)
        }
    }

    @Test func theHTMLPageShowsProductsCartCountAndForms() async throws {
        try await Shop.withShop { shop in
            let added = try await shop.storefront.post(
                "/cart/add", headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "session=h1"]
            )
            #expect(added.status == .seeOther)  // no sku: the first product
            let form = try await shop.storefront.client.execute(
                uri: "/cart/add", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "session=h1"],
                body: ByteBuffer(string: "sku=paper-filters")
            )
            #expect(form.status == .seeOther)
            #expect(form.headers[.location] == "/")

            let page = try await shop.storefront.get("/", headers: [.cookie: "session=h1"])
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            for product in ProductCatalog.all {
                #expect(page.text.contains(ShopHTML.escape(product.name)))
            }
            #expect(page.text.contains(#"<strong id="cart-count">2</strong>"#))
            #expect(page.text.contains(#"<html lang="en">"#))
            #expect(page.text.contains(#"action="/checkout""#))
            let adLink = try await shop.storefront.get("/products/paper-filters")
            #expect(adLink.status == .seeOther && adLink.headers[.location] == "/#paper-filters")

            let confirmation = try await shop.storefront.post("/checkout", headers: [.cookie: "session=h1"])
            #expect(confirmation.status == .ok)
            #expect(confirmation.text.contains("Your order is confirmed"))
        }
    }

    @Test("behind a proxy that sends X-Forwarded-Prefix, every link, form, redirect and the session cookie are under it")
    func thePagesFollowTheForwardedPrefix() async throws {
        try await Shop.withShop { shop in
            let prefix: HTTPFields = [.init("X-Forwarded-Prefix")!: "/teams/red/shop"]
            let page = try await shop.storefront.get("/", headers: prefix)
            #expect(page.text.contains(#"action="/teams/red/shop/cart/add""#))
            #expect(page.text.contains(#"action="/teams/red/shop/checkout""#))
            #expect(page.text.contains(#"<a href="/teams/red/shop/">Home</a>"#))
            #expect(!page.text.contains(#"href="/""#) && !page.text.contains(#"action="/c"#), "no link is left at the root")
            #expect(page.headers[.setCookie]?.contains("Path=/teams/red/shop/") == true)
            var form = prefix
            form[.contentType] = "application/x-www-form-urlencoded"
            form[.cookie] = "session=p1"
            let added = try await shop.storefront.post("/cart/add", headers: form)
            #expect(added.status == .seeOther && added.headers[.location] == "/teams/red/shop/")
            let adLink = try await shop.storefront.get("/products/paper-filters", headers: prefix)
            #expect(adLink.headers[.location] == "/teams/red/shop/#paper-filters")

            // A prefix that is not a plain path is not put into pages: they stay at the root.
            for odd in ["teams/red", "/teams/../admin", "/a\"onload=\"x", "//evil.example", "/"] {
                let page = try await shop.storefront.get("/", headers: [.init("X-Forwarded-Prefix")!: odd])
                #expect(page.text.contains(#"action="/cart/add""#), "\(odd)")
            }
        }
    }

    @Test func theHTMLPageFailsVisiblyWhenAdsIsDown() async throws {
        try await Shop.withShop(adsURL: try ClosedPort.url()) { shop in
            let page = try await shop.storefront.get("/")
            #expect(page.status == .badGateway)
            #expect(page.text.contains("ads unavailable: connection refused"))
        }
    }
}
