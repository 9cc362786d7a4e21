import Hummingbird
import Logging
import Metrics
import Prometheus

/// Runs the service of `routes` until SIGINT or SIGTERM (graceful shutdown). Logs JSON lines to stderr.
///
/// Once bound it logs the info message "listening" with metadata `service` and `port` (the real port):
/// `{"ts":"…","level":"info","service":"storefront","msg":"listening","port":"40123"}`.
/// Bootstraps swift-log (JSON to stderr) and swift-metrics (Prometheus) once per process.
package func runShopService(_ routes: some ShopServiceRoutes, options: ServiceOptions) async throws {
    ShopBootstrap.logging()
    let registry = ShopBootstrap.metricsRegistry
    let service = routes.service
    let logger = Logger(label: service.rawValue)
    let app = try await buildShopApplication(routes, options: options, logger: logger, registry: registry)
    try await app.runService()
    logger.info("stopped", metadata: ["service": "\(service.rawValue)"])
}

/// For tests and embedding: builds the application without running it. Metrics go to a registry of its own.
package func buildShopApplication(
    _ routes: some ShopServiceRoutes,
    options: ServiceOptions,
    logger: Logger
) async throws -> some ApplicationProtocol {
    try await buildShopApplication(routes, options: options, logger: logger, registry: PrometheusCollectorRegistry())
}

func buildShopApplication(
    _ routes: some ShopServiceRoutes,
    options: ServiceOptions,
    logger: Logger,
    registry: PrometheusCollectorRegistry
) async throws -> Application<RouterResponder<ShopRequestContext>> {
    let service = routes.service
    let metrics = ShopMetrics(service: service, registry: registry)
    let faults = ServiceFaults(service: service, metrics: metrics, logger: logger)
    let router = try ShopRouter(routes: routes, options: options, metrics: metrics, faults: faults, logger: logger)
        .build()
    return Application(
        router: router,
        configuration: .init(address: .hostname(options.host, port: options.port), serverName: service.rawValue),
        services: [faults],
        onServerRunning: { channel in
            logger.info("listening", metadata: [
                "service": "\(service.rawValue)",
                "port": "\(channel.localAddress?.port ?? options.port)",
            ])
        },
        logger: logger
    )
}

/// ShopBootstrap does the once-per-process set-up of logging and metrics backends.
enum ShopBootstrap {
    /// Bootstraps swift-log with ``JSONLogHandler`` (level from `LOG_LEVEL`, default info), once.
    static func logging() {
        _ = loggingDone
    }

    private static let loggingDone: Void = {
        let level = Environment().get("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    /// The process's registry; swift-metrics is bootstrapped with it on first use.
    static let metricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
