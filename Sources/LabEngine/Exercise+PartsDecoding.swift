import Yams

// Decoding of an exercise's hypothesis, status check, attack and guardrails.

extension Hypothesis: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case question, choices }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let question: String? = c.required(.question, in: decoder, example: "What happens to checkout?")
        let entries = c.entries(.choices, of: String.self, in: decoder)
        if !c.contains(.choices) {
            decoder.problemLog.report("missing required field 'choices' in \(decoder.place); add "
                                      + "`choices: { works: ..., degraded: ..., broken: ... }`", at: decoder.mark)
        }
        var choices: [Outcome: String] = [:]
        for entry in entries ?? [] {
            if let outcome = Outcome(rawValue: entry.key), Outcome.predictable.contains(outcome) {
                choices[outcome] = entry.value
            } else {
                decoder.problemLog.report("hypothesis choice '\(entry.key)' is not an outcome; "
                                          + "the keys of choices must be works, degraded or broken", at: entry.mark)
            }
        }
        if entries?.isEmpty == true {
            decoder.problemLog.report("hypothesis has no choices; give works, degraded and broken a sentence each",
                                      at: c.mark(of: .choices, in: decoder))
        }
        guard decoder.problemLog.entries.count == before, let question else { throw AlreadyReported() }
        self.init(question: question, choices: choices)
    }
}

/// `status_check: { journey: checkout, for: 5s }`; the journey defaults to the expected one.
struct StatusCheckSection: Decodable {
    let journey: String?
    let window: Duration

    private enum Keys: String, CodingKey, CaseIterable { case journey, window = "for" }

    init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        journey = c.optional(.journey, in: decoder)
        if let journey { checkJourney(journey, declaredIn: decoder, what: "status_check", at: c.mark(of: .journey, in: decoder)) }
        let window = c.duration(.window, fallback: .seconds(5), in: decoder)
        guard decoder.problemLog.entries.count == before, let window else { throw AlreadyReported() }
        self.window = window
    }
}

extension Attack: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case edge, fault, duration, latencyMs = "latency_ms", jitterMs = "jitter_ms"
    }

    public init(from decoder: any Decoder) throws {
        let log = decoder.problemLog
        let before = log.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let edgeText: String? = c.required(.edge, in: decoder, example: "storefront->ads")
        let edge = edgeText.flatMap(EdgeID.init(key:))
        if let edgeText, edge.map({ !SandboxTopology.edges.contains($0) }) ?? true {
            log.report("unknown edge '\(edgeText)'; known edges: \(SandboxTopology.edgesList)", at: c.mark(of: .edge, in: decoder))
        }
        let faultName: String? = c.required(.fault, in: decoder, example: "blackhole")
        let latency: Int? = c.optional(.latencyMs, in: decoder)
        let jitter: Int? = c.optional(.jitterMs, in: decoder)
        var fault: FaultSpec?
        switch faultName {
        case "blackhole": fault = .blackhole
        case "refuse": fault = .refuse
        case "latency":
            if let latency, latency > 0, (jitter ?? 0) >= 0 {
                fault = .latency(ms: latency, jitterMs: jitter ?? 0)
            } else if latency == nil, !c.contains(.latencyMs) {
                log.report("fault latency needs latency_ms; add `latency_ms: 800` (and optionally `jitter_ms: 100`)",
                           at: c.mark(of: .fault, in: decoder))
            } else if latency != nil {
                log.report("latency_ms and jitter_ms must be positive whole milliseconds, like latency_ms: 800",
                           at: c.mark(of: .latencyMs, in: decoder))
            }
        case let name?:
            log.report("unknown fault '\(name)'; known faults: \(FaultSpec.names.joined(separator: ", "))",
                       at: c.mark(of: .fault, in: decoder))
        case nil: break
        }
        if faultName != "latency", c.contains(.latencyMs) || c.contains(.jitterMs), faultName.map(FaultSpec.names.contains) == true {
            log.report("latency_ms and jitter_ms only apply to `fault: latency`; remove them or change the fault",
                       at: c.mark(of: c.contains(.latencyMs) ? .latencyMs : .jitterMs, in: decoder))
        }
        let duration = c.duration(.duration, fallback: .seconds(20), in: decoder)
        guard log.entries.count == before, let edge, let fault, let duration else { throw AlreadyReported() }
        self.init(edge: edge, fault: fault, duration: duration)
    }
}

extension Guardrails: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case maxDuration = "max_duration", abortWhen = "abort_when" }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let maxDuration = c.duration(.maxDuration, fallback: .seconds(60), in: decoder)
        let abortWhen: AbortCondition? = c.optional(.abortWhen, in: decoder)
        guard decoder.problemLog.entries.count == before, let maxDuration else { throw AlreadyReported() }
        self.init(maxDuration: maxDuration, abortWhen: abortWhen)
    }
}

extension AbortCondition: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case journey, successRateBelow = "success_rate_below", p95AboveMs = "p95_above_ms"
    }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let journey: String? = c.required(.journey, in: decoder, example: "checkout")
        if let journey { checkJourney(journey, declaredIn: decoder, what: "abort_when", at: c.mark(of: .journey, in: decoder)) }
        let rate: Double? = c.optional(.successRateBelow, in: decoder)
        let p95: Double? = c.optional(.p95AboveMs, in: decoder)
        if let rate, !(0...1).contains(rate) {
            decoder.problemLog.report("success_rate_below must lie between 0 and 1, like 0.1",
                                      at: c.mark(of: .successRateBelow, in: decoder))
        }
        if !c.contains(.successRateBelow), !c.contains(.p95AboveMs) {
            decoder.problemLog.report("abort_when needs success_rate_below or p95_above_ms (or both)", at: decoder.mark)
        }
        guard decoder.problemLog.entries.count == before, let journey else { throw AlreadyReported() }
        self.init(journey: journey, successRateBelow: rate, p95AboveMs: p95)
    }
}
