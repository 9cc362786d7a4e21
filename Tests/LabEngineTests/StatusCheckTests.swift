import Foundation
import Testing
@testable import LabEngine

@Suite("Status checks: their parts, their lab format, and where the runner judges them")
struct StatusCheckTests {
    // MARK: The parts

    @Test func comparisonsReadAsWritten() {
        #expect(Comparison(parsing: "< 0.01") == Comparison(.less, 0.01))
        #expect(Comparison(parsing: ">=0.99") == Comparison(.greaterOrEqual, 0.99))
        #expect(Comparison(parsing: "== 0")?.holds(for: 0) == true)
        #expect(Comparison(parsing: "<= 3")?.holds(for: 3.5) == false)
        #expect(Comparison(parsing: "about 3") == nil)
        #expect(Comparison(parsing: "> NaN") == nil)
    }

    @Test func statusCodesAsCodeListOrRange() {
        #expect(StatusExpectation(parsing: "200") == .codes([200]))
        #expect(StatusExpectation(parsing: "2xx")?.accepts(204) == true)
        #expect(StatusExpectation(parsing: "200-299")?.accepts(302) == false)
        #expect(StatusExpectation(parsing: "299-200") == nil)
        #expect(StatusExpectation(parsing: "9000") == nil)
    }

    @Test func jsonPathPointsAtOneValue() throws {
        let document = try #require(JSONDocument.parse(#"{"status":"ok","items":[{"price":3},{"price":5}],"up":true}"#))
        #expect(try JSONPath(parsing: "$.status").value(in: document) == .string("ok"))
        #expect(try JSONPath(parsing: "$.items[1].price").value(in: document) == .number(5))
        #expect(try JSONPath(parsing: "$['items'][-1]['price']").value(in: document) == .number(5))
        #expect(try JSONPath(parsing: "$.items.length").value(in: document) == .number(2))
        #expect(try JSONPath(parsing: "$.up").value(in: document) == .bool(true))
        #expect(try JSONPath(parsing: "$.missing.deeper").value(in: document) == nil)
        #expect(throws: JSONPathError.self) { try JSONPath(parsing: "$..price") }
        #expect(throws: JSONPathError.self) { try JSONPath(parsing: "$.items[*]") }
        #expect(throws: JSONPathError.self) { try JSONPath(parsing: "status") }
    }

    @Test func promQLSyntaxMistakesAreCaughtBeforePrometheusSeesThem() {
        #expect(PrometheusCriterion.syntaxProblem(in: #"sum(rate(http_requests_total{status=~"5.."}[15s]))"#) == nil)
        #expect(PrometheusCriterion.syntaxProblem(in: "rate(")?.contains("never closed") == true)
        #expect(PrometheusCriterion.syntaxProblem(in: "up{job=\"shop}") != nil)
        #expect(PrometheusCriterion.syntaxProblem(in: "up ==") != nil)
        #expect(PrometheusCriterion.syntaxProblem(in: "  ") == "the query is empty")
    }

    @Test func prometheusAnswersAreReadAsSamples() throws {
        let vector = try #require(JSONDocument.parse(#"""
            {"resultType":"vector","result":[{"metric":{"__name__":"x","route":"/"},"value":[1.5,"0.25"]}]}
            """#))
        let samples = PrometheusCriterion.samples(in: vector)
        #expect(samples.count == 1 && samples[0].value == 0.25 && samples[0].labels == #"route="/""#)
        let scalar = try #require(JSONDocument.parse(#"{"resultType":"scalar","result":[1.5,"1"]}"#))
        #expect(PrometheusCriterion.samples(in: scalar).map(\.value) == [1])
        let empty = try #require(JSONDocument.parse(#"{"resultType":"vector","result":[]}"#))
        #expect(PrometheusCriterion.samples(in: empty).isEmpty)
    }

    @Test func calendarEventsAndWeeklyRepeats() throws {
        let calendar = try ICalendar.parse("""
            BEGIN:VCALENDAR
            BEGIN:VEVENT
            DTSTART;VALUE=DATE:20271126
            SUMMARY:Sale day
            END:VEVENT
            BEGIN:VEVENT
            DTSTART:20270101T160000Z
            DTEND:20270101T180000Z
            RRULE:FREQ=WEEKLY;COUNT=10
            SUMMARY:Friday deploy freeze
            END:VEVENT
            END:VCALENDAR
            """)
        func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
        #expect(calendar.event(at: at("2027-01-08T17:00:00Z"))?.event.summary == "Friday deploy freeze", "the second Friday")
        #expect(calendar.event(at: at("2027-01-08T18:00:00Z")) == nil, "an event ends at DTEND")
        #expect(calendar.event(at: at("2027-06-04T17:00:00Z")) == nil, "COUNT=10 has run out by June")
        #expect(calendar.event(at: at("2027-01-06T17:00:00Z")) == nil, "a Wednesday")
        let saleDay = TimeZone.current.secondsFromGMT()
        #expect(calendar.event(at: at("2027-11-26T12:00:00Z").addingTimeInterval(-Double(saleDay)))?.event.summary == "Sale day",
                "a date without DTEND lasts the whole (local) day")
        #expect(throws: ICalendarError.self) { try ICalendar.parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR") }
        #expect(throws: ICalendarError.self) { try ICalendar.parse("hello") }
    }

    // MARK: The lab format

    @Test("each kind of mistake in a status check is reported at its line and column")
    func mistakesInStatusChecks() throws {
        let yaml = Self.lab(checks: """
              bad-checks:
                - kind: http
                  url: "{payments}/healthz"
                - kind: prometheus
                  query: 'rate(http_requests_total[15s]'
                  expect: "< 0.01"
                - kind: calendar
                  file: no-such-calendar.ics
                - kind: http
                  url: "{storefront}/api/products"
                  json: { path: "$..price", expect: "> 1" }
                - kind: weather
                - kind: alerts
                  query: up
            """, exerciseChecks: "[ bad-checks, no-such-check ]")
        guard case .failure(let error) = LabValidator.validate(yaml: yaml, file: "bad.yaml") else {
            Issue.record("the lab should not load")
            return
        }
        let messages = error.problems.map(\.description)
        func problem(_ text: String) -> String? { messages.first { $0.contains(text) } }
        #expect(problem("unknown service 'payments' in url")?.hasPrefix("bad.yaml:13:12:") == true, "\(messages)")
        #expect(problem("malformed PromQL query: '(' is never closed")?.hasPrefix("bad.yaml:15:14:") == true, "\(messages)")
        #expect(problem("calendar file 'no-such-calendar.ics': cannot read")?.hasPrefix("bad.yaml:18:13:") == true, "\(messages)")
        #expect(problem("unknown JSONPath '$..price'")?.hasPrefix("bad.yaml:21:21:") == true, "\(messages)")
        #expect(problem("unknown status check kind 'weather'") != nil, "\(messages)")
        #expect(problem("field 'query' does not belong to a alerts criterion") != nil, "\(messages)")
        #expect(problem("unknown status check 'no-such-check' in status_check.checks") != nil, "\(messages)")
    }

    @Test func aLabWithEveryKindLoads() throws {
        let folder = try Self.folderWithCalendars()
        let yaml = Self.lab(checks: """
              site-up:
                - kind: http
                  url: "{storefront}/healthz"
                  status: [200, 204]
                  max_ms: 500
                  json: [ { path: "$.status", equals: "ok" } ]
                  matches: "ok"
              weather:
                - kind: prometheus
                  query: 'shop:request_success_ratio:rate15s{route="/api/checkout"}'
                  expect: ">= 0.99"
                - kind: alerts
                  matching: { severity: page }
                - kind: calendar
                  file: frozen.ics
                  others: anywhere
                - kind: journey
                  journey: checkout
                  for: 2s
            """, exerciseChecks: "[ site-up ]", continuous: "{ checks: [ weather ], every: 2s }")
        let lab = try LabValidator.validate(yaml: yaml, file: "good.yaml", directory: folder).get()
        #expect(lab.statusChecks.keys.sorted() == ["site-up", "weather"])
        #expect(lab.statusChecks["weather"]?.criteria.map(\.kind) == ["prometheus", "alerts", "calendar", "journey"])
        #expect(lab.statusChecks["weather"]?.needsMonitoring == true)
        #expect(lab.exercises[0].statusCheck.checks == ["site-up"])
        #expect(lab.exercises[0].statusCheck.continuous == ContinuousCheck(checks: ["weather"], interval: .seconds(2)))
        guard case .calendar(let calendar) = lab.statusChecks["weather"]?.criteria[2] else { Issue.record("no calendar"); return }
        #expect(calendar.file == folder.appendingPathComponent("frozen.ics").path, "relative to the lab file's folder")
    }

    // MARK: Where the runner judges them

    @Test("a named check that fails refuses the attack: nothing is injected, the verdict says why")
    func aFailedCheckRefusesTheAttack() async throws {
        let sandbox = FakeSandbox()
        let events = EventLog()
        let lab = try Self.runnerLab(calendar: "always.ics")
        let result = await sandbox.clock.run {
            await Self.runner(lab, sandbox).run(exercise: "guarded", hypothesis: .broken, events: events.record)
        }
        #expect(result.status == .inconclusive)
        #expect(result.haltedBy == ExperimentRunner.statusCheckGuardrail)
        #expect(result.reason?.contains("status check 'freeze' failed") == true, "\(result.reason ?? "")")
        #expect(result.checks.first?.criteria.first?.observed?.contains("inside 'Change freeze'") == true)
        #expect(sandbox.calls.isEmpty, "no fault was injected")
        #expect(events.kinds.prefix(3) == ["exercise_started", "check_evaluated", "guardrail_tripped"])
    }

    @Test("a continuous check halts the attack at its first failure, within one poll")
    func aContinuousCheckHaltsTheAttack() async throws {
        let sandbox = FakeSandbox()
        let events = EventLog()
        // The freeze begins 2 s after the clock's start: the status check (1 s) passes, the
        // attack starts, and the poll after the freeze begins halts it.
        let lab = try Self.runnerLab(calendar: "soon.ics", continuous: true)
        let result = await sandbox.clock.run {
            await Self.runner(lab, sandbox).run(exercise: "polled", hypothesis: .broken, events: events.record)
        }
        #expect(result.status == .completed, "\(result.reason ?? "")")
        #expect(result.haltedBy?.contains("status check 'freeze' failed") == true, "\(result.haltedBy ?? "")")
        let lasted = result.finishedAt.timeIntervalSince(result.startedAt)
        #expect(lasted < 2.5 + 0.3, "halted at the first poll after 2 s (polls every 250 ms), not after 20 s: \(lasted)")
        #expect(sandbox.activeFaults == 0 && sandbox.calls.last == "remove f1")
        #expect(result.checks.last?.outcome == .failed)
    }

    @Test("a scenario's check step between two attacks stops the scenario when it fails")
    func aScenarioCheckStopsTheScenario() async throws {
        let sandbox = FakeSandbox()
        let lab = try Self.runnerLab(calendar: "soon.ics")
        let result = await sandbox.clock.run {
            await Self.runner(lab, sandbox).run(scenario: "drill", hypotheses: ["plain": .broken, "polled": .broken], events: { _ in })
        }
        #expect(result.steps.map(\.exerciseID) == ["plain"], "the second attack never ran")
        #expect(result.stoppedAt == "check freeze")
        #expect(result.checks.map(\.outcome) == [.failed])
        #expect(result.reason?.contains("no further attack ran") == true)
    }

    @Test("checks that need monitoring are inconclusive, with the reason, when there is none")
    func noMonitoringIsInconclusive() async throws {
        let criterion = PrometheusCriterion(query: "up", expect: Comparison(.equal, 1))
        let ports = StatusCheckPorts(client: NoCheckClient(), environment: CheckEnvironment(monitoring: .absent(reason: "monitoring is off (--no-monitoring)")))
        let verdict = await criterion.evaluate(ports, now: { Date() })
        #expect(verdict.outcome == .inconclusive && verdict.reason == "monitoring is off (--no-monitoring)")
        let alerts = await AlertsCriterion(matching: ["severity": "page"]).evaluate(ports, now: { Date() })
        #expect(alerts.outcome == .inconclusive)
    }

    // MARK: Helpers

    static func lab(checks: String, exerciseChecks: String, continuous: String? = nil) -> String {
        """
        id: checks-lab
        title: Checks
        architecture:
          edges:
            - { from: storefront, to: ads, critical: false }
        journeys:
          checkout:
            steps: [ "GET storefront /" ]
            slo: { success_rate: 0.99, p95_ms: 500 }
        status_checks:
        \(checks)
        exercises:
          - id: block-ads
            title: Block ads
            brief: Block it.
            hypothesis: { question: "?", choices: { works: a, degraded: b, broken: c } }
            status_check: { checks: \(exerciseChecks)\(continuous.map { ", continuous: \($0)" } ?? "") }
            attack: { edge: storefront->ads, fault: blackhole }
            expect: { checkout: broken }
        """
    }

    static func folderWithCalendars() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chaoslab-checks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func write(_ name: String, from start: String, to end: String) throws {
            try """
                BEGIN:VCALENDAR
                BEGIN:VEVENT
                DTSTART:\(start)
                DTEND:\(end)
                SUMMARY:Change freeze
                END:VEVENT
                END:VCALENDAR
                """.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("frozen.ics", from: "20200101T000000Z", to: "20990101T000000Z")
        try write("always.ics", from: "20200101T000000Z", to: "20990101T000000Z")
        // The manual clock starts at 2027-01-15 08:00:00 UTC.
        try write("soon.ics", from: "20270115T080002Z", to: "20270115T090000Z")
        return folder
    }

    /// The runner lab with a `freeze` check on `calendar`: `guarded` checks it before its attack,
    /// `polled` during its 20 s attack, and the scenario `drill` between `plain` and `polled`.
    static func runnerLab(calendar: String, continuous: Bool = false) throws -> Lab {
        let folder = try folderWithCalendars()
        var lab = TestLab.lab
        lab.statusChecks = ["freeze": StatusCheckDefinition(name: "freeze", criteria: [
            .calendar(CalendarCriterion(file: folder.appendingPathComponent(calendar).path, others: .ignore)),
        ])]
        var guarded = TestLab.exercise("guarded")
        guarded.statusCheck.checks = ["freeze"]
        var polled = TestLab.exercise("polled", attack: .seconds(20))
        polled.statusCheck.continuous = ContinuousCheck(checks: ["freeze"], interval: .milliseconds(250))
        lab.exercises += [guarded, polled, TestLab.exercise("plain")]
        lab.scenarios = [Scenario(id: "drill", title: "Drill", sequence: [.attack("plain"), .check("freeze"), .attack("polled")])]
        return lab
    }

    static func runner(_ lab: Lab, _ sandbox: FakeSandbox) -> ExperimentRunner {
        ExperimentRunner(lab: lab, faults: sandbox, config: sandbox, client: sandbox, clock: sandbox.clock, now: { sandbox.clock.date })
    }
}

@Suite("Status checks in a Chaos Toolkit export")
struct StatusCheckExportTests {
    @Test("an exercise's http checks become steady-state probes; what CTK cannot check is named, not dropped")
    func httpChecksBecomeProbes() throws {
        let lab = try #require(LabLoader.load(directory: Fixtures.shippedLabsDirectory).lab("take-the-temperature"))
        let services = Dictionary(uniqueKeysWithValues: SystemDescription.demoShop.topology.services.map { ($0, "http://127.0.0.1:1") })
        let experiment = try ChaosToolkitExport.experiment(lab: lab, exerciseID: "block-ads-behind-checks",
                                                           labServer: "http://127.0.0.1:8474", services: services)
        let first = try #require(experiment.steadyStateHypothesis.probes.first)
        #expect(first.name == "status check site-up: GET {storefront}/healthz")
        #expect(first.provider.url == "${storefront_url}/healthz")
        #expect(first.tolerance?.range == [200, 200])
        #expect(first.provider.timeout == 0.5, "max_ms 500 bounds the probe")
        #expect(experiment.steadyStateHypothesis.probes.count == 4, "the check, then the journey's three steps")
        for skipped in ["no-incident: alerts criterion", "not-frozen: calendar criterion", "customers-served: prometheus criterion"] {
            #expect(experiment.description.contains(skipped), "\(experiment.description)")
        }
    }
}
