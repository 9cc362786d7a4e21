import FaultProxy
import Foundation
import LabEngine
import Sandbox

// Adding faults: one typed path (a `FaultSpec` on an `AttackTarget`) for the engine's attacks,
// the lab API and the command line; the Toxiproxy API's own toxics and disables beside it.
extension FaultBoard {
    /// The target a name means: a service ("checkout"), or an edge by its key
    /// ("storefront->ads") or by its proxy's name ("storefront-ads"); nil for anything else.
    package static func target(named name: String, in system: SandboxSystem) -> AttackTarget? {
        if system.serviceNames.contains(name) { return .service(name) }
        let edges = system.edges.map { EdgeID(from: $0.from, to: $0.to) }
        if let edge = EdgeID(key: name) ?? edges.first(where: { $0.proxyName == name }) { return .edge(edge) }
        return nil
    }

    /// The target a name means in this board's sandbox.
    package nonisolated func target(named name: String) -> AttackTarget? {
        Self.target(named: name, in: sandbox.configuration.system)
    }

    /// Adds a fault from the lab API or the command line: the request read into a target, a
    /// fault and a time to live, then the typed path. A proxy that a Toxiproxy client created
    /// takes network faults too, by its name.
    package func add(_ request: API.NewFault) async throws -> API.TargetFault {
        try checkUnlocked()  // an emergency stop answers first, whatever else is wrong
        let ttlMs = request.ttlMs ?? Self.defaultTTLMilliseconds
        guard ttlMs > 0, ttlMs <= Self.maxTTLMilliseconds else {
            throw LabError.invalid("ttl_ms must be between 1 and \(Self.maxTTLMilliseconds) (one hour), got \(ttlMs)")
        }
        let fault = FaultSpec(type: request.type, attributes: request.attributes, stream: request.stream)
        let ttl = Duration.milliseconds(ttlMs)
        if let target = target(named: request.target) {
            return try await add(fault, to: target, ttl: ttl)
        }
        guard let proxy = proxies.proxy(named: request.target) else {
            throw LabError.notFound(
                "unknown target '\(request.target)'; edges: \(proxies.names.joined(separator: ", ")); services: \(sandbox.serviceNames.joined(separator: ", "))")
        }
        let added = try await addNetworkFault(try Self.networkFault(fault), to: proxy, ttl: ttl)
        return API.TargetFault(target: proxy.name, fault: FaultStatus(added))
    }

    /// Adds `fault` to `target` for `ttl`: the path of every fault a lab or a learner names.
    package func add(_ fault: FaultSpec, to target: AttackTarget, ttl: Duration) async throws -> API.TargetFault {
        try checkUnlocked()
        switch target {
        case .service(let service):
            let kind = try ServiceFaultKind(fault, service: service)
            let generation = haltGeneration
            let inbound = sandbox.configuration.system.edges.filter { $0.to == service }.compactMap { proxies.proxy(named: $0.name) }
            let before = Self.traffic(of: inbound)
            let added = try await services.add(kind, to: service, ttl: ttl)
            serviceFaultTraffic[added.id] = (inbound, before)
            try await ensureNoHalt(since: generation) { _ = await services.remove(id: added.id) }
            countInjected(kind.type)
            return API.TargetFault(target: service, fault: added)
        case .edge(let edge):
            guard let proxy = proxies.proxy(named: edge.proxyName) else {
                throw LabError.notFound("unknown edge '\(edge.key)'; edges: \(proxies.edgeNames.sorted().joined(separator: ", "))")
            }
            let added = try await addNetworkFault(try Self.networkFault(fault), to: proxy, ttl: ttl)
            return API.TargetFault(target: edge.proxyName, fault: FaultStatus(added))
        }
    }

    /// What the fault `id` on `target` has touched since it went in: on an edge, what its
    /// toxics met; on a service, the connections and bytes that reached it through its edges.
    /// Nil where nothing can tell (a refused edge, an unknown fault).
    package func contact(of id: String, on target: AttackTarget) -> FaultContact? {
        switch target {
        case .edge(let edge):
            return proxies.proxy(named: edge.proxyName)?.contact(ofFault: id)
                .map { FaultContact(connections: $0.connections, bytes: $0.bytes) }
        case .service:
            // A service no edge leads into (the entry, which the journeys call themselves) has no
            // proxy to count on: its contact is unknown, not zero.
            guard let (inbound, before) = serviceFaultTraffic[id], !inbound.isEmpty else { return nil }
            let now = Self.traffic(of: inbound)
            return FaultContact(connections: now.connections - before.connections, bytes: now.bytes - before.bytes)
        }
    }

    private static func traffic(of proxies: [FaultProxy]) -> TrafficCount {
        proxies.map(\.traffic).reduce(TrafficCount(connections: 0, bytes: 0)) {
            TrafficCount(connections: $0.connections + $1.connections, bytes: $0.bytes + $1.bytes)
        }
    }

    /// Adds a network fault to one proxy.
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

    /// The proxy's fault for a lab's network fault: attributes must be whole numbers.
    package static func networkFault(_ fault: FaultSpec) throws(LabError) -> FaultKind {
        guard let stream = ToxicStream(rawValue: fault.stream ?? "downstream") else {
            throw .invalid("stream must be upstream or downstream, got '\(fault.stream ?? "")'")
        }
        var attributes: [String: Int] = [:]
        for (name, value) in fault.attributes {
            guard value.rounded() == value, abs(value) < 1e15 else {
                throw .invalid("attribute '\(name)' of \(fault.type) must be a whole number, got \(value)")
            }
            attributes[name] = Int(value)
        }
        if let known = ToxicKind.attributeNames(of: fault.type) {
            for name in attributes.keys where !known.contains(name) {
                throw .invalid("\(fault.type) has no attribute '\(name)'; its attributes: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
            }
        }
        do {
            return try FaultKind(name: fault.type, attributes: attributes, stream: stream)
        } catch {
            throw .invalid(error.message)
        }
    }
}
