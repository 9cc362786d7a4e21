import Logging

/// ServiceFaults holds the faults a service carries right now (see ``ServiceFault``), each with its deadline.
///
/// Starting a fault of a kind already in force replaces it. A fault ends when it is removed, when its
/// deadline passes (``run()`` sweeps, and every reader checks the deadline itself), or when the service
/// shuts down. Each start and end is logged ("fault started", "fault ended") and shown in the gauge
/// `shop_fault_active{kind=…}`. Ending a cpu fault waits for its threads to leave; ending a memory fault
/// unmaps its memory.
package actor ServiceFaults {
    /// ActiveFault is one fault in force: what it is, until when, and the load it holds.
    struct ActiveFault {
        let fault: ServiceFault
        let deadline: ContinuousClock.Instant
        let load: ResourceLoad?
    }

    /// ResourceLoad is what a cpu or memory fault holds while in force.
    enum ResourceLoad {
        case cpu(CPUBurner)
        case memory(MemoryBallast)
    }

    /// Why a fault ended, as logged.
    enum EndReason: String {
        case removed, expired, replaced, shutdown
    }

    let service: ShopService
    private let metrics: ShopMetrics
    private let logger: Logger
    private let clock = ContinuousClock()
    private var active: [ServiceFaultKind: ActiveFault] = [:]
    /// Business requests seen since the errors fault started; request n fails when ⌊n × rate⌋ grows.
    private var requestsSeen = 0

    init(service: ShopService, metrics: ShopMetrics, logger: Logger) {
        self.service = service
        self.metrics = metrics
        self.logger = logger
        for kind in ServiceFaultKind.offered(by: service) {
            metrics.recordFaultActive(kind, false)
        }
    }

    /// Puts `fault` in force for `duration`, replacing one of the same kind.
    /// Throws ``MemoryBallastError`` when the memory cannot be had.
    func start(_ fault: ServiceFault, for duration: Duration) async throws {
        let kind = fault.kind
        // Free the old load before taking the new one; look again after each wait, another call may have run.
        while let previous = active.removeValue(forKey: kind) { await finish(previous, reason: .replaced) }
        let deadline = clock.now + duration
        let load: ResourceLoad? =
            switch fault {
            case .cpu(let cores): .cpu(CPUBurner(cores: cores, until: deadline))
            case .memory(let megabytes): .memory(try await MemoryBallast.fill(megabytes: megabytes))
            case .errors, .empty: nil
            }
        while let racing = active.removeValue(forKey: kind) { await finish(racing, reason: .replaced) }
        active[kind] = ActiveFault(fault: fault, deadline: deadline, load: load)
        if kind == .errors { requestsSeen = 0 }
        metrics.recordFaultActive(kind, true)
        let durationMS = Int(duration / .milliseconds(1))
        var metadata: Logger.Metadata = ["kind": "\(kind.rawValue)", "duration_ms": "\(durationMS)"]
        for (key, value) in fault.logMetadata { metadata[key] = "\(value)" }
        logger.info("fault started", metadata: metadata)
    }

    /// Ends the fault of `kind` if one is in force; returns once its threads are gone and its memory is freed.
    func end(_ kind: ServiceFaultKind, reason: EndReason = .removed) async {
        guard let fault = active.removeValue(forKey: kind) else { return }
        await finish(fault, reason: reason)
    }

    /// Ends every fault in force.
    func endAll(reason: EndReason = .removed) async {
        for kind in ServiceFaultKind.allCases { await end(kind, reason: reason) }
    }

    /// Whether a fault of `kind` is in force and not past its deadline.
    package func isActive(_ kind: ServiceFaultKind) -> Bool {
        inForce(kind) != nil
    }

    /// Whether the errors fault fails this business request: exactly ⌊n × rate⌋ of the first n fail.
    func shouldFailRequest() -> Bool {
        guard case .errors(let rate) = inForce(.errors)?.fault else { return false }
        requestsSeen += 1
        let n = Double(requestsSeen)
        return (n * rate).rounded(.down) > ((n - 1) * rate).rounded(.down)
    }

    /// The faults in force, as `GET /admin/faults` shows them.
    func snapshot() -> ServiceFaultsSnapshot {
        let now = clock.now
        var snapshot = ServiceFaultsSnapshot()
        for entry in active.values where entry.deadline > now {
            let left = Int(((entry.deadline - now) / .milliseconds(1)).rounded(.up))
            switch entry.fault {
            case .errors(let rate): snapshot.errors = .init(rate: rate, expiresInMs: left)
            case .cpu(let cores): snapshot.cpu = .init(cores: cores, expiresInMs: left)
            case .memory(let megabytes): snapshot.memory = .init(mb: megabytes, expiresInMs: left)
            case .empty: snapshot.empty = .init(expiresInMs: left)
            }
        }
        return snapshot
    }

    /// Ends every fault past its deadline; returns the next deadline, if any.
    func endExpired() async -> ContinuousClock.Instant? {
        for kind in ServiceFaultKind.allCases {
            if let fault = active[kind], fault.deadline <= clock.now { await end(kind, reason: .expired) }
        }
        return active.values.map(\.deadline).min()
    }

    private func inForce(_ kind: ServiceFaultKind) -> ActiveFault? {
        guard let fault = active[kind], fault.deadline > clock.now else { return nil }
        return fault
    }

    /// Records the end of a fault already taken out of `active`, then lets go of its load.
    private func finish(_ fault: ActiveFault, reason: EndReason) async {
        metrics.recordFaultActive(fault.fault.kind, false)
        logger.info("fault ended", metadata: ["kind": "\(fault.fault.kind.rawValue)", "reason": "\(reason.rawValue)"])
        switch fault.load {
        case .cpu(let burner): await burner.stop()
        case .memory, nil: break  // the ballast unmaps its memory when `fault`, its last reference, goes
        }
    }
}
