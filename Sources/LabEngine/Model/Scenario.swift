/// Scenario is a game day in the lab format: several of the lab's exercises run one after
/// another, each attack behind its own status check, and the scenario stops at the first
/// status check that fails — the system has not recovered, so the next attack would teach
/// nothing and hurt more.
///
/// ```yaml
/// scenarios:
///   - id: sale-day-drill
///     title: The sale-day drill
///     steps: [ slow-cart-cache, timeout-and-fallback ]
/// ```
public struct Scenario: Hashable, Sendable {
    /// Kebab-case, unique among the lab's scenarios.
    public var id: String
    public var title: String
    /// Exercise ids of this lab, in the order they run.
    public var steps: [String]

    public init(id: String, title: String, steps: [String]) {
        self.id = id
        self.title = title
        self.steps = steps
    }
}

/// What a scenario did: the result of every step it ran, and where and why it stopped early.
public struct ScenarioResult: Hashable, Sendable, Codable {
    public var scenarioID: String
    public var steps: [ExerciseResult]
    /// The step it stopped at (its status check failed, or it could not run); nil when every step ran.
    public var stoppedAt: String?
    public var reason: String?

    /// Every step ran to its end.
    public var completed: Bool { stoppedAt == nil }

    enum CodingKeys: String, CodingKey {
        case scenarioID = "scenario_id", steps, stoppedAt = "stopped_at", reason
    }
}
