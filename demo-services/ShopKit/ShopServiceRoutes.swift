import Hummingbird
import Logging

/// ShopServiceRoutes is one service's own part of its application: its knobs and its routes.
///
/// Each service's library has one (`StorefrontRoutes`, `CheckoutRoutes`, `CacheRoutes`, `AdsRoutes`), and it is
/// that service's composition root: the only place that names the service's concrete parts. The shared builder
/// (``buildShopApplication(_:options:logger:)``) puts the shared middleware, the fault routes and the ops routes
/// on the router, then hands the router to the service for the rest.
package protocol ShopServiceRoutes: Sendable {
    /// The service's resilience knobs, served at `/admin/config`; ``NoKnobs`` when it has none.
    associatedtype Knobs: ServiceKnobs

    /// Which service this is: its name in logs, metrics and `/healthz`, and the faults it offers.
    var service: ShopService { get }

    /// Adds the service's own routes to `router`, built from `parts`.
    /// Throws ``ShopServiceError`` when the options lack what the service needs (a dependency's URL).
    func addRoutes(to router: Router<ShopRequestContext>, with parts: ShopServiceParts<Knobs>) throws
}

/// ShopServiceParts are the shared parts a service builds its own routes from.
package struct ShopServiceParts<Knobs: ServiceKnobs>: Sendable {
    package let service: ShopService
    package let options: ServiceOptions
    package let metrics: ShopMetrics
    package let faults: ServiceFaults
    package let knobs: KnobStore<Knobs>
    package let logger: Logger

    /// The dependency URL given for `flag` (e.g. `options.adsURL` for "--ads-url"), checked and without a trailing slash.
    package func requiredURL(_ url: String?, flag: String) throws -> String {
        try options.requiredURL(url, flag: flag, for: service)
    }
}

/// ShopRouter builds one service's router: shared middleware, fault and ops routes, then the service's own routes.
struct ShopRouter<Routes: ShopServiceRoutes> {
    let routes: Routes
    let options: ServiceOptions
    let metrics: ShopMetrics
    let faults: ServiceFaults
    let logger: Logger

    func build() throws -> Router<ShopRequestContext> {
        let service = routes.service
        let router = Router(context: ShopRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: InjectedErrorsMiddleware(faults: faults))
        ServiceFaultsController(faults: faults).addRoutes(to: router)
        let knobs = KnobStore<Routes.Knobs>(service: service)
        OpsController(service: service, metrics: metrics, knobs: knobs).addRoutes(to: router)
        let parts = ShopServiceParts(
            service: service, options: options, metrics: metrics, faults: faults, knobs: knobs, logger: logger
        )
        try routes.addRoutes(to: router, with: parts)
        return router
    }
}
