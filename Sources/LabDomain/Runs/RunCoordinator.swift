import Foundation
import LabEngine
import LabStore
import Logging

/// Runs learners' labs on one sandbox: records hypotheses, runs each experiment, keeps every
/// event and observation in the store, and grades a run from what was observed. One
/// experiment runs at a time: the sandbox is shared, and two faults at once would spoil both
/// measurements. The answers live in `RunCoordinator+Answers.swift`, the experiments in
/// `RunCoordinator+Experiments.swift`; this file holds the sandbox's one experiment slot.
package actor RunCoordinator {
    package nonisolated let catalog: LabCatalog
    package nonisolated let store: LabStore
    package nonisolated let ports: EnginePorts
    /// Everyone watching this workspace sees each event and change as it happens.
    package nonisolated let feed: LiveFeed
    let logger: Logger
    /// The work in the sandbox's one experiment slot: how to stop it, and its end.
    var running: Slot?
    /// Halts in progress: no new attack may start under their feet.
    var halting = 0
    /// The last status check that passed, per "run/exercise", and when: an attack right after
    /// it (within `freshCheck`, with no fault in force meanwhile) uses it instead of probing
    /// steady state a second time.
    var passedChecks: [String: (measurement: JourneyMeasurement, at: ContinuousClock.Instant)] = [:]
    static let freshCheck: Duration = .seconds(30)
    /// Whether any fault is in force in the sandbox (a fault added by hand since a status check voids it).
    let faultsInForce: @Sendable () async -> Bool

    package init(catalog: LabCatalog, store: LabStore, ports: EnginePorts, feed: LiveFeed = LiveFeed(),
                 logger: Logger = Logger(label: "chaoslab.runs"), faultsInForce: @escaping @Sendable () async -> Bool = { false }) {
        self.catalog = catalog
        self.store = store
        self.ports = ports
        self.feed = feed
        self.logger = logger
        self.faultsInForce = faultsInForce
    }

    /// What may hold the sandbox's experiment slot, as the live state names it.
    package enum Activity: String, Sendable {
        case statusCheck = "status_check", attack, scenario, map

        /// In words, put before the slot's label: "attack of block-ads"; a scenario's label says
        /// itself what it is ("scenario sale-day").
        package var prefix: String {
            switch self {
            case .statusCheck: "status check of "
            case .attack: "attack of "
            case .scenario: ""
            case .map: "the traffic map of "
            }
        }
    }

    /// The work that holds the slot: the run, its label (an exercise or a scenario id), its kind.
    struct Slot {
        let run: String
        let label: String
        let kind: Activity
        let cancel: @Sendable () -> Void
        let done: Task<Void, Never>
    }

    /// What holds the sandbox's experiment slot; nil when the sandbox is free.
    package var activity: (run: String, label: String, kind: Activity)? {
        running.map { ($0.run, $0.label, $0.kind) }
    }

    /// Takes the slot for `work`, run on a task of its own (a client that goes away does not
    /// stop it halfway), and frees it when the work ends. Refuses while a halt is in progress
    /// or while the slot is taken: there is no suspension from the check to taking the slot,
    /// so two requests cannot both pass.
    func occupySlot<Result: Sendable>(
        run runID: String, label: String, kind: Activity, _ work: @escaping @Sendable () async -> Result
    ) throws(LabError) -> Task<Result, Never> {
        if halting > 0 {
            throw .conflict("a halt is in progress; start the attack again in a moment")
        }
        if let running {
            throw .conflict("experiment \(running.label) of run \(running.run) is still running; wait for it or halt it (chaoslab halt)")
        }
        let task = Task<Result, Never> {
            let result = await work()
            self.release(run: runID, label: label)  // the task runs on this actor
            return result
        }
        running = Slot(run: runID, label: label, kind: kind, cancel: { task.cancel() }, done: Task { _ = await task.value })
        return task
    }

    private func release(run runID: String, label: String) {
        if running?.run == runID && running?.label == label { running = nil }
        feed.publish(.changed("\(label) ended"))
    }

    /// The experiment in the slot, in words, unless it is `own` (the run and label asking).
    package func activity(excluding own: (run: String, label: String)? = nil) -> String? {
        guard let running, own.map({ $0.run != running.run || $0.label != running.label }) ?? true else { return nil }
        return "\(running.kind.prefix)\(running.label) (run \(running.run)) is running"
    }

    /// What the status checks of `own`'s experiment reach (nil: a check on its own, outside the slot).
    package nonisolated func checkPorts(own: (run: String, label: String)?) -> StatusCheckPorts {
        let settings = ports.checkSettings.values
        let me = ObjectIdentifier(self)
        let environment = CheckEnvironment(
            labServerURL: settings.labServerURL, serviceURL: ports.serviceURL, monitoring: settings.monitoring,
            otherActivity: { [weak self] anywhere in
                if let here = await self?.activity(excluding: own) { return here }
                guard anywhere else { return nil }
                return await settings.everywhere().first { $0.coordinator != me }?.activity
            },
            allowRemote: settings.allowRemote, team: ports.team, reloadRules: settings.reloadRules)
        return StatusCheckPorts(client: ports.checkClient, environment: environment)
    }

    func isAttacking(run runID: String, exercise exerciseID: String) -> Bool {
        guard let running else { return false }
        return running.kind == .attack && running.run == runID && running.label == exerciseID
    }

    /// Stops the running experiment (its runner rolls the fault back) and removes every fault.
    package func haltAll() async -> Int {
        halting += 1
        defer { halting -= 1 }
        var cancelled = 0
        if let running {
            running.cancel()
            await running.done.value
            cancelled = 1
        }
        await ports.faults.removeAll()
        feed.publish(.changed("halted: every fault removed"))
        return cancelled
    }

    /// Passes each engine event of `runID` on to `events` and to everyone watching.
    func broadcasting(_ runID: String, _ events: @escaping @Sendable (RunEvent) -> Void) -> @Sendable (RunEvent) -> Void {
        let feed = feed
        return { event in
            feed.publish(.event(run: runID, event))
            events(event)
        }
    }

    package func lab(_ id: String) throws(LabError) -> Lab {
        guard let lab = catalog.labs.first(where: { $0.id == id }) else {
            let ids = catalog.labs.map(\.id)
            throw .notFound("unknown lab '\(id)'.\(NameSuggestion.didYouMean(id, among: ids)) Labs: \(ids.joined(separator: ", "))")
        }
        return lab
    }

    /// An open run and its lab: `notFound` for an unknown run, `conflict` for a closed one.
    func openRun(_ runID: String) async throws -> (RunRecord, Lab) {
        guard let run = try await store.run(id: runID) else {
            throw LabError.notFound("unknown run '\(runID)'; list runs with chaoslab summary")
        }
        guard run.status == .running else {
            throw LabError.conflict("run \(runID) is \(run.status.rawValue); start a new one with chaoslab run \(run.labID)")
        }
        return (run, try lab(run.labID))
    }

    /// Stores what an experiment observed. A write that fails is logged and turns the result
    /// into an error that says so: an observation that is not stored cannot be graded.
    func storeObservation(_ result: ExerciseResult, run runID: String) async -> ExerciseResult {
        do {
            try await store.recordObservation(
                runID: runID, exerciseID: result.exerciseID, status: result.status.rawValue, payload: try encode(result))
            return result
        } catch {
            logger.error("could not store an observation", metadata: ["run": "\(runID)", "exercise": "\(result.exerciseID)", "error": "\(error)"])
            var failed = result
            failed.status = .errored
            failed.reason = [result.reason, "the observation could not be stored (\(error)); it is not graded: run the attack again"]
                .compactMap { $0 }.joined(separator: "; ")
            return failed
        }
    }
}

/// The adapters the engine runs against.
package struct EnginePorts: Sendable {
    package let faults: any FaultInjector
    package let config: any ServiceConfigurator
    package let client: any JourneyStepClient
    /// What every edge's proxy has carried: the traffic map's meter.
    package let meter: any TrafficMeter
    /// The named status checks' HTTP client, the settings they share, and this sandbox's services.
    package let checkClient: any CheckHTTPClient
    package let checkSettings: CheckSettings
    package let serviceURL: @Sendable (String) async -> String?
    /// The `team` label of this sandbox's series in Prometheus.
    package let team: String

    package init(faults: any FaultInjector, config: any ServiceConfigurator, client: any JourneyStepClient,
                 checkClient: any CheckHTTPClient = NoCheckClient(), checkSettings: CheckSettings = CheckSettings(),
                 serviceURL: @escaping @Sendable (String) async -> String? = { _ in nil }, team: String = "default",
                 meter: any TrafficMeter = NoTrafficMeter()) {
        self.team = team
        self.meter = meter
        self.faults = faults
        self.config = config
        self.client = client
        self.checkClient = checkClient
        self.checkSettings = checkSettings
        self.serviceURL = serviceURL
    }
}

/// JSON with sorted keys: what the store keeps, byte for byte the same for the same value.
package func encode<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
}
