import LabEngine
import NIOConcurrencyHelpers

/// CheckSettings hold what the status checks of every workspace share, set by the lab server
/// once it knows them: its own address, the monitoring stack's, whether remote endpoints are
/// allowed, and what experiments run in the other workspaces of a group.
package final class CheckSettings: Sendable {
    package struct Values: Sendable {
        package var labServerURL: String?
        package var monitoring: CheckEnvironment.Monitoring = .absent(reason: "monitoring has not started")
        package var allowRemote = false
        /// Asks Prometheus to read its rule files again: nil when they loaded, else why not.
        package var reloadRules: @Sendable () async -> String? = { "monitoring has not started" }
        /// Every workspace's experiment in progress, by the coordinator that runs it.
        package var everywhere: @Sendable () async -> [(coordinator: ObjectIdentifier, activity: String)] = { [] }
    }

    private let box = NIOLockedValueBox(Values())

    package init() {}

    package var values: Values { box.withLockedValue { $0 } }

    package func update(_ body: (inout Values) -> Void) {
        box.withLockedValue { body(&$0) }
    }
}
