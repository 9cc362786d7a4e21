import Hummingbird
import ShopKit

/// AdsRoutes is the ad service's composition root: `GET /ads`, which the `empty` fault turns into a gray failure.
package struct AdsRoutes: ShopServiceRoutes {
    package init() {}

    package var service: ShopService { .ads }

    package func addRoutes(to router: Router<ShopRequestContext>, with parts: ShopServiceParts<NoKnobs>) {
        AdsController(faults: parts.faults).addRoutes(to: router)
    }
}
