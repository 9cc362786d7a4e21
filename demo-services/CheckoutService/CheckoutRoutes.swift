import Hummingbird
import ShopDependencyClient
import ShopKit

/// CheckoutRoutes is checkout's composition root: carts, kept in the cache, and orders.
package struct CheckoutRoutes: ShopServiceRoutes {
    package init() {}

    package var service: ShopService { .checkout }

    package func addRoutes(to router: Router<ShopRequestContext>, with parts: ShopServiceParts<CheckoutKnobs>) throws {
        let cacheURL = try parts.requiredURL(parts.options.cacheURL, flag: "--cache-url")
        let carts = CartStorage(
            cache: parts.dependency("cache", at: cacheURL), knobs: parts.knobs, local: LocalCarts(), logger: parts.logger
        )
        CheckoutController(carts: carts, orders: OrderBook()).addRoutes(to: router)
    }
}
