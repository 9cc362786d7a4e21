import Hummingbird
import Logging

/// ShopRouter builds one service's router: shared middleware, ops and fault routes, then the service's own routes.
/// It is the composition root: the only place that names each service's concrete parts.
struct ShopRouter {
    let service: ShopService
    let options: ServiceOptions
    let metrics: ShopMetrics
    let faults: ServiceFaults
    let logger: Logger

    func build() throws -> Router<ShopRequestContext> {
        let router = Router(context: ShopRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: InjectedErrorsMiddleware(faults: faults))
        ServiceFaultsController(faults: faults).addRoutes(to: router)
        switch service {
        case .cache:
            OpsController(service: service, metrics: metrics, knobs: KnobStore<NoKnobs>(service: service))
                .addRoutes(to: router)
            CacheController(store: KeyValueStore()).addRoutes(to: router.group("/kv"))
        case .ads:
            OpsController(service: service, metrics: metrics, knobs: KnobStore<NoKnobs>(service: service))
                .addRoutes(to: router)
            AdsController(faults: faults).addRoutes(to: router)
        case .checkout:
            try addCheckoutRoutes(to: router)
        case .storefront:
            try addStorefrontRoutes(to: router)
        }
        return router
    }

    private func dependency(_ name: String, _ url: String) -> DependencyClient {
        DependencyClient(name: name, baseURL: url, metrics: metrics)
    }

    private func addCheckoutRoutes(to router: Router<ShopRequestContext>) throws {
        let cacheURL = try options.requiredURL(options.cacheURL, flag: "--cache-url", for: service)
        let knobs = KnobStore<CheckoutKnobs>(service: service)
        OpsController(service: service, metrics: metrics, knobs: knobs).addRoutes(to: router)
        let carts = CartStorage(cache: dependency("cache", cacheURL), knobs: knobs, local: LocalCarts(), logger: logger)
        CheckoutController(carts: carts, orders: OrderBook()).addRoutes(to: router)
    }

    private func addStorefrontRoutes(to router: Router<ShopRequestContext>) throws {
        let adsURL = try options.requiredURL(options.adsURL, flag: "--ads-url", for: service)
        let checkoutURL = try options.requiredURL(options.checkoutURL, flag: "--checkout-url", for: service)
        let cacheURL = try options.requiredURL(options.cacheURL, flag: "--cache-url", for: service)
        let knobs = KnobStore<StorefrontKnobs>(service: service)
        OpsController(service: service, metrics: metrics, knobs: knobs).addRoutes(to: router)
        let checkout = CheckoutClient(checkout: dependency("checkout", checkoutURL), knobs: knobs)
        let home = HomePageBuilder(
            pageCache: PageCacheClient(cache: dependency("page cache", cacheURL)),
            ads: AdsClient(ads: dependency("ads", adsURL)),
            checkout: checkout,
            knobs: knobs,
            logger: logger
        )
        StorefrontAPIController(home: home, checkout: checkout).addRoutes(to: router)
        StorefrontWebController(home: home, checkout: checkout).addRoutes(to: router)
    }
}
