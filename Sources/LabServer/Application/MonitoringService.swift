import LabDomain
import Sandbox
import ServiceLifecycle

/// Keeps the monitoring stack running for the lab server's group and stops it (both processes)
/// at shutdown, after everything that writes targets for it has stopped.
struct MonitoringService: Service {
    let stack: MonitoringStack

    func run() async throws {
        try? await gracefulShutdown()
        await stack.stop()
    }
}
