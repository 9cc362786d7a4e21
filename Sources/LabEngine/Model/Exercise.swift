/// Exercise is one experiment of a lab: brief, hypothesis, status check, attack under guardrails,
/// the outcome the lab expects, and a debrief. With a `fix` it verifies a remedy instead.
public struct Exercise: Hashable, Sendable {
    public var id: String
    public var title: String
    /// Markdown.
    public var brief: String
    public var hypothesis: Hypothesis
    public var statusCheck: StatusCheck
    public var attack: Attack
    public var guardrails: Guardrails
    /// Knobs per service, applied before the status check and reset afterwards.
    public var fix: [String: [String: KnobValue]]?
    /// The outcome the lab expects for each journey.
    public var expect: [String: Outcome]
    /// Markdown.
    public var debrief: String
    public var hints: [String]

    public init(id: String, title: String, brief: String = "", hypothesis: Hypothesis,
                statusCheck: StatusCheck, attack: Attack, guardrails: Guardrails = Guardrails(),
                fix: [String: [String: KnobValue]]? = nil, expect: [String: Outcome],
                debrief: String = "", hints: [String] = []) {
        self.id = id
        self.title = title
        self.brief = brief
        self.hypothesis = hypothesis
        self.statusCheck = statusCheck
        self.attack = attack
        self.guardrails = guardrails
        self.fix = fix
        self.expect = expect
        self.debrief = debrief
        self.hints = hints
    }

    /// `.fix` when the exercise applies a fix, `.experiment` otherwise.
    public var kind: ExerciseKind { fix == nil ? .experiment : .fix }

    /// The journey a hypothesis is graded against: the status-check journey when the exercise
    /// expects something of it, otherwise the first expected journey by name.
    public var primaryJourney: String {
        expect[statusCheck.journey] != nil ? statusCheck.journey : (expect.keys.sorted().first ?? statusCheck.journey)
    }
}

/// ExerciseKind tells an experiment (does the claim hold?) from a fix (does the remedy hold?).
public enum ExerciseKind: String, Codable, Sendable {
    case experiment
    case fix
}

/// Hypothesis is the question a learner answers before the attack, with one choice per outcome.
public struct Hypothesis: Hashable, Sendable {
    public var question: String
    public var choices: [Outcome: String]

    public init(question: String, choices: [Outcome: String]) {
        self.question = question
        self.choices = choices
    }
}

/// StatusCheck is the pre-flight check: is steady state healthy before we break anything?
public struct StatusCheck: Hashable, Sendable {
    public var journey: String
    /// How long to probe (`for:` in the lab file; default 5 s).
    public var window: Duration
    /// Named status checks of the lab (`checks:`) that must also hold before the attack starts;
    /// they are judged first, as they take no time.
    public var checks: [String]
    /// Checks polled while the attack runs (`continuous:`): the first failure halts it.
    public var continuous: ContinuousCheck?

    public init(journey: String, window: Duration = .seconds(5), checks: [String] = [], continuous: ContinuousCheck? = nil) {
        self.journey = journey
        self.window = window
        self.checks = checks
        self.continuous = continuous
    }
}

/// Attack is the fault to inject on one edge or one service, and for how long to observe it.
public struct Attack: Hashable, Sendable {
    public var target: AttackTarget
    public var fault: FaultSpec
    /// Default 20 s.
    public var duration: Duration

    public init(target: AttackTarget, fault: FaultSpec, duration: Duration = .seconds(20)) {
        self.target = target
        self.fault = fault
        self.duration = duration
    }

    public init(edge: EdgeID, fault: FaultSpec, duration: Duration = .seconds(20)) {
        self.init(target: .edge(edge), fault: fault, duration: duration)
    }
}

/// Guardrails bound an attack: a hard time limit and an optional early abort.
public struct Guardrails: Hashable, Sendable {
    /// The attack never lasts longer; also the fault's time to live (default 60 s).
    public var maxDuration: Duration
    public var abortWhen: AbortCondition?

    public init(maxDuration: Duration = .seconds(60), abortWhen: AbortCondition? = nil) {
        self.maxDuration = maxDuration
        self.abortWhen = abortWhen
    }
}

/// AbortCondition halts an attack early when a journey gets too bad.
public struct AbortCondition: Hashable, Sendable {
    public var journey: String
    /// Halt when the journey's success rate falls below this (0...1).
    public var successRateBelow: Double?
    /// Halt when the journey's p95 latency rises above this, in milliseconds.
    public var p95AboveMs: Double?

    public init(journey: String, successRateBelow: Double? = nil, p95AboveMs: Double? = nil) {
        self.journey = journey
        self.successRateBelow = successRateBelow
        self.p95AboveMs = p95AboveMs
    }
}
