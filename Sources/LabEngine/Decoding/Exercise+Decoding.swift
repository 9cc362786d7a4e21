import Yams

// Decoding of one exercise: its own fields, its references to the lab's journeys, and the
// agreement between attack and guardrails.

extension Exercise: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case id, title, brief, hypothesis, statusCheck = "status_check", attack, guardrails, fix, expect
        case debrief, hints, weather, alert, rulesFix = "fix_rules"
    }

    public init(from decoder: any Decoder) throws {
        let log = decoder.problemLog
        let before = log.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let id: String? = c.required(.id, in: decoder, example: "block-ads")
        if let id, !isKebabCase(id) {
            log.report("exercise id '\(id)' is not kebab-case; use lowercase words joined by '-', like block-ads",
                       at: c.mark(of: .id, in: decoder))
        }
        let title: String? = c.required(.title, in: decoder, example: "Block the ad service")
        let brief: String? = c.required(.brief, in: decoder, example: "| Markdown")
        let hypothesis: Hypothesis? = c.required(.hypothesis, in: decoder, example: "{ question: ..., choices: ... }")
        let statusCheck: StatusCheckSection? = c.optional(.statusCheck, in: decoder)
        let attack: Attack? = c.required(.attack, in: decoder, example: "{ edge: storefront->ads, fault: blackhole }")
        let guardrails: Guardrails = c.optional(.guardrails, in: decoder) ?? Guardrails()
        let fix = Self.decodeFix(c, in: decoder)
        let scalar = try? c.decode(String.self, forKey: .expect)
        let refusal = scalar == Outcome.refused.rawValue
        if let scalar, !refusal {
            log.report("expect is a mapping of journeys to outcomes, like `expect: { checkout: \(scalar) }`, or `expect: refused`; "
                       + "got '\(scalar)'", at: c.mark(of: .expect, in: decoder))
        }
        let expect = refusal ? [:] : scalar != nil ? nil : Self.decodeExpect(c, in: decoder)
        let weather: Weather? = c.optional(.weather, in: decoder)
        let alert: AlertWatch? = c.optional(.alert, in: decoder)
        let rulesFix: RulesFix? = c.optional(.rulesFix, in: decoder)
        if let hypothesis {
            Self.checkChoices(hypothesis, alert: alert, refusal: refusal || weather != nil, in: decoder,
                              at: c.mark(of: .hypothesis, in: decoder))
        }
        if let expect {
            let answers = refusal ? [Outcome.refused] : alert.map { [$0.expect] } ?? Array(Set(expect.values))
            Self.checkAnswerNotGiven(answers, brief: brief, question: hypothesis?.question, in: decoder,
                                     briefMark: c.mark(of: .brief, in: decoder), questionMark: c.mark(of: .hypothesis, in: decoder))
        }
        if rulesFix != nil, alert == nil {
            log.report("fix_rules needs an alert to verify; add `alert: { name: ..., within: 15s, expect: alerted }`",
                       at: c.mark(of: .rulesFix, in: decoder))
        }
        if let attack, attack.duration > guardrails.maxDuration {
            log.report("attack duration \(DurationParser.format(attack.duration)) is longer than guardrails.max_duration "
                       + "\(DurationParser.format(guardrails.maxDuration)); shorten the attack or raise max_duration",
                       at: c.mark(of: .attack, in: decoder))
        }
        guard log.entries.count == before, let id, let title, let brief, let hypothesis, let attack, let expect
        else { throw AlreadyReported() }
        let debriefs = Self.decodeDebriefs(c, in: decoder)
        Self.checkPlaceholders(brief: brief, hypothesis: hypothesis, debriefs: [debriefs.single].compactMap { $0 } + debriefs.byOutcome.values,
                               fix: fix, journeys: Set(expect.keys), in: decoder,
                               marks: (c.mark(of: .brief, in: decoder), c.mark(of: .hypothesis, in: decoder), c.mark(of: .debrief, in: decoder)))
        let fallbackJourney = expect.keys.sorted().first ?? ""
        if refusal, statusCheck?.journey == nil {
            log.report("an exercise that expects to be refused names its status check's journey: "
                       + "`status_check: { journey: checkout }`", at: c.mark(of: .expect, in: decoder))
            throw AlreadyReported()
        }
        self.init(id: id, title: title, brief: brief, hypothesis: hypothesis,
                  statusCheck: StatusCheck(journey: statusCheck?.journey ?? fallbackJourney,
                                           window: statusCheck?.window ?? .seconds(5), checks: statusCheck?.checks ?? [],
                                           continuous: statusCheck?.continuous),
                  attack: attack, guardrails: guardrails, fix: fix, expect: expect,
                  debrief: "", hints: c.optional(.hints, in: decoder) ?? [])
        self.expectsRefusal = refusal
        self.weather = weather
        self.alert = alert
        self.rulesFix = rulesFix
        self.debriefs = debriefs.byOutcome
        self.debrief = debriefs.single ?? referenceAnswer.flatMap { debriefs.byOutcome[$0] }
            ?? Outcome.allCases.lazy.compactMap { debriefs.byOutcome[$0] }.first ?? ""
    }

    /// `debrief: |` one text, or `debrief: { works: ..., broken: ... }` one per observed outcome.
    private static func decodeDebriefs(_ c: KeyedDecodingContainer<Keys>, in decoder: any Decoder)
        -> (single: String?, byOutcome: [Outcome: String]) {
        guard c.contains(.debrief) else { return (nil, [:]) }
        if let text = try? c.decode(String.self, forKey: .debrief) { return (text, [:]) }
        var byOutcome: [Outcome: String] = [:]
        for entry in c.entries(.debrief, of: String.self, in: decoder) ?? [] {
            guard let outcome = Outcome(rawValue: entry.key), outcome != .inconclusive else {
                decoder.problemLog.report("debrief for '\(entry.key)': a debrief is one text, or one per outcome "
                                          + "(works, degraded, broken, refused, alerted, silent)", at: entry.mark)
                continue
            }
            byOutcome[outcome] = entry.value
        }
        return (nil, byOutcome)
    }

    /// `{fix.SERVICE.KNOB}` and `{measured.JOURNEY.FIELD}` (see `LessonText`) where each can be
    /// filled in: settings in a fix exercise's question, choices and debriefs; measurements in
    /// debriefs only; none in the brief.
    private static func checkPlaceholders(brief: String, hypothesis: Hypothesis, debriefs: [String],
                                          fix: [String: [String: KnobValue]]?, journeys: Set<String>, in decoder: any Decoder,
                                          marks: (brief: Mark?, hypothesis: Mark?, debrief: Mark?)) {
        let log = decoder.problemLog
        if let first = LessonText.placeholders(in: brief).first {
            log.report("\(first.text) in the brief: the brief is read before any setting is chosen or measured; "
                       + "put it in the question, a choice or the debrief", at: marks.brief)
        }
        let asked = [hypothesis.question] + hypothesis.choices.sorted { $0.key < $1.key }.map(\.value)
        for problem in Set(asked.flatMap { LessonText.problems(in: $0, exercise: fix, journeys: journeys, isDebrief: false) }).sorted() {
            log.report(problem, at: marks.hypothesis)
        }
        for problem in Set(debriefs.flatMap { LessonText.problems(in: $0, exercise: fix, journeys: journeys, isDebrief: true) }).sorted() {
            log.report(problem, at: marks.debrief)
        }
    }

    /// What the learner reads before predicting states the situation and the claim, never the
    /// answer: a brief or question that names the expected outcome's word gives it away.
    private static func checkAnswerNotGiven(_ answers: [Outcome], brief: String?, question: String?,
                                            in decoder: any Decoder, briefMark: Mark?, questionMark: Mark?) {
        for answer in answers.sorted() {
            let word = try! Regex("(?i)\\b\(answer.rawValue)\\b")
            for (text, what, mark) in [(brief, "brief", briefMark), (question, "hypothesis question", questionMark)] {
                guard let text, text.contains(word) else { continue }
                decoder.problemLog.report("the \(what) says '\(answer.rawValue)', the outcome this exercise expects, before the "
                                          + "learner predicts it; state the situation and the claim, and keep the answer for the debrief",
                                          at: mark)
            }
        }
    }

    /// The choices must fit the question: alerted and silent for an exercise that watches an
    /// alert (and only there), refused only where the status check may refuse.
    private static func checkChoices(_ hypothesis: Hypothesis, alert: AlertWatch?, refusal: Bool,
                                     in decoder: any Decoder, at mark: Mark?) {
        let keys = Set(hypothesis.choices.keys)
        if alert != nil {
            if !keys.isSubset(of: Set(Outcome.alertOutcomes)) || keys.count < 2 {
                decoder.problemLog.report("this exercise watches an alert: its hypothesis choices are alerted and silent",
                                          at: mark)
            }
        } else if !keys.isDisjoint(with: Outcome.alertOutcomes) {
            decoder.problemLog.report("hypothesis choices alerted and silent need an `alert:` to watch", at: mark)
        }
        if keys.contains(.refused), !refusal {
            decoder.problemLog.report("hypothesis choice refused needs weather or `expect: refused`: "
                                      + "nothing here makes the status check refuse", at: mark)
        }
    }

    private static func decodeExpect(_ c: KeyedDecodingContainer<Keys>, in decoder: any Decoder) -> [String: Outcome]? {
        let entries = c.entries(.expect, of: String.self, in: decoder)
        if entries == nil, c.contains(.expect) { return nil }  // wrong type, already reported
        guard let entries, !entries.isEmpty else {
            decoder.problemLog.report("missing expected outcome in \(decoder.place): add `expect: { checkout: broken }` "
                                      + "naming each probed journey's outcome (works, degraded or broken)",
                                      at: c.contains(.expect) ? c.mark(of: .expect, in: decoder) : decoder.mark)
            return nil
        }
        var expect: [String: Outcome] = [:]
        for entry in entries {
            checkJourney(entry.key, declaredIn: decoder, what: "expect", at: entry.mark)
            guard let text = entry.value else { continue }
            if let outcome = Outcome(rawValue: text), Outcome.predictable.contains(outcome) {
                expect[entry.key] = outcome
            } else {
                decoder.problemLog.report("invalid outcome '\(text)' for journey '\(entry.key)' in expect; "
                                          + "use works, degraded or broken", at: entry.mark)
            }
        }
        return expect.count == entries.count ? expect : nil
    }

    private static func decodeFix(_ c: KeyedDecodingContainer<Keys>, in decoder: any Decoder) -> [String: [String: KnobValue]]? {
        guard let entries = c.entries(.fix, of: [String: KnobValue].self, in: decoder) else { return nil }
        if entries.isEmpty {
            decoder.problemLog.report("fix is empty; name the knobs to set per service, like "
                                      + "`fix: { storefront: { ads_timeout_ms: 300 } }`, or remove it",
                                      at: c.mark(of: .fix, in: decoder))
        }
        var fix: [String: [String: KnobValue]] = [:]
        let topology = decoder.problemLog.topology
        for entry in entries {
            if let topology, !topology.services.contains(entry.key) {
                decoder.problemLog.report("unknown service '\(entry.key)' in fix; known services: "
                                          + topology.servicesList, at: entry.mark)
            } else if let topology, let settings = entry.value {
                checkKnobs(settings, of: entry.key, known: topology.knobs[entry.key] ?? [:], at: entry.mark, in: decoder)
            }
            fix[entry.key] = entry.value
        }
        return fix
    }
}

/// Reports knobs the service does not have, and values of the wrong kind.
private func checkKnobs(_ settings: [String: KnobValue], of service: String, known: [String: SystemTopology.KnobKind],
                        at mark: Mark?, in decoder: any Decoder) {
    for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
        guard let kind = known[name] else {
            decoder.problemLog.report("\(service) has no knob '\(name)'; its knobs: "
                                      + (known.isEmpty ? "none" : known.keys.sorted().joined(separator: ", ")), at: mark)
            continue
        }
        if !kind.accepts(value) {
            decoder.problemLog.report("\(service).\(name) takes \(kind == .flag ? "true or false" : "a whole number, 0 or more"), got \(value)",
                                      at: mark)
        }
    }
}

/// Reports a reference to a journey the lab does not declare.
func checkJourney(_ name: String, declaredIn decoder: any Decoder, what: String, at mark: Mark?) {
    let declared = decoder.problemLog.declaredJourneys
    guard !declared.isEmpty, !declared.contains(name) else { return }
    decoder.problemLog.report("unknown journey '\(name)' in \(what); journeys of this lab: "
                              + declared.sorted().joined(separator: ", "), at: mark)
}
