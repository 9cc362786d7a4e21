import FaultProxy
import Sandbox

extension Workspace {
    /// The sandbox's status with every fault in force and the lock filled in: the services
    /// with their service faults, the edges, then the proxies that Toxiproxy clients created.
    package func status() async -> SandboxStatus {
        var status = await sandbox.status()
        for index in status.services.indices {
            status.services[index].faults = await board.services.faults(of: status.services[index].name)
        }
        status.locked = await board.locked
        switch ports.checkSettings.values.monitoring {
        case .running(let prometheus, let alertmanager):
            status.monitoring = MonitoringStatus(prometheus: prometheus, alertmanager: alertmanager, note: nil)
        case .absent(let reason):
            status.monitoring = MonitoringStatus(prometheus: nil, alertmanager: nil, note: reason)
        }
        for (name, proxy) in proxies.all where !proxies.edgeNames.contains(name) {
            status.edges.append(EdgeStatus(
                name: name, from: "", to: "", listen: proxy.listenAddress, upstream: proxy.upstream,
                faults: proxy.activeFaults.map(FaultStatus.init)))
        }
        return status
    }
}
