import Foundation
@testable import LabEngine

/// A lab built in code for runner tests: short windows, a fast probe, one exercise per behaviour.
enum TestLab {
    static let checkout = Journey(
        name: "checkout",
        steps: [JourneyStep(method: .get, service: "storefront", path: "/"),
                JourneyStep(method: .post, service: "storefront", path: "/api/cart/items"),
                JourneyStep(method: .post, service: "storefront", path: "/api/checkout")],
        slo: SLO(successRate: 0.99, p95Ms: 500))

    static let probe = ProbeSettings(rate: 20, timeout: .milliseconds(300))
    static let ads = EdgeID(from: "storefront", to: "ads")

    static func exercise(_ id: String, statusCheck: Duration = .seconds(1), attack: Duration = .seconds(2),
                         abortBelow: Double? = nil, fix: [String: [String: KnobValue]]? = nil,
                         expect: Outcome = .broken) -> Exercise {
        Exercise(id: id, title: id, hypothesis: Hypothesis(question: "?", choices: [:]),
                 statusCheck: StatusCheck(journey: "checkout", window: statusCheck),
                 attack: Attack(edge: ads, fault: .blackhole, duration: attack),
                 guardrails: Guardrails(maxDuration: .seconds(30),
                                        abortWhen: abortBelow.map { AbortCondition(journey: "checkout", successRateBelow: $0) }),
                 fix: fix, expect: ["checkout": expect])
    }

    static let lab = Lab(
        id: "runner-lab", title: "Runner lab",
        architecture: [ClaimedEdge(edge: ads, critical: false)],
        journeys: ["checkout": checkout], probe: probe,
        exercises: [
            exercise("block-ads"),
            exercise("block-ads-guarded", attack: .seconds(20), abortBelow: 0.5),
            exercise("block-ads-long", statusCheck: .seconds(5), attack: .seconds(20)),
            exercise("fix-ads", fix: ["storefront": ["ads_timeout_ms": .int(50), "ads_fallback": .bool(true)]],
                     expect: .works),
        ],
        scenarios: [Scenario(id: "drill", title: "Drill", steps: ["block-ads", "fix-ads"])])

    /// A runner on the sandbox's manual clock: run it inside `sandbox.clock.run`.
    static func runner(_ sandbox: FakeSandbox, quick: Bool = false) -> ExperimentRunner {
        ExperimentRunner(lab: lab, faults: sandbox, config: sandbox, client: sandbox, quick: quick,
                         clock: sandbox.clock, now: { sandbox.clock.date })
    }
}
