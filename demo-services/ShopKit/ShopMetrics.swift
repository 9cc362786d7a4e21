import Metrics
import Prometheus

/// ShopMetrics records a service's metrics into its own Prometheus registry.
///
/// Each application gets a registry of its own so that several services can run in one test process;
/// `runShopService` also bootstraps swift-metrics with the same registry, once per process.
package struct ShopMetrics: Sendable {
    let service: ShopService
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    init(service: ShopService, registry: PrometheusCollectorRegistry) {
        self.service = service
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
    }

    /// One answered request: `http_requests_total`, `http_request_duration_seconds` and `request_count`.
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        Counter(
            label: "http_requests_total",
            dimensions: [("method", method), ("route", route), ("status", String(status))],
            factory: factory
        ).increment()
        Timer(
            label: "http_request_duration_seconds",
            dimensions: [("method", method), ("route", route)],
            factory: factory
        ).record(duration: duration)
        Counter(label: "request_count", dimensions: [("service", service.rawValue)], factory: factory).increment()
    }

    /// One call to a dependency, with its outcome ("ok", "error", "timeout"): `upstream_calls_total`.
    package func recordUpstreamCall(dependency: String, outcome: String) {
        Counter(
            label: "upstream_calls_total",
            dimensions: [("dependency", dependency), ("outcome", outcome)],
            factory: factory
        ).increment()
    }

    /// Whether a service fault of `kind` is in force: the gauge `shop_fault_active{kind="errors"}` is 1 or 0.
    func recordFaultActive(_ kind: ServiceFaultKind, _ active: Bool) {
        Gauge(label: "shop_fault_active", dimensions: [("kind", kind.rawValue)], factory: factory).record(active ? 1 : 0)
    }

    /// The Prometheus text exposition of everything recorded.
    func exposition() -> String {
        registry.emitToString()
    }
}
