import Hummingbird
import HummingbirdTesting
import Testing

@testable import ShopKit
@testable import StorefrontService

/// The admin endpoint shows, merges and resets a service's knobs.
@Suite struct AdminConfigTests {
    let storefrontDefaults = """
        {"ads_fallback":false,"ads_timeout_ms":0,"cart_count_fallback":false,"checkout_retries":2,\
        "checkout_timeout_ms":0,"page_cache_fallback":true,"page_cache_timeout_ms":100,"retry_backoff_ms":0}
        """

    @Test func storefrontShowsEveryKnobWithItsFlawedDefault() async throws {
        try await Shop.withService(.storefront, OpsTests.unusedDependencies) { storefront in
            let shown = try await storefront.get("/admin/config").text
            #expect(shown == storefrontDefaults)
        }
    }

    @Test func putMergesAPartialConfigAndDeleteResets() async throws {
        try await Shop.withService(.storefront, OpsTests.unusedDependencies) { storefront in
            let merged = try await storefront.put("/admin/config", body: #"{"ads_fallback":true,"ads_timeout_ms":300}"#)
            #expect(merged.status == .ok)
            let knobs = try merged.json(StorefrontKnobs.self)
            #expect(knobs.adsFallback && knobs.adsTimeoutMs == 300 && knobs.checkoutRetries == 2)
            #expect(try await storefront.get("/admin/config").json(StorefrontKnobs.self) == knobs)

            let reset = try await storefront.delete("/admin/config")
            #expect(reset.text == storefrontDefaults)
            #expect(try await storefront.get("/admin/config").text == storefrontDefaults)
        }
    }

    @Test func unknownKnobIsRejectedAndNothingChanges() async throws {
        try await Shop.withService(.storefront, OpsTests.unusedDependencies) { storefront in
            let response = try await storefront.put("/admin/config", body: #"{"ads_fallback":true,"x":1}"#)
            #expect(response.status == .badRequest)
            #expect(response.errorMessage == "unknown knob 'x' for storefront")
            #expect(try await storefront.get("/admin/config").text == storefrontDefaults)
        }
    }

    @Test(arguments: [
        (#"{"ads_fallback":1}"#, "knob 'ads_fallback' for storefront expects a boolean"),
        (#"{"ads_timeout_ms":true}"#, "knob 'ads_timeout_ms' for storefront expects a whole number"),
        (#"{"ads_timeout_ms":"300"}"#, "knob 'ads_timeout_ms' for storefront expects a whole number"),
        (#"{"checkout_retries":-1}"#, "knob 'checkout_retries' for storefront must be 0 or more"),
        (#"[1]"#, "config must be a JSON object of knobs for storefront"),
    ])
    func badValuesAreRejected(body: String, message: String) async throws {
        try await Shop.withService(.storefront, OpsTests.unusedDependencies) { storefront in
            let response = try await storefront.put("/admin/config", body: body)
            #expect(response.status == .badRequest)
            #expect(response.errorMessage == message)
        }
    }

    @Test func checkoutKnobsAndEmptyConfigs() async throws {
        try await Shop.withService(.checkout, OpsTests.unusedDependencies) { checkout in
            let shown = try await checkout.get("/admin/config").text
            #expect(shown == #"{"cache_timeout_ms":0,"cart_fallback":false}"#)
        }
        try await Shop.withService(.cache) { cache in
            #expect(try await cache.get("/admin/config").text == "{}")
            let response = try await cache.put("/admin/config", body: #"{"x":1}"#)
            #expect(response.errorMessage == "unknown knob 'x' for cache")
            #expect(try await cache.delete("/admin/config").text == "{}")
        }
    }
}
