/// Scenario is a game day in the lab format: several of the lab's exercises run one after
/// another, each attack behind its own status check, and the scenario stops at the first
/// status check that fails — the system has not recovered, so the next attack would teach
/// nothing and hurt more.
///
/// ```yaml
/// scenarios:
///   - id: sale-day-drill
///     title: The sale-day drill
///     steps: [ slow-cart-cache, { check: checkout-slo }, timeout-and-fallback ]
/// ```
///
/// A step is an exercise id (an attack behind its own status check) or `{ check: NAME }`, one of
/// the lab's named status checks judged between attacks: when it does not pass, the scenario
/// stops there.
public struct Scenario: Hashable, Sendable {
    /// Kebab-case, unique among the lab's scenarios.
    public var id: String
    public var title: String
    /// The steps in the order they run.
    public var sequence: [ScenarioStep]

    public init(id: String, title: String, sequence: [ScenarioStep]) {
        self.id = id
        self.title = title
        self.sequence = sequence
    }

    /// A scenario of attacks only.
    public init(id: String, title: String, steps: [String]) {
        self.init(id: id, title: title, sequence: steps.map(ScenarioStep.attack))
    }

    /// The exercise ids of its attacks, in order.
    public var steps: [String] {
        sequence.compactMap { if case .attack(let id) = $0 { id } else { nil } }
    }
}

/// ScenarioStep is one step of a scenario: an exercise's attack, or a named status check.
public enum ScenarioStep: Hashable, Sendable {
    case attack(String)
    case check(String)
}

/// What a scenario did: the result of every step it ran, and where and why it stopped early.
public struct ScenarioResult: Hashable, Sendable, Codable {
    public var scenarioID: String
    public var steps: [ExerciseResult]
    /// The verdicts of the scenario's check steps, in order.
    public var checks: [CheckVerdict] = []
    /// The step it stopped at (its status check failed, or it could not run); nil when every step ran.
    public var stoppedAt: String?
    public var reason: String?

    /// Every step ran to its end.
    public var completed: Bool { stoppedAt == nil }

    enum CodingKeys: String, CodingKey {
        case scenarioID = "scenario_id", steps, checks, stoppedAt = "stopped_at", reason
    }

    public init(scenarioID: String, steps: [ExerciseResult], checks: [CheckVerdict] = [], stoppedAt: String?, reason: String?) {
        self.scenarioID = scenarioID
        self.steps = steps
        self.checks = checks
        self.stoppedAt = stoppedAt
        self.reason = reason
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(scenarioID: try c.decode(String.self, forKey: .scenarioID), steps: try c.decode([ExerciseResult].self, forKey: .steps),
                  checks: try c.decodeIfPresent([CheckVerdict].self, forKey: .checks) ?? [],
                  stoppedAt: try c.decodeIfPresent(String.self, forKey: .stoppedAt), reason: try c.decodeIfPresent(String.self, forKey: .reason))
    }
}
