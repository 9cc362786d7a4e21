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
    /// True when the lab expects the status check to refuse the attack (`expect: refused`).
    public var expectsRefusal: Bool = false
    /// A fault the lab puts in before the status check and takes out after the run: the
    /// weather the learner did not make.
    public var weather: Weather?
    /// An alert watched in Alertmanager while the attack runs: did the monitoring see it?
    public var alert: AlertWatch?
    /// The alert rule file the learner fixes; the exercise is then a fix that verifies it.
    public var rulesFix: RulesFix?
    /// Markdown: what the learner reads after the outcome (the text for the outcome the lab
    /// expects, when `debriefs` has one per outcome).
    public var debrief: String
    /// Markdown per observed outcome (`debrief: { works: ..., broken: ... }`): the debrief follows
    /// what was measured, not what the author expected. Empty with a single `debrief`.
    public var debriefs: [Outcome: String] = [:]
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
    public var kind: ExerciseKind { fix == nil && rulesFix == nil ? .experiment : .fix }

    /// The outcomes a learner may predict: the hypothesis' choices, in the order of `Outcome`
    /// (a journey's outcomes when it has none).
    public var predictions: [Outcome] {
        hypothesis.choices.isEmpty ? Outcome.predictable : Outcome.allCases.filter { hypothesis.choices[$0] != nil }
    }

    /// What a prediction is compared with: whether the alert fired (an exercise that watches
    /// one), whether the status check refused the attack, or the primary journey's outcome.
    public func observedPrediction(_ result: ExerciseResult) -> Outcome? {
        if result.refusedByStatusCheck { return .refused }
        if let alert {
            guard let seen = result.alert, seen.problem == nil else { return nil }
            return alert.holds(seen) ? .alerted : .silent
        }
        return result.observed[primaryJourney]
    }

    /// The debrief for what was observed: its own text when the lab gives one for that outcome.
    public func debrief(for observed: Outcome?) -> String {
        observed.flatMap { debriefs[$0] } ?? debrief
    }

    /// The prediction the lab itself would make (its self-test's hypothesis).
    public var referenceAnswer: Outcome? {
        if expectsRefusal { return .refused }
        return alert?.expect ?? expect[primaryJourney]
    }

    /// True when the run did what the lab expects: refused, or completed with every journey
    /// (and the watched alert) as expected (lab self-tests; a fix's points).
    public func matchesExpectation(_ result: ExerciseResult) -> Bool {
        if expectsRefusal { return result.refusedByStatusCheck }
        guard result.status == .completed, result.observed == expect else { return false }
        guard let alert else { return true }
        return result.alert.map { alert.holds($0) == (alert.expect == .alerted) } ?? false
    }

    /// The journey a hypothesis is graded against: the status-check journey when the exercise
    /// expects something of it, otherwise the first expected journey by name.
    public var primaryJourney: String {
        expect[statusCheck.journey] != nil ? statusCheck.journey : (expect.keys.sorted().first ?? statusCheck.journey)
    }
}

/// Weather is a fault the lab injects before an exercise's status check, so that the learner
/// meets a system that is already sick: `weather: { inject: { edge: storefront->checkout,
/// fault: reset_peer }, shows_in: no-incident, within: 30s }`. The runner drives the status
/// check's journey and waits (at most `within`) until the named check fails — until the
/// monitoring sees the weather — and then judges the status check.
public struct Weather: Hashable, Sendable {
    public var target: AttackTarget
    public var fault: FaultSpec
    /// The named status check the weather shows in.
    public var showsIn: String
    public var within: Duration

    public init(target: AttackTarget, fault: FaultSpec, showsIn: String, within: Duration = .seconds(30)) {
        self.target = target
        self.fault = fault
        self.showsIn = showsIn
        self.within = within
    }
}

/// AlertWatch names an alert rule whose alert should reach Alertmanager within `within` of the
/// fault going in: `alert: { name: CartSlow, within: 15s, expect: alerted }`.
public struct AlertWatch: Hashable, Sendable {
    public var name: String
    public var within: Duration
    /// `alerted` or `silent`: what the lab expects (its self-test).
    public var expect: Outcome

    public init(name: String, within: Duration, expect: Outcome) {
        self.name = name
        self.within = within
        self.expect = expect
    }

    /// True when the alert fired within the time allowed.
    public func holds(_ seen: AlertObservation) -> Bool {
        guard let after = seen.firedAfterMs else { return false }
        return after <= Double(within.milliseconds)
    }
}

/// RulesFix is the alert rule file a learner edits to fix an alert (`fix_rules: { file:
/// cart-alerts.yml, solution: ../monitoring/solutions/cart-alerts.yml }`). Before each run the
/// lab reloads Prometheus, so the run sees the file as it is; the lab's self-test puts the
/// solution in place of the file in a copy of the monitoring folder.
public struct RulesFix: Hashable, Sendable {
    /// The file's name in the monitoring rules folder.
    public var file: String
    /// The fixed file, resolved against the lab file's folder; nil when the lab ships none.
    public var solution: String?

    public init(file: String, solution: String? = nil) {
        self.file = file
        self.solution = solution
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
