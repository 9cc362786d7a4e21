import Foundation
import Testing
@testable import LabEngine

/// Exercises that meet the monitoring: weather the lab brings before the status check (graded
/// as the prediction `refused`), and an alert watched in Alertmanager during the attack (graded
/// as `alerted` or `silent`; a fix of its rule file earns the fix's points when it fires in time).
/// Alertmanager is a scripted client on the sandbox's manual clock: the real one is in EndToEndTests.
@Suite("Weather, refusals and watched alerts")
struct MonitoringExerciseTests {
    // MARK: The lab format

    @Test("mistakes in weather, alert and fix_rules are reported at their line")
    func mistakesAreReported() throws {
        let yaml = """
            id: weather-lab
            title: Weather
            architecture:
              edges:
                - { from: storefront, to: checkout, critical: true }
            journeys:
              checkout:
                steps: [ "GET storefront /" ]
                slo: { success_rate: 0.99, p95_ms: 500 }
            status_checks:
              no-incident:
                - { kind: alerts, matching: { severity: page } }
            exercises:
              - id: sick
                title: Sick
                brief: Sick.
                hypothesis: { question: "?", choices: { refused: a, works: b } }
                weather: { inject: { edge: storefront->checkout, fault: reset_peer }, shows_in: no-such-check }
                status_check: { journey: checkout }
                attack: { edge: storefront->checkout, fault: blackhole }
                expect: refused
              - id: watched
                title: Watched
                brief: Watched.
                hypothesis: { question: "?", choices: { works: a, broken: b } }
                alert: { name: CartSlow, expect: maybe }
                attack: { edge: storefront->checkout, fault: blackhole }
                expect: { checkout: broken }
              - id: unwatched
                title: Unwatched
                brief: Unwatched.
                hypothesis: { question: "?", choices: { refused: a, alerted: b, silent: c } }
                fix_rules: { file: rules/cart.yml, solution: no-such-solution.yml }
                attack: { edge: storefront->checkout, fault: blackhole }
                expect: { checkout: broken }
            """
        guard case .failure(let error) = LabValidator.validate(yaml: yaml, file: "weather.yaml") else {
            Issue.record("the lab should not load")
            return
        }
        let messages = error.problems.map(\.description)
        func problem(_ text: String) -> String? { messages.first { $0.contains(text) } }
        #expect(problem("unknown status check 'no-such-check' in weather.shows_in")?.hasPrefix("weather.yaml:18:85:") == true, "\(messages)")
        #expect(problem("alert.expect is alerted or silent, got 'maybe'")?.hasPrefix("weather.yaml:26:38:") == true, "\(messages)")
        #expect(problem("fix_rules.file is the name of a .yml file")?.hasPrefix("weather.yaml:33:24:") == true, "\(messages)")
        #expect(problem("cannot read the solution file 'no-such-solution.yml'") != nil, "\(messages)")
        #expect(problem("hypothesis choices alerted and silent need an `alert:`") != nil, "\(messages)")
        #expect(problem("hypothesis choice refused needs weather or `expect: refused`") != nil, "\(messages)")
    }

    @Test("the shipped labs load their weather, alert and rule fix")
    func shippedLabsLoad() throws {
        let catalog = LabLoader.load(directory: Fixtures.shippedLabsDirectory)
        let temperature = try #require(catalog.lab("take-the-temperature")?.exercise("go-or-no-go"))
        #expect(temperature.expectsRefusal && temperature.referenceAnswer == .refused)
        #expect(temperature.weather?.showsIn == "no-incident" && temperature.weather?.within == .seconds(30))
        let fix = try #require(catalog.lab("did-monitoring-see-it")?.exercise("fix-the-cart-alert"))
        #expect(fix.kind == .fix && fix.rulesFix?.file == "cart-alerts.yml")
        #expect(fix.rulesFix?.solution.map { FileManager.default.isReadableFile(atPath: $0) } == true)
        #expect(fix.alert == AlertWatch(name: "CartSlow", within: .seconds(15), expect: .alerted))
        #expect(fix.predictions == [.alerted, .silent])
    }

    @Test("a debrief may be one per observed outcome; the one for what was measured is shown")
    func debriefsPerOutcome() throws {
        let yaml = """
            id: debriefs
            title: Debriefs
            architecture:
              edges:
                - { from: storefront, to: ads, critical: false }
            journeys:
              checkout:
                steps: [ "GET storefront /" ]
                slo: { success_rate: 0.99, p95_ms: 500 }
            exercises:
              - id: fix-ads
                title: Fix ads
                brief: Set the knobs.
                hypothesis: { question: "?", choices: { works: a, degraded: b, broken: c } }
                attack: { edge: storefront->ads, fault: blackhole }
                fix: { storefront: { ads_fallback: true } }
                expect: { checkout: works }
                debrief:
                  works: It held.
                  broken: It did not hold.
              - id: bad
                title: Bad
                brief: Bad.
                hypothesis: { question: "?", choices: { works: a, degraded: b, broken: c } }
                attack: { edge: storefront->ads, fault: blackhole }
                expect: { checkout: broken }
                debrief: { sometimes: No such outcome. }
            """
        guard case .failure(let error) = LabValidator.validate(yaml: yaml, file: "debriefs.yaml") else {
            Issue.record("the second exercise should not load")
            return
        }
        #expect(error.problems.map(\.description).first?.hasPrefix("debriefs.yaml:27:27:") == true, "\(error.problems)")
        #expect(error.problems.first?.message.contains("debrief for 'sometimes'") == true)
        let good = yaml.components(separatedBy: "  - id: bad")[0]
        let lab = try LabValidator.validate(yaml: good, file: "debriefs.yaml").get()
        let exercise = try #require(lab.exercise("fix-ads"))
        #expect(exercise.debrief == "It held.", "the text for the outcome the lab expects")
        #expect(exercise.debrief(for: .broken) == "It did not hold.")
        #expect(exercise.debrief(for: .degraded) == "It held.", "an outcome without its own text gets the expected one's")
    }

    // MARK: Weather

    @Test("weather goes in, shows in its check, the status check refuses the attack; the prediction refused scores")
    func weatherIsRefused() async throws {
        let sandbox = FakeSandbox()
        let events = EventLog()
        // An incident is open while any fault is in: the weather.
        let alertmanager = ScriptedAlertmanager { _ in sandbox.activeFaults > 0 ? [("StorefrontErrors", "2027-01-15T08:00:01Z")] : [] }
        let lab = Self.lab(weather: Weather(target: .edge(EdgeID(from: "storefront", to: "checkout")), fault: FaultSpec(type: "reset_peer"),
                                            showsIn: "no-incident", within: .seconds(10)))
        let result = await sandbox.clock.run {
            await Self.runner(lab, sandbox, alertmanager).run(exercise: "sick", hypothesis: .refused, events: events.record)
        }
        #expect(result.refusedByStatusCheck, "\(result.reason ?? "")")
        #expect(result.reason?.contains("status check 'no-incident' failed") == true, "\(result.reason ?? "")")
        #expect(result.observedPrediction == .refused)
        #expect(sandbox.calls == ["inject reset_peer storefront->checkout", "remove f1"], "only the weather went in, and came out")
        #expect(events.kinds.contains("weather_applied") && events.kinds.contains("weather_cleared"))
        let score = Grader.grade(lab: lab, results: [result], diagramAnswer: nil, runErrored: false)
        #expect(score.breakdown.first { $0.item == "sick" }?.earned == Grader.predictionPoints)
    }

    @Test("a hypothesis the exercise does not offer is refused before anything goes in")
    func unofferedPredictionIsRefused() async throws {
        let sandbox = FakeSandbox()
        let lab = Self.lab(weather: nil)
        let result = await sandbox.clock.run {
            await Self.runner(lab, sandbox, ScriptedAlertmanager { _ in [] }).run(exercise: "watched", hypothesis: .broken, events: { _ in })
        }
        #expect(result.status == .refused && result.reason == "record a hypothesis first: alerted, silent")
        #expect(sandbox.calls.isEmpty)
    }

    // MARK: Watched alerts

    @Test("an alert that reaches Alertmanager in time is alerted, timed from the fault; the rule fix scores")
    func alertFires() async throws {
        let sandbox = FakeSandbox()
        // Absent at the first poll (the fault just went in), firing from the third on.
        let alertmanager = ScriptedAlertmanager { poll in poll >= 3 ? [("CartSlow", "2027-01-15T08:00:04Z")] : [] }
        let lab = Self.lab(weather: nil)
        let result = await sandbox.clock.run {
            await Self.runner(lab, sandbox, alertmanager).run(exercise: "watched", hypothesis: .alerted, events: { _ in })
        }
        #expect(result.status == .completed, "\(result.reason ?? "")")
        let seen = try #require(result.alert)
        #expect(seen.firedAfterMs.map { $0 >= 2000 && $0 <= 3000 } == true, "fired on the third poll, a second apart: \(seen)")
        #expect(seen.startsAt == "2027-01-15T08:00:04Z")
        #expect(result.observedPrediction == .alerted)
        #expect(alertmanager.reloads == 1, "the rules were reloaded before the run")
        let score = Grader.grade(lab: lab, results: [result], diagramAnswer: nil, runErrored: false)
        #expect(score.breakdown.filter { $0.item == "watched" }.map(\.earned) == [Grader.predictionPoints, Grader.fixPoints])
    }

    @Test("an alert that never comes, or was already firing before the fault, is silent")
    func alertStaysSilent() async throws {
        let never: @Sendable (Int) -> [(String, String)] = { _ in [] }
        let before: @Sendable (Int) -> [(String, String)] = { _ in [("CartSlow", "2027-01-15T07:59:00Z")] }
        for script in [never, before] {
            let sandbox = FakeSandbox()
            let lab = Self.lab(weather: nil)
            let result = await sandbox.clock.run {
                await Self.runner(lab, sandbox, ScriptedAlertmanager(script)).run(exercise: "watched", hypothesis: .alerted, events: { _ in })
            }
            #expect(result.alert?.firedAfterMs == nil && result.observedPrediction == .silent, "\(String(describing: result.alert))")
            let score = Grader.grade(lab: lab, results: [result], diagramAnswer: nil, runErrored: false)
            #expect(score.breakdown.filter { $0.item == "watched" }.map(\.earned) == [0, 0])
            #expect(score.breakdown.first { $0.category == .fix }?.note.contains("CartSlow stayed silent") == true)
        }
    }

    @Test("a rule file Prometheus rejects stops the run with its words; without monitoring it is inconclusive")
    func brokenRulesOrNoMonitoring() async throws {
        let sandbox = FakeSandbox()
        let lab = Self.lab(weather: nil)
        let broken = ScriptedAlertmanager(reload: "Prometheus refused the reload: yaml: line 9: mapping values are not allowed") { _ in [] }
        let rejected = await sandbox.clock.run {
            await Self.runner(lab, sandbox, broken).run(exercise: "watched", hypothesis: .alerted, events: { _ in })
        }
        #expect(rejected.status == .errored)
        #expect(rejected.reason?.contains("line 9: mapping values") == true && rejected.reason?.contains("monitoring/rules/cart-alerts.yml") == true,
                "\(rejected.reason ?? "")")
        let off = ExperimentRunner(lab: lab, faults: sandbox, config: sandbox, client: sandbox, clock: sandbox.clock, now: { sandbox.clock.date },
                                   checks: StatusCheckPorts(client: NoCheckClient(), environment: CheckEnvironment(
                                       monitoring: .absent(reason: "monitoring is off (--no-monitoring)"))))
        let inconclusive = await sandbox.clock.run { await off.run(exercise: "watched", hypothesis: .alerted, events: { _ in }) }
        #expect(inconclusive.status == .inconclusive && inconclusive.reason?.contains("monitoring is off") == true)
        #expect(sandbox.calls.isEmpty, "nothing was injected")
    }

    // MARK: Helpers

    /// The runner lab with a `no-incident` check, `sick` (with `weather`, expecting a refusal)
    /// and `watched` (a fix of the CartSlow rule, watched for 15 s of a 20-s attack).
    static func lab(weather: Weather?) -> Lab {
        var lab = TestLab.lab
        lab.statusChecks = ["no-incident": StatusCheckDefinition(name: "no-incident", criteria: [.alerts(AlertsCriterion(matching: ["severity": "page"]))])]
        var sick = TestLab.exercise("sick")
        sick.hypothesis = Hypothesis(question: "?", choices: [.refused: "no", .works: "yes", .broken: "yes, worse"])
        sick.statusCheck.checks = ["no-incident"]
        sick.weather = weather
        sick.expect = [:]
        sick.expectsRefusal = true
        var watched = TestLab.exercise("watched", attack: .seconds(20))
        watched.hypothesis = Hypothesis(question: "?", choices: [.alerted: "yes", .silent: "no"])
        watched.alert = AlertWatch(name: "CartSlow", within: .seconds(15), expect: .alerted)
        watched.rulesFix = RulesFix(file: "cart-alerts.yml")
        lab.exercises = [sick, watched]
        return lab
    }

    static func runner(_ lab: Lab, _ sandbox: FakeSandbox, _ alertmanager: ScriptedAlertmanager) -> ExperimentRunner {
        let environment = CheckEnvironment(monitoring: .running(prometheus: "http://127.0.0.1:9090", alertmanager: "http://127.0.0.1:9093"),
                                           reloadRules: { alertmanager.reload() })
        return ExperimentRunner(lab: lab, faults: sandbox, config: sandbox, client: sandbox, clock: sandbox.clock,
                                now: { sandbox.clock.date }, checks: StatusCheckPorts(client: alertmanager, environment: environment))
    }
}

/// Alertmanager's `GET /api/v2/alerts`, scripted: `firing(poll)` gives the alerts (name,
/// startsAt) of the poll-th request, counted from 1. Counts Prometheus reloads too.
final class ScriptedAlertmanager: CheckHTTPClient, @unchecked Sendable {
    private let firing: @Sendable (Int) -> [(String, String)]
    private let reloadProblem: String?
    private let counts = Locked((polls: 0, reloads: 0))

    init(reload problem: String? = nil, _ firing: @escaping @Sendable (Int) -> [(String, String)]) {
        self.firing = firing
        self.reloadProblem = problem
    }

    var reloads: Int { counts.current.reloads }

    func reload() -> String? {
        counts.withLock { $0.reloads += 1 }
        return reloadProblem
    }

    func fetch(_ request: CheckHTTPRequest, timeout: Duration) async -> CheckHTTPResponse {
        guard request.url.contains("/api/v2/alerts") else { return .failed(reason: "not scripted: \(request.url)", elapsedMs: 0) }
        let poll = counts.withLock { $0.polls += 1; return $0.polls }
        let alerts = firing(poll).map { name, startsAt in
            #"{"labels": {"alertname": "\#(name)", "severity": "page", "team": "default"}, "startsAt": "\#(startsAt)"}"#
        }
        return .answered(status: 200, body: "[" + alerts.joined(separator: ",") + "]", elapsedMs: 1)
    }
}
