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
    private var haltGeneration = 0
    /// Faults injected so far, by type; reverted = injected − active.
    package private(set) var injected: [String: Int] = [:]

    /// Longest time to live a fault may ask for.
    package static let maxTTLMilliseconds = 3_600_000
    package static let defaultTTLMilliseconds = 30_000

    package init(sandbox: Sandbox, proxies: ProxyRegistry, services: ServiceFaults, maxToxicTTL: Duration?) {
        self.sandbox = sandbox
        self.proxies = proxies
        self.services = services
        self.maxToxicTTL = maxToxicTTL
    }

    /// Throws 423 while the emergency stop is on.
    package func checkUnlocked() throws {
        if locked {
            throw LabError.faultsLocked("faults are locked by an emergency stop (chaoslab halt --lock); run `chaoslab unlock` to allow new faults")
        }
    }

    package func countInjected(_ type: String) {
        injected[type, default: 0] += 1
    }

    /// After an add that awaited: if a halt began meanwhile, undo the add and refuse it.
    private func ensureNoHalt(since generation: Int, undo: () async -> Void) async throws {
        guard haltGeneration != generation else { return }
        await undo()
        throw LabError.conflict("a halt ran while this fault was being added; it was removed again\(locked ? " (faults are locked: chaoslab unlock)" : "")")
    }

    // MARK: Adding

    /// Adds a fault from the lab API or the command line.
    package func add(_ request: API.NewFault) async throws -> API.TargetFault {
        try checkUnlocked()
        let ttlMs = request.ttlMs ?? Self.defaultTTLMilliseconds
        guard ttlMs > 0, ttlMs <= Self.maxTTLMilliseconds else {
            throw LabError.invalid("ttl_ms must be between 1 and \(Self.maxTTLMilliseconds) (one hour), got \(ttlMs)")
        }
        let ttl = Duration.milliseconds(ttlMs)
        if ServiceFaultKind.services.contains(request.target) {
            let kind = try ServiceFaultKind(type: request.type, attributes: request.attributes, service: request.target)
            let generation = haltGeneration
            let fault = try await services.add(kind, to: request.target, ttl: ttl)
            try await ensureNoHalt(since: generation) { _ = await services.remove(id: fault.id) }
            countInjected(kind.type)
            return API.TargetFault(target: request.target, fault: fault)
        }
        let edge = request.target.replacingOccurrences(of: "->", with: "-")
        guard let proxy = proxies.proxy(named: edge) else {
            throw LabError.notFound(
                "unknown target '\(request.target)'; edges: \(proxies.names.joined(separator: ", ")); services: \(ServiceFaultKind.services.joined(separator: ", "))")
        }
        let kind = try Self.networkFault(request)
        let fault = try await addNetworkFault(kind, to: proxy, ttl: ttl)
        return API.TargetFault(target: edge, fault: FaultStatus(fault))
    }

    /// Adds a network fault (the lab engine's attacks come here too).
    package func addNetworkFault(_ kind: FaultKind, to proxy: FaultProxy, ttl: Duration) async throws -> ActiveFault {
        try checkUnlocked()
        let generation = haltGeneration
        let fault: ActiveFault
        do {
            fault = try await proxy.addFault(kind, ttl: ttl)
        } catch let error as ToxicError {
            throw LabError.invalid(error.message)
        }
        try await ensureNoHalt(since: generation) { _ = await proxy.removeFault(id: fault.id) }
        countInjected(kind.name)
        return fault
    }

    /// Adds a toxic through the Toxiproxy API: checked against the lock, with the
    /// server's maximum time to live if it has one. Runs without suspending, so no halt
    /// can fall between the check and the add.
    package func addToxic(_ toxic: Toxic, to proxy: FaultProxy) throws -> ActiveToxic {
        try checkUnlocked()
        let added = try proxy.addToxic(toxic, ttl: maxToxicTTL)
        countInjected(toxic.type)
        return added
    }

    /// Takes a proxy down through the Toxiproxy API (`enabled: false`), a `refuse` by another name.
    package func addDisable(of proxy: FaultProxy) async throws {
        try checkUnlocked()
        let generation = haltGeneration
        await proxy.disable()
        try await ensureNoHalt(since: generation) { try? await proxy.enable() }
        countInjected("refuse")
    }

    /// Reads a network fault from a request: attributes must be whole numbers.
    package static func networkFault(_ request: API.NewFault) throws -> FaultKind {
        guard let stream = ToxicStream(rawValue: request.stream ?? "downstream") else {
            throw LabError.invalid("stream must be upstream or downstream, got '\(request.stream ?? "")'")
        }
        var attributes: [String: Int] = [:]
        for (name, value) in request.attributes {
            guard value.rounded() == value, abs(value) < 1e15 else {
                throw LabError.invalid("attribute '\(name)' of \(request.type) must be a whole number, got \(value)")
            }
            attributes[name] = Int(value)
        }
        if let known = ToxicKind.attributeNames(of: request.type) {
            for name in attributes.keys where !known.contains(name) {
                throw LabError.invalid("\(request.type) has no attribute '\(name)'; its attributes: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
            }
        }
        do {
            return try FaultKind(name: request.type, attributes: attributes, stream: stream)
        } catch {
            throw LabError.invalid(error.message)
        }
    }

    // MARK: Listing and removing

    /// Every fault in force: network faults by edge, then service faults by service.
    package func list() async -> [API.TargetFault] {
        var faults: [API.TargetFault] = []
        for (name, proxy) in proxies.all {
            faults += proxy.activeFaults.map { API.TargetFault(target: name, fault: FaultStatus($0)) }
        }
        faults += await services.list()
        return faults
    }

    /// Removes one fault of an edge ("storefront->ads" or "storefront-ads") or a service.
    /// False when it is already gone; 404 when there is no such target.
    package func remove(target: String, id: String) async throws -> Bool {
        if ServiceFaultKind.services.contains(target) {
            return await services.remove(id: id)
        }
        guard let proxy = proxies.proxy(named: target.replacingOccurrences(of: "->", with: "-")) else {
            throw LabError.notFound("unknown target '\(target)'")
        }
        return await proxy.removeFault(id: id)
    }

    /// Removes every fault of one edge or one service; returns how many. 404 when there is no such target.
    package func removeAll(target: String) async throws -> Int {
        if ServiceFaultKind.services.contains(target) {
            var removed = 0
            for fault in await services.faults(of: target) where await services.remove(id: fault.id) { removed += 1 }
            return removed
        }
        guard let proxy = proxies.proxy(named: target.replacingOccurrences(of: "->", with: "-")) else {
            throw LabError.notFound("unknown target '\(target)'")
        }
        return await proxy.removeAllFaults()
    }

    /// How many faults of each type are in force.
    package func activeCounts() async -> [String: Int] {
        var counts: [String: Int] = [:]
        for fault in await list() { counts[fault.fault.type, default: 0] += 1 }
        return counts
    }

    /// Removes every fault of every family: toxics, downs, refusals, service faults.
    /// Returns how many were removed.
    package func haltAll() async -> Int {
        haltGeneration += 1
        var removed = 0
        for (_, proxy) in proxies.all {
            removed += await proxy.removeAllFaults()
        }
        removed += await services.removeAll()
        return removed
    }

    /// The emergency stop: new faults are refused until `unlock()`.
    package func lock() {
        locked = true
    }

    package func unlock() {
        locked = false
    }
}
