import FaultProxy
import Foundation
import Sandbox

/// Every fault of every family in one place: network faults on the sandbox's proxies and
/// service faults on its processes. It checks and adds faults with a time to live, lists
/// them, and halts them all at once; the emergency lock refuses new faults until unlocked.
///
/// Lab experiments, the lab API, the command line and the Toxiproxy-compatible API all
/// add faults through here, so that the lock and the counters see all of them.
package actor FaultBoard {
    package nonisolated let sandbox: Sandbox
    package nonisolated let proxies: ProxyRegistry
    package nonisolated let services: ServiceFaults
    /// Toxics created through the Toxiproxy API stay until removed, as in Toxiproxy,
    /// unless the server was started with a maximum time to live.
    package nonisolated let maxToxicTTL: Duration?
    package private(set) var locked = false
    /// Bumped by every halt. An add that was under way when a halt began (it awaited a
    /// proxy or a service) undoes itself when it finishes, so that nothing outlives the halt.
    var haltGeneration = 0
    /// Faults injected so far, by type; reverted = injected − active.
    package private(set) var injected: [String: Int] = [:]
    /// For each fault on a service, by id: the proxies of the edges into it and their traffic
    /// when it went in, so that what reached the service under the fault can be counted.
    var serviceFaultTraffic: [String: (proxies: [FaultProxy], before: TrafficCount)] = [:]

    /// Longest time to live a fault may ask for.
    package static let maxTTLMilliseconds = 3_600_000
    package static let defaultTTLMilliseconds = 30_000

    package init(sandbox: Sandbox, proxies: ProxyRegistry, services: ServiceFaults, maxToxicTTL: Duration?) {
        self.sandbox = sandbox
        self.proxies = proxies
        self.services = services
        self.maxToxicTTL = maxToxicTTL
    }

    /// Throws `faultsLocked` while the emergency stop is on.
    package func checkUnlocked() throws(LabError) {
        if locked {
            throw .faultsLocked("faults are locked by an emergency stop (chaoslab halt --lock); run `chaoslab unlock` to allow new faults")
        }
    }

    package func countInjected(_ type: String) {
        injected[type, default: 0] += 1
    }

    /// After an add that awaited: if a halt began meanwhile, undo the add and refuse it.
    func ensureNoHalt(since generation: Int, undo: () async -> Void) async throws {
        guard haltGeneration != generation else { return }
        await undo()
        throw LabError.conflict("a halt ran while this fault was being added; it was removed again\(locked ? " (faults are locked: chaoslab unlock)" : "")")
    }

    /// The emergency stop: new faults are refused until `unlock()`.
    package func lock() {
        locked = true
    }

    package func unlock() {
        locked = false
    }
}
