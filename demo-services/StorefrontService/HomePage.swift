import Logging
import ShopDependencyClient
import ShopKit
import ShopModel

/// HomePage is what the home page shows; `/api/home` answers it as JSON and `/` renders it as HTML.
struct HomePage: Encodable, Sendable {
    let products: [Product]
    /// The banner; nil when ads failed and `ads_fallback` is on.
    let ad: Ad?
    /// Items in the cart; nil when checkout failed and `cart_count_fallback` is on.
    let cartCount: Int?
    /// "hit", "miss" or "bypass" (the page cache failed and the listing was computed).
    let pageCache: String

    enum CodingKeys: String, CodingKey {
        case products, ad, cartCount, pageCache
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(products, forKey: .products)
        try container.encode(ad, forKey: .ad)  // null, not absent
        try container.encode(cartCount, forKey: .cartCount)
        try container.encode(pageCache, forKey: .pageCache)
    }
}

/// HomePageBuilder gathers the home page from its three dependencies at once: the page cache, ads and the cart count.
struct HomePageBuilder: Sendable {
    let pageCache: PageCacheClient
    let ads: AdsClient
    let checkout: CheckoutClient
    let knobs: KnobStore<StorefrontKnobs>
    let logger: Logger

    func build(session: String) async throws -> HomePage {
        let knobs = await knobs.current
        async let ad = banner(knobs)
        async let cartCount = cartCount(session, knobs)
        async let listing = listing(knobs)
        let banner = try await ad
        let count = try await cartCount
        let (products, source) = try await listing
        return HomePage(products: products, ad: banner, cartCount: count, pageCache: source)
    }

    private func banner(_ knobs: StorefrontKnobs) async throws -> Ad? {
        do {
            return try await ads.ad(for: "home", timeoutMS: knobs.adsTimeoutMs)
        } catch let error as DependencyError where knobs.adsFallback {
            logger.warning("home page without a banner", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func cartCount(_ session: String, _ knobs: StorefrontKnobs) async throws -> Int? {
        do {
            return try await checkout.cart(session).count
        } catch let error as DependencyError where knobs.cartCountFallback {
            logger.warning("home page without a cart count", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func listing(_ knobs: StorefrontKnobs) async throws -> (products: [Product], source: String) {
        let timeout = knobs.pageCacheTimeoutMs
        do {
            if let cached = try await pageCache.listing(timeoutMS: timeout) {
                return (cached, "hit")
            }
            do {
                try await pageCache.store(ProductCatalog.all, timeoutMS: timeout)
            } catch {
                logger.debug("page cache write-back failed", metadata: ["error": "\(error)"])
            }
            return (ProductCatalog.all, "miss")
        } catch let error as DependencyError where knobs.pageCacheFallback {
            logger.debug("page cache bypassed", metadata: ["error": "\(error)"])
            return (ProductCatalog.all, "bypass")
        }
    }
}
