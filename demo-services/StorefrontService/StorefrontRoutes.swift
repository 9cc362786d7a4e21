import Hummingbird
import ShopDependencyClient
import ShopKit

/// StorefrontRoutes is the storefront's composition root: the web shop's pages and JSON API on three
/// dependencies, ads (the banner), checkout (cart and orders) and the cache (the page cache).
package struct StorefrontRoutes: ShopServiceRoutes {
    package init() {}

    package var service: ShopService { .storefront }

    package func addRoutes(to router: Router<ShopRequestContext>, with parts: ShopServiceParts<StorefrontKnobs>) throws {
        let adsURL = try parts.requiredURL(parts.options.adsURL, flag: "--ads-url")
        let checkoutURL = try parts.requiredURL(parts.options.checkoutURL, flag: "--checkout-url")
        let cacheURL = try parts.requiredURL(parts.options.cacheURL, flag: "--cache-url")
        let checkout = CheckoutClient(checkout: parts.dependency("checkout", at: checkoutURL), knobs: parts.knobs)
        let home = HomePageBuilder(
            pageCache: PageCacheClient(cache: parts.dependency("page cache", at: cacheURL)),
            ads: AdsClient(ads: parts.dependency("ads", at: adsURL)),
            checkout: checkout,
            knobs: parts.knobs,
            logger: parts.logger
        )
        StorefrontAPIController(home: home, checkout: checkout).addRoutes(to: router)
        StorefrontWebController(home: home, checkout: checkout).addRoutes(to: router)
    }
}
