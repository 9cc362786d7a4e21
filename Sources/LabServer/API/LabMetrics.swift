import Hummingbird
import LabDomain
import Prometheus
import Sandbox

/// The lab server's `/metrics`, in Prometheus' text format, read fresh on every scrape
/// from the proxies, the supervisor and the fault board:
/// - per proxy: `chaoslab_proxy_connections_open`, `chaoslab_proxy_fast_path_connections`, `chaoslab_proxy_connections_total`,
///   `chaoslab_proxy_bytes_total{direction}`, `chaoslab_proxy_toxics_active`, `chaoslab_proxy_enabled`;
/// - per service: `chaoslab_service_up`, `chaoslab_service_restarts_total`;
/// - per fault type: `chaoslab_faults_injected_total`, `chaoslab_faults_reverted_total`,
///   `chaoslab_faults_active`; and `chaoslab_faults_locked`.
struct LabMetrics {
    let workspace: Workspace

    var board: FaultBoard { workspace.board }
    var sandbox: Sandbox { workspace.sandbox }

    func addRoutes(to router: RouterGroup<LabRequestContext>) {
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: await exposition())))
        }
    }

    func exposition() async -> String {
        let registry = PrometheusCollectorRegistry()
        func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        }
        func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
            registry.makeGauge(descriptor: descriptor(name, help), labels: labels)
        }
        func counter(_ name: String, _ help: String, _ labels: [(String, String)]) -> Counter {
            registry.makeCounter(descriptor: descriptor(name, help), labels: labels)
        }
        for (name, proxy) in board.proxies.all {
            let labels = [("proxy", name)]
            gauge("chaoslab_proxy_connections_open", "Connections open through the proxy now", labels).set(Double(proxy.openConnectionCount))
            gauge("chaoslab_proxy_fast_path_connections", "Open connections forwarded on the fast path (no toxic in force)", labels)
                .set(Double(proxy.fastPathConnectionCount))
            counter("chaoslab_proxy_connections_total", "Connections the proxy accepted", labels).increment(by: Int64(proxy.stats.totalConnections))
            let bytes = "Bytes the proxy carried, by direction"
            counter("chaoslab_proxy_bytes_total", bytes, labels + [("direction", "upstream")]).increment(by: Int64(proxy.stats.upstreamBytes))
            counter("chaoslab_proxy_bytes_total", bytes, labels + [("direction", "downstream")]).increment(by: Int64(proxy.stats.downstreamBytes))
            gauge("chaoslab_proxy_toxics_active", "Toxics in force on the proxy", labels).set(Double(proxy.toxics.count))
            gauge("chaoslab_proxy_enabled", "1 while the proxy accepts connections", labels).set(Double(proxy.isListening ? 1 : 0))
        }
        for service in await sandbox.status().services {
            let labels = [("service", service.name)]
            gauge("chaoslab_service_up", "1 while the service's last health check passed", labels).set(Double(service.healthy ? 1 : 0))
            counter("chaoslab_service_restarts_total", "Restarts of the service by the supervisor", labels).increment(by: Int64(service.restarts))
        }
        let active = await board.activeCounts()
        let injected = await board.injected
        for type in Set(active.keys).union(injected.keys).sorted() {
            let labels = [("type", type)]
            let count = injected[type] ?? 0
            counter("chaoslab_faults_injected_total", "Faults injected, by type", labels).increment(by: Int64(count))
            counter("chaoslab_faults_reverted_total", "Faults ended, by type", labels).increment(by: Int64(max(0, count - (active[type] ?? 0))))
            gauge("chaoslab_faults_active", "Faults in force, by type", labels).set(Double(active[type] ?? 0))
        }
        gauge("chaoslab_faults_locked", "1 while new faults are refused (an emergency stop)").set(Double(await board.locked ? 1 : 0))
        return registry.emitToString()
    }
}
