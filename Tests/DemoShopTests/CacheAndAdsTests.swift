import Hummingbird
import HummingbirdTesting
import Testing

@testable import ShopKit
@testable import ShopModel

@Suite struct CacheAndAdsTests {
    @Test func cacheStoresReturnsAndDeletesBytes() async throws {
        try await Shop.withService(.cache) { cache in
            #expect(try await cache.get("/kv/greeting").status == .notFound)
            #expect(try await cache.put("/kv/greeting", body: "hello").status == .noContent)
            let stored = try await cache.get("/kv/greeting")
            #expect(stored.status == .ok && stored.text == "hello")
            #expect(try await cache.delete("/kv/greeting").status == .noContent)
            #expect(try await cache.get("/kv/greeting").errorMessage == "no key 'greeting'")
        }
    }

    @Test func adsPicksTheSameAdForTheSameContext() async throws {
        try await Shop.withService(.ads) { ads in
            let first = try await ads.get("/ads?context=home").json(AdsAnswer.self)
            let second = try await ads.get("/ads?context=home").json(AdsAnswer.self)
            #expect(first.ads.count == 1)
            #expect(first.ads == second.ads)
            #expect(first.ads[0].url.hasPrefix("/products/"))
        }
    }
}
