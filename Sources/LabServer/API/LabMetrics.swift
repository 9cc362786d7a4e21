import Hummingbird
import LabDomain
import Prometheus
import Sandbox

/// The lab server's `/metrics`, in Prometheus' text format, read fresh on every scrape
/// from the proxies, the supervisor and the fault board:
/// - per proxy: `chaoslab_proxy_connections_open`, `chaoslab_proxy_connections_total`,
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
        for (name, proxy) in board.proxies.all {
            let labels = [("proxy", name)]
            registry.makeGauge(name: "chaoslab_proxy_connections_open", labels: labels).set(Double(proxy.openConnectionCount))
            registry.makeCounter(name: "chaoslab_proxy_connections_total", labels: labels).increment(by: Int64(proxy.stats.totalConnections))
            registry.makeCounter(name: "chaoslab_proxy_bytes_total", labels: labels + [("direction", "upstream")])
                .increment(by: Int64(proxy.stats.upstreamBytes))
            registry.makeCounter(name: "chaoslab_proxy_bytes_total", labels: labels + [("direction", "downstream")])
                .increment(by: Int64(proxy.stats.downstreamBytes))
            registry.makeGauge(name: "chaoslab_proxy_toxics_active", labels: labels).set(Double(proxy.toxics.count))
            registry.makeGauge(name: "chaoslab_proxy_enabled", labels: labels).set(Double(proxy.isListening ? 1 : 0))
        }
        for service in await sandbox.status().services {
            let labels = [("service", service.name)]
            registry.makeGauge(name: "chaoslab_service_up", labels: labels).set(Double(service.healthy ? 1 : 0))
            registry.makeCounter(name: "chaoslab_service_restarts_total", labels: labels).increment(by: Int64(service.restarts))
        }
        let active = await board.activeCounts()
        let injected = await board.injected
        for type in Set(active.keys).union(injected.keys).sorted() {
            let labels = [("type", type)]
            let count = injected[type] ?? 0
            registry.makeCounter(name: "chaoslab_faults_injected_total", labels: labels).increment(by: Int64(count))
            registry.makeCounter(name: "chaoslab_faults_reverted_total", labels: labels)
                .increment(by: Int64(max(0, count - (active[type] ?? 0))))
            registry.makeGauge(name: "chaoslab_faults_active", labels: labels).set(Double(active[type] ?? 0))
        }
        registry.makeGauge(name: "chaoslab_faults_locked").set(Double(await board.locked ? 1 : 0))
        return registry.emitToString()
    }
}
