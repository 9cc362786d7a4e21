import Foundation
import Testing
@testable import LabEngine

/// One fixture, named after its defect, and the problem it must produce.
struct DefectCase: Sendable, CustomTestStringConvertible {
    let fixture: String
    let line: Int
    let column: Int
    let message: String
    var testDescription: String { fixture }
}

@Suite("Validating lab files")
struct LabValidatorTests {
    static let defects: [DefectCase] = [
        .init(fixture: "LabWithYAMLSyntaxError", line: 16, column: 4, message: "YAML syntax error"),
        .init(fixture: "LabWithMissingRequiredField", line: 1, column: 1, message: "missing required field 'title'"),
        .init(fixture: "LabWithWrongType", line: 12, column: 16, message: "wrong type for 'probe.rate': expected a number"),
        .init(fixture: "LabWithUnknownEdge", line: 21, column: 21,
              message: "unknown edge 'storefront->payments'; known edges: storefront->ads, storefront->checkout"),
        .init(fixture: "LabWithUnknownService", line: 7, column: 29, message: "unknown service 'payments' in architecture"),
        .init(fixture: "LabWithUnknownServiceInStep", line: 10, column: 34,
              message: "unknown service 'payments' in journey step 'POST payments /api/checkout'"),
        .init(fixture: "LabWithUnknownFault", line: 21, column: 45,
              message: "unknown fault 'meteor'; edge faults: blackhole, refuse, latency, bandwidth"),
        .init(fixture: "LabWithUnknownJourney", line: 20, column: 30, message: "unknown journey 'chekout' in status_check"),
        .init(fixture: "LabWithUnknownJourneyInExpect", line: 23, column: 23, message: "unknown journey 'browse' in expect"),
        .init(fixture: "LabWithUnknownJourneyInAbortWhen", line: 22, column: 61,
              message: "unknown journey 'payment' in abort_when; journeys of this lab: checkout"),
        .init(fixture: "LabWithMissingExpectedOutcome", line: 14, column: 5, message: "missing expected outcome in exercises[0]"),
        .init(fixture: "LabWithInvalidOutcome", line: 23, column: 25,
              message: "invalid outcome 'kaput' for journey 'checkout' in expect; use works, degraded or broken"),
        .init(fixture: "LabWithDuplicateExerciseIDs", line: 24, column: 5,
              message: "duplicate exercise id 'block-ads' (first at line 14)"),
        .init(fixture: "LabWithDuplicateEdges", line: 8, column: 7, message: "duplicate edge 'storefront->ads' (first at line 6)"),
        .init(fixture: "LabWithGarbageDuration", line: 20, column: 45, message: "'soon' is not a duration"),
        .init(fixture: "LabWithNegativeDuration", line: 22, column: 33, message: "duration '-60s' is negative"),
        .init(fixture: "LabWithZeroAttackDuration", line: 21, column: 66, message: "duration '0s' is zero"),
        .init(fixture: "LabWithAttackLongerThanGuardrail", line: 21, column: 13,
              message: "attack duration 90s is longer than guardrails.max_duration 60s"),
        .init(fixture: "LabWithLatencyFaultWithoutLatencyMs", line: 21, column: 45, message: "latency needs the attribute 'latency' (ms"),
        .init(fixture: "LabWithBadJourneyStep", line: 10, column: 14, message: "bad journey step 'storefront GET'"),
        .init(fixture: "LabWithInvalidHypothesisChoice", line: 19, column: 25,
              message: "hypothesis choice 'maybe' is not an outcome"),
    ]

    @Test("a fixture with one defect reports exactly that defect, at its node", arguments: defects)
    func reportsTheDefect(_ defect: DefectCase) throws {
        let problems = try Fixtures.problems(defect.fixture)

        #expect(problems.count == 1, "\(problems)")
        let problem = try #require(problems.first)
        #expect(problem.message.contains(defect.message), "\(problem)")
        #expect(problem.line == defect.line && problem.column == defect.column, "\(problem)")
        #expect(problem.file == "\(defect.fixture).yaml")
    }

    @Test func theValidFixtureHasNoProblems() throws {
        #expect(try Fixtures.problems("ValidLab") == [])
        let lab = try Fixtures.validLab()
        #expect(lab.id == "valid-lab")
        #expect(lab.exercises.first?.attack == Attack(edge: EdgeID(from: "storefront", to: "ads"), fault: .blackhole))
        #expect(lab.journeys["checkout"]?.failureThreshold == 0.5)
    }

    @Test func everyProblemIsReportedAtOnceInFileOrder() throws {
        let problems = try Fixtures.problems("LabWithManyProblems")

        #expect(problems.map(\.line) == [1, 19, 19, 20, 22])
        #expect(problems[0].message.contains("missing required field 'title'"))
        #expect(problems[1].message.contains("unknown journey 'chekout'"))
        #expect(problems[2].message.contains("'soon' is not a duration"))
        #expect(problems[3].message.contains("unknown edge 'storefront->payments'"))
        #expect(problems[4].message.contains("invalid outcome 'kaput'"))
    }

    @Test func aProblemPrintsAsFileLineColumnMessage() {
        let problem = LabProblem(file: "lab.yaml", line: 3, column: 7, message: "unknown edge 'a->b'")
        #expect(problem.description == "lab.yaml:3:7: unknown edge 'a->b'")
    }

    @Test func defaultsFillWhatALabLeavesOut() throws {
        let yaml = try Fixtures.text("ValidLab")
            .replacingOccurrences(of: "    status_check: { journey: checkout, for: 5s }\n", with: "")
            .replacingOccurrences(of: ", duration: 20s", with: "")
            .replacingOccurrences(of: "    guardrails: { max_duration: 60s }\n", with: "")
            .replacingOccurrences(of: "probe: { rate: 5, timeout: 2s }\n", with: "")
        let lab = try LabValidator.validate(yaml: yaml, file: "defaults.yaml").get()
        let exercise = try #require(lab.exercises.first)

        #expect(exercise.statusCheck == StatusCheck(journey: "checkout", window: .seconds(5)))
        #expect(exercise.attack.duration == .seconds(20))
        #expect(exercise.guardrails.maxDuration == .seconds(60))
        #expect(lab.probe == ProbeSettings(rate: 5, timeout: .seconds(2)))
    }

    @Test func aTypoInAFieldNameIsReported() throws {
        let yaml = try Fixtures.text("ValidLab").replacingOccurrences(of: "summary:", with: "sumary:")
        let problems = LabValidator.validate(yaml: yaml, file: "typo.yaml").failureProblems

        #expect(problems.map(\.message) == [
            "unknown field 'sumary' in the lab; known fields: id, system, title, summary, estimated_minutes, objectives, "
                + "architecture, journeys, probe, exercises, diagram, scenarios, status_checks",
        ])
    }

    @Test func aLatencyFaultKeepsItsMilliseconds() throws {
        let yaml = try Fixtures.text("ValidLab")
            .replacingOccurrences(of: "fault: blackhole", with: "fault: latency, attributes: { latency: 800, jitter: 100 }")
        let lab = try LabValidator.validate(yaml: yaml, file: "latency.yaml").get()
        #expect(lab.exercises.first?.attack.fault == .latency(ms: 800, jitterMs: 100))
    }

    @Test(arguments: [
        ("service: checkout, fault: kill, attributes: { restart_after_ms: 5000 }", FaultSpec.kill(restartAfterMs: 5000)),
        ("service: ads, fault: empty", FaultSpec(type: "empty")),
        ("edge: storefront->ads, fault: bandwidth, attributes: { rate: 10 }, stream: upstream",
         FaultSpec(type: "bandwidth", attributes: ["rate": 10], stream: "upstream")),
        ("service: cache, fault: errors, attributes: { rate: 0.5 }", FaultSpec(type: "errors", attributes: ["rate": 0.5])),
    ])
    func everyFaultOfTheCatalogueReads(attack: String, fault: FaultSpec) throws {
        let yaml = try Fixtures.text("ValidLab").replacingOccurrences(of: "edge: storefront->ads, fault: blackhole", with: attack)
        let lab = try LabValidator.validate(yaml: yaml, file: "faults.yaml").get()
        #expect(lab.exercises.first?.attack.fault == fault)
    }

    @Test(arguments: [
        ("service: checkout, fault: blackhole", "blackhole is a network fault: give it an edge (like `edge: storefront->checkout`)"),
        ("edge: storefront->ads, fault: kill", "kill is a service fault: give it a service (like `service: ads`)"),
        ("service: checkout, fault: empty", "empty is a fault of ads only, not of checkout"),
        ("edge: storefront->ads, service: ads, fault: refuse", "an attack names either an edge or a service, not both"),
        ("service: payments, fault: kill", "unknown service 'payments'; services: storefront, checkout, cache, ads"),
        ("edge: storefront->ads, fault: latency, attributes: { latency: 800, lag: 3 }", "latency has no attribute 'lag'; its attributes: latency, jitter"),
        ("edge: storefront->ads, fault: latency, attributes: { latency: -5 }", "latency: 'latency' must be a whole number from 0 to 3600000 ms, got -5"),
        ("service: ads, fault: errors, attributes: { rate: 2 }", "errors: 'rate' must be a number from 0.001 to 1 share, got 2"),
        ("edge: storefront->ads, fault: blackhole, stream: upstream", "stream only applies to toxics"),
        ("edge: storefront->ads, fault: latency, attributes: { latency: 5 }, stream: sideways", "stream must be upstream or downstream"),
    ])
    func aFaultThatDoesNotFitItsTargetIsReported(attack: String, message: String) throws {
        let yaml = try Fixtures.text("ValidLab").replacingOccurrences(of: "edge: storefront->ads, fault: blackhole", with: attack)
        let problems = LabValidator.validate(yaml: yaml, file: "faults.yaml").failureProblems
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.message.contains(message) == true, "\(problems)")
    }

    @Test(arguments: [
        ("fix: { storefront: { ads_timeout: 300 } }", "storefront has no knob 'ads_timeout'; its knobs: ads_fallback, ads_timeout_ms"),
        ("fix: { storefront: { ads_fallback: 1 } }", "storefront.ads_fallback takes true or false, got 1"),
        ("fix: { checkout: { cache_timeout_ms: -5 } }", "checkout.cache_timeout_ms takes a whole number, 0 or more, got -5"),
        ("fix: { ads: { ads_timeout_ms: 5 } }", "ads has no knob 'ads_timeout_ms'; its knobs: none"),
    ])
    func aFixNamesKnobsTheServiceHas(fix: String, message: String) throws {
        let yaml = try Fixtures.text("ValidLab").replacingOccurrences(of: "    expect: { checkout: broken }", with: "    \(fix)\n    expect: { checkout: broken }")
        let problems = LabValidator.validate(yaml: yaml, file: "fix.yaml").failureProblems
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.message.contains(message) == true, "\(problems)")
    }

    @Test func anEmptyFileSaysWhatALabNeeds() {
        let problems = LabValidator.validate(yaml: "", file: "empty.yaml").failureProblems
        #expect(problems.first?.message.contains("the file is empty") == true)
    }
}

extension Result where Failure == LabLoadError {
    var failureProblems: [LabProblem] {
        if case .failure(let error) = self { return error.problems }
        return []
    }
}
