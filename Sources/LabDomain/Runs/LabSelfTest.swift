import AsyncHTTPClient
import Foundation
import LabEngine
import LabStore
import Logging
import Sandbox

/// A lab's self-test: every experiment of every lab, run in quick mode (or at full length) against a fresh sandbox
/// with the lab's reference answers (the expected outcome as the hypothesis, the lab's own fix),
/// and what it observed compared with what the lab says happens.
///
/// This is `chaoslab validate --live`: a lab whose expectation no longer holds fails, with the
/// lab, the exercise and the numbers. An experiment that did not match (or could not be judged)
/// runs once more, since a busy machine can push a borderline measurement over a threshold;
/// the report keeps what the first attempt saw.
public enum LabSelfTest {
    /// One experiment's verdict.
    public struct Report: Codable, Sendable {
        public var lab: String
        public var exercise: String
        public var attack: String
        public var expected: [String: Outcome]
        public var observed: [String: Outcome]
        public var measurements: [String: JourneyMeasurement]
        public var status: ExerciseResult.Status
        public var reason: String?
        public var haltedBy: String?
        /// How many runs it took (a run that did not match is tried again).
        public var attempts: Int
        /// What an earlier attempt saw when it did not match: "observed checkout degraded (…)".
        public var earlier: [String]
        public var passed: Bool
        /// The verdicts that are not a journey's outcome: "✓ refused: …", "✗ alert CartSlow: …".
        public var beyondJourneys: [String] = []
        /// What Alertmanager showed of the exercise's watched alert.
        public var alert: AlertObservation?

        enum CodingKeys: String, CodingKey {
            case lab, exercise, attack, expected, observed, measurements, status, reason, attempts, earlier, passed
            case beyondJourneys = "beyond_journeys", alert
            case haltedBy = "halted_by"
        }

        /// Expected against observed with the numbers, one journey a line.
        public var lines: [String] {
            expected.keys.sorted().map { journey in
                let seen = observed[journey]?.rawValue ?? "nothing"
                let numbers = measurements[journey]?.summary ?? "no measurement"
                let mark = observed[journey] == expected[journey] ? "✓" : "✗"
                return "\(mark) \(journey): expected \(expected[journey]!.rawValue), observed \(seen) (\(numbers))"
            } + beyondJourneys
        }
    }

    /// Runs `exercises` (all of each lab's when nil) of every lab against a sandbox of its own.
    /// `progress` hears the sandbox start and each experiment as it begins; `report` each verdict.
    /// `monitoring` (the repository's `monitoring/` folder) starts Prometheus and Alertmanager
    /// beside the sandbox when a lab's status checks need them.
    public static func run(labs: [Lab], exercises only: Set<String>? = nil, sandbox configuration: SandboxConfiguration,
                           monitoring: URL? = nil,
                           quick: Bool = true, attempts: Int = 2, progress: @escaping @Sendable (String) -> Void,
                           report: @escaping @Sendable (Report) -> Void) async throws -> [Report] {
        var logger = Logger(label: "chaoslab.selftest")
        logger.logLevel = .warning
        // A workspace of its own; its store (which the self-test does not use) lives in a
        // temporary folder, removed at the end.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chaoslab-selftest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try LabStore(path: folder.appendingPathComponent("selftest.sqlite").path)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .probes)
        let settings = CheckSettings()
        let workspace: Workspace
        do {
            workspace = try await Workspace.start(
                sandbox: configuration, client: client, catalog: LabCatalog(labs: labs, problems: []), store: store,
                maxFaultTTL: nil, checkSettings: settings, logger: logger, progress: progress)
        } catch {
            try? await client.shutdown()
            throw error
        }
        var stack: MonitoringStack?
        // A copy of the monitoring folder: a lab's fix of an alert rule goes into the copy, never the repository.
        let monitoringCopy = folder.appendingPathComponent("monitoring-config")
        if let monitoring, labs.contains(where: \.needsMonitoring) {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: monitoring, to: monitoringCopy)
            } catch {
                progress("could not copy \(monitoring.path) for the self-test: \(error)")
            }
            let candidate = MonitoringStack(configuration: .init(configDirectory: monitoringCopy, dataDirectory: folder))
            do {
                try await candidate.start(progress: progress)
                await candidate.setTargets("sandbox", await workspace.scrapeTargets(team: "default"))
                let (prometheus, alertmanager) = (await candidate.prometheusURL ?? "", await candidate.alertmanagerURL ?? "")
                settings.update { values in
                    values.monitoring = .running(prometheus: prometheus, alertmanager: alertmanager)
                    values.reloadRules = { await candidate.reloadRules() }
                }
                stack = candidate
            } catch {
                progress("\(error)")
                settings.update { $0.monitoring = .absent(reason: "\(error)") }
            }
        }
        // The workspace's service (its faults' times to live) runs beside the checks, until the shutdown below.
        async let running: Void = workspace.run()
        var reports: [Report] = []
        for lab in labs {
            for exercise in lab.exercises where only?.contains(exercise.id) ?? true {
                let rules = exercise.rulesFix.map { monitoringCopy.appendingPathComponent("rules").appendingPathComponent($0.file) }
                let shipped = rules.flatMap { try? Data(contentsOf: $0) }
                if let rules, let solution = exercise.rulesFix?.solution {
                    try? FileManager.default.removeItem(at: rules)
                    try? FileManager.default.copyItem(at: URL(fileURLWithPath: solution), to: rules)
                }
                let verdict = await check(exercise, of: lab, in: workspace, quick: quick, attempts: max(1, attempts), progress: progress)
                if let rules, let shipped { try? shipped.write(to: rules) }
                report(verdict)
                reports.append(verdict)
            }
        }
        await workspace.shutdown()
        await running
        await stack?.stop()
        try? await client.shutdown()
        return reports
    }

    private static func check(_ exercise: Exercise, of lab: Lab, in workspace: Workspace,
                              quick: Bool, attempts: Int, progress: @Sendable (String) -> Void) async -> Report {
        let ports = workspace.ports
        let runner = ExperimentRunner(lab: lab, faults: ports.faults, config: ports.config, client: ports.client, quick: quick,
                                      checks: workspace.coordinator.checkPorts(own: nil))
        let attack = "\(exercise.attack.fault.summary) on \(exercise.attack.target.key)"
        func matches(_ result: ExerciseResult) -> Bool { exercise.matchesExpectation(result) }
        var earlier: [String] = []
        var attempt = 0
        while true {
            attempt += 1
            progress("\(lab.id) / \(exercise.id): \(attack)\(attempt > 1 ? " (attempt \(attempt))" : "")")
            await waitUntilHealthy(workspace.sandbox)
            if let alert = exercise.alert { await waitUntilQuiet(alert, runner: runner) }
            let result = await runner.run(exercise: exercise.id, hypothesis: exercise.referenceAnswer, events: { _ in })
            if matches(result) || attempt >= attempts || result.status == .errored {
                return Report(
                    lab: lab.id, exercise: exercise.id, attack: attack, expected: exercise.expect, observed: result.observed,
                    measurements: result.measurements, status: result.status, reason: result.reason, haltedBy: result.haltedBy,
                    attempts: attempt, earlier: earlier, passed: matches(result), beyondJourneys: beyondJourneys(exercise, result), alert: result.alert)
            }
            earlier.append(describe(result))
        }
    }

    /// The expectations that are not a journey's outcome: a refusal, a watched alert.
    private static func beyondJourneys(_ exercise: Exercise, _ result: ExerciseResult) -> [String] {
        var lines: [String] = []
        if exercise.expectsRefusal {
            lines.append(result.refusedByStatusCheck ? "✓ refused: \(result.reason ?? "by the status check")"
                                                     : "✗ expected the status check to refuse the attack; it did not")
        }
        if let alert = exercise.alert {
            let seen = result.alert.map { ($0.summary, alert.holds($0)) }
            let right = seen.map { $0.1 == (alert.expect == .alerted) } ?? false
            lines.append("\(right ? "✓" : "✗") alert \(alert.name): expected \(alert.expect.rawValue) within "
                         + "\(DurationParser.format(alert.within)), observed: \(seen?.0 ?? "nothing")")
        }
        return lines
    }

    /// What a run saw, in one line: "inconclusive: …" or "observed checkout degraded (…), browse works (…)".
    private static func describe(_ result: ExerciseResult) -> String {
        guard result.status == .completed else { return "\(result.status.rawValue): \(result.reason ?? "no reason given")" }
        return "observed " + result.observed.sorted { $0.key < $1.key }.map { journey, outcome in
            "\(journey) \(outcome.rawValue) (\(result.measurements[journey]?.summary ?? "no measurement"))"
        }.joined(separator: ", ")
    }

    /// Waits (at most 45 s) until the watched alert is neither pending nor firing: an earlier
    /// attempt's, still active while its rule's window drains, would answer the next attempt.
    private static func waitUntilQuiet(_ alert: AlertWatch, runner: ExperimentRunner) async {
        let deadline = ContinuousClock.now + .seconds(45)
        while ContinuousClock.now < deadline, !(await runner.alertIsQuiet(alert)) {
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Waits (at most 15 s) until every service answers its health check again, as after a
    /// kill or a pause: the next experiment's status check must see a recovered sandbox.
    private static func waitUntilHealthy(_ sandbox: Sandbox) async {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if await sandbox.status().services.allSatisfy(\.healthy) { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
