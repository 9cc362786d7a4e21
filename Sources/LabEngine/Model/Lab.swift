/// Lab is one lab file: a claimed architecture, the user journeys to probe, and the exercises
/// that test the claims. Build it with `LabLoader`, which validates everything first.
public struct Lab: Sendable, Equatable {
    /// Kebab-case, unique among the labs: "is-ads-optional".
    public var id: String
    /// The system the lab was written for (`system:`, "shop" when absent): a lab server running
    /// another system refuses it.
    public var system: String
    public var title: String
    /// One line for the lab list.
    public var summary: String
    public var estimatedMinutes: Int?
    public var objectives: [String]
    /// The diagram the team believes in.
    public var architecture: [ClaimedEdge]
    /// Journeys by name ("checkout", "browse").
    public var journeys: [String: Journey]
    public var probe: ProbeSettings
    public var exercises: [Exercise]
    /// The closing question: which edges are critical after all?
    public var diagramQuestion: String?
    /// Game-day sequences of this lab's exercises.
    public var scenarios: [Scenario]
    /// Named status checks (`status_checks:`), by name: what must hold before and during attacks.
    public var statusChecks: [String: StatusCheckDefinition]

    public init(id: String, system: String = "shop", title: String, summary: String = "", estimatedMinutes: Int? = nil,
                objectives: [String] = [], architecture: [ClaimedEdge], journeys: [String: Journey],
                probe: ProbeSettings = ProbeSettings(), exercises: [Exercise], diagramQuestion: String? = nil,
                scenarios: [Scenario] = [], statusChecks: [String: StatusCheckDefinition] = [:]) {
        self.id = id
        self.system = system
        self.title = title
        self.summary = summary
        self.estimatedMinutes = estimatedMinutes
        self.objectives = objectives
        self.architecture = architecture
        self.journeys = journeys
        self.probe = probe
        self.exercises = exercises
        self.diagramQuestion = diagramQuestion
        self.scenarios = scenarios
        self.statusChecks = statusChecks
    }

    /// The scenario with this id, if the lab has one.
    public func scenario(_ id: String) -> Scenario? {
        scenarios.first { $0.id == id }
    }

    /// True when a status check or an exercise of the lab needs Prometheus or Alertmanager.
    public var needsMonitoring: Bool {
        statusChecks.values.contains(where: \.needsMonitoring) || exercises.contains { $0.alert != nil }
    }

    /// The edges of the diagram that a fault on `target` cuts or slows: the edge itself, or every
    /// edge into the service.
    public func edges(cutBy target: AttackTarget) -> [EdgeID] {
        target.edges(among: architecture.map(\.edge))
    }

    /// The exercise with this id, if the lab has one.
    public func exercise(_ id: String) -> Exercise? {
        exercises.first { $0.id == id }
    }
}

/// ClaimedEdge is one edge of the claimed diagram and whether the team believes it critical.
public struct ClaimedEdge: Hashable, Sendable, Codable {
    public var edge: EdgeID
    public var critical: Bool

    public init(edge: EdgeID, critical: Bool) {
        self.edge = edge
        self.critical = critical
    }
}

/// Journey is a user-facing path through the shop, probed step by step, with its SLO.
public struct Journey: Hashable, Sendable {
    public var name: String
    public var steps: [JourneyStep]
    public var slo: SLO
    /// A success rate below this is `broken` (default 0.5).
    public var failureThreshold: Double

    public init(name: String, steps: [JourneyStep], slo: SLO, failureThreshold: Double = 0.5) {
        self.name = name
        self.steps = steps
        self.slo = slo
        self.failureThreshold = failureThreshold
    }
}

/// SLO is what "works" means for a journey.
public struct SLO: Hashable, Sendable, Codable {
    /// Share of iterations that must succeed, 0...1.
    public var successRate: Double
    /// The 95th percentile of iteration latency must not exceed this, in milliseconds.
    public var p95Ms: Double

    public init(successRate: Double, p95Ms: Double) {
        self.successRate = successRate
        self.p95Ms = p95Ms
    }

    private enum CodingKeys: String, CodingKey {
        case successRate = "success_rate", p95Ms = "p95_ms"
    }
}

/// ProbeSettings say how hard the journey probe drives a journey.
public struct ProbeSettings: Hashable, Sendable {
    /// Journey iterations started per second.
    public var rate: Double
    /// Time allowed for one whole iteration.
    public var timeout: Duration

    public init(rate: Double = 5, timeout: Duration = .seconds(2)) {
        self.rate = rate
        self.timeout = timeout
    }
}
