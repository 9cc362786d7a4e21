import LabEngine
import Sandbox

extension SandboxSystem {
    /// What the sandbox runs for a system file: every service, every edge, commands in the file's folder.
    package init(_ system: SystemDescription) {
        self.init(
            name: system.name,
            services: system.services.map { service in
                let launch: Launch = switch service.launch {
                case .command(let arguments, let directory, let environment):
                    .command(arguments: arguments, directory: directory, environment: environment)
                case .address(let host, let port):
                    .address(host: host, port: port)
                }
                return Service(name: service.name, launch: launch, healthPath: service.health, metricsPath: service.metrics)
            },
            edges: system.edges.map { Edge(from: $0.from, to: $0.to) },
            directory: system.directory.standardizedFileURL.path,
            entryService: system.journeys.sorted { $0.key < $1.key }.first?.value.steps.first?.service)
    }

    /// The demo shop (`demo-services/system/shop.yaml`).
    package static var demoShop: SandboxSystem { SandboxSystem(.demoShop) }
}
