import Hummingbird
import ShopKit

/// CacheRoutes is the cache's composition root: the key/value API under `/kv`, on a store in memory.
package struct CacheRoutes: ShopServiceRoutes {
    package init() {}

    package var service: ShopService { .cache }

    package func addRoutes(to router: Router<ShopRequestContext>, with parts: ShopServiceParts<NoKnobs>) {
        CacheController(store: KeyValueStore()).addRoutes(to: router.group("/kv"))
    }
}
