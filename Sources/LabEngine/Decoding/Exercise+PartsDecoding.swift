import Foundation
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
            if let outcome = Outcome(rawValue: entry.key), outcome != .inconclusive {
                choices[outcome] = entry.value
            } else {
                decoder.problemLog.report("hypothesis choice '\(entry.key)' is not an outcome; the keys of choices "
                                          + "must be works, degraded or broken (or refused, alerted, silent)", at: entry.mark)
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

/// `status_check: { journey: checkout, for: 5s, checks: [site-up], continuous: { checks: [slo], every: 1s } }`;
/// the journey defaults to the expected one.
struct StatusCheckSection: Decodable {
    let journey: String?
    let window: Duration
    let checks: [String]
    let continuous: ContinuousCheck?

    private enum Keys: String, CodingKey, CaseIterable { case journey, window = "for", checks, continuous }

    init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        journey = c.optional(.journey, in: decoder)
        if let journey { checkJourney(journey, declaredIn: decoder, what: "status_check", at: c.mark(of: .journey, in: decoder)) }
        let window = c.duration(.window, fallback: .seconds(5), in: decoder)
        let checks: [String] = c.optional(.checks, in: decoder) ?? []
        for name in checks {
            checkStatusCheckName(name, in: decoder, what: "status_check.checks", at: c.mark(of: .checks, in: decoder))
        }
        let continuous: ContinuousCheckSection? = c.optional(.continuous, in: decoder)
        guard decoder.problemLog.entries.count == before, let window else { throw AlreadyReported() }
        self.window = window
        self.checks = checks
        self.continuous = continuous?.value
    }
}

/// `continuous: { checks: [checkout-slo], every: 1s }`.
struct ContinuousCheckSection: Decodable {
    let value: ContinuousCheck

    private enum Keys: String, CodingKey, CaseIterable { case checks, every }

    init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let checks: [String]? = c.required(.checks, in: decoder, example: "[ checkout-slo ]")
        for name in checks ?? [] {
            checkStatusCheckName(name, in: decoder, what: "continuous.checks", at: c.mark(of: .checks, in: decoder))
        }
        if checks?.isEmpty == true {
            decoder.problemLog.report("continuous.checks is empty; name the status checks to poll during the attack", at: c.mark(of: .checks, in: decoder))
        }
        let every = c.duration(.every, fallback: .seconds(1), in: decoder)
        guard decoder.problemLog.entries.count == before, let checks, let every else { throw AlreadyReported() }
        value = ContinuousCheck(checks: checks, interval: every)
    }
}

extension Attack: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case edge, service, fault, attributes, stream, duration
    }

    public init(from decoder: any Decoder) throws {
        let log = decoder.problemLog
        let before = log.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let target = Self.target(in: c, decoder: decoder)
        let faultName: String? = c.required(.fault, in: decoder, example: "blackhole")
        let entry = faultName.flatMap(FaultCatalog.entry)
        if let faultName, entry == nil {
            log.report("unknown fault '\(faultName)'; edge faults: \(FaultCatalog.names(.edge).joined(separator: ", ")); "
                       + "service faults: \(FaultCatalog.names(.service).joined(separator: ", "))", at: c.mark(of: .fault, in: decoder))
        }
        var attributes: [String: Double] = [:]
        // A value that is not a number was reported by `entries`.
        for item in c.entries(.attributes, of: Double.self, in: decoder) ?? [] {
            attributes[item.key] = item.value
        }
        let stream: String? = c.optional(.stream, in: decoder)
        if let entry, let target {
            Self.check(entry, on: target, attributes: attributes, stream: stream, container: c, decoder: decoder)
        }
        let duration = c.duration(.duration, fallback: .seconds(20), in: decoder)
        guard log.entries.count == before, let target, let entry, let duration else { throw AlreadyReported() }
        self.init(target: target, fault: FaultSpec(type: entry.name, attributes: attributes, stream: stream), duration: duration)
    }

    /// `edge: storefront->ads` or `service: checkout`, exactly one of them, and one the sandbox has.
    private static func target(in c: KeyedDecodingContainer<Keys>, decoder: any Decoder) -> AttackTarget? {
        let log = decoder.problemLog
        switch (c.contains(.edge), c.contains(.service)) {
        case (true, true):
            log.report("an attack names either an edge or a service, not both", at: c.mark(of: .service, in: decoder))
            return nil
        case (false, false):
            log.report("missing required field 'edge' (or 'service') in \(decoder.place); add `edge: storefront->ads` "
                       + "for a network fault or `service: checkout` for a process fault", at: decoder.mark)
            return nil
        case (true, false):
            guard let text: String = c.optional(.edge, in: decoder) else { return nil }
            guard let edge = EdgeID(key: text) else {
                log.report("'\(text)' is not an edge; write it as FROM->TO, like storefront->ads", at: c.mark(of: .edge, in: decoder))
                return nil
            }
            if let topology = log.topology, !topology.edges.contains(edge) {
                log.report("unknown edge '\(text)'; known edges: \(topology.edgesList)", at: c.mark(of: .edge, in: decoder))
                return nil
            }
            return .edge(edge)
        case (false, true):
            guard let name: String = c.optional(.service, in: decoder) else { return nil }
            if let topology = log.topology, !topology.services.contains(name) {
                log.report("unknown service '\(name)'; services: \(topology.servicesList)", at: c.mark(of: .service, in: decoder))
                return nil
            }
            return .service(name)
        }
    }

    /// The fault must fit its target, its attributes the catalogue, and only toxics take a stream.
    private static func check(_ entry: FaultCatalog.Entry, on target: AttackTarget, attributes: [String: Double], stream: String?,
                              container c: KeyedDecodingContainer<Keys>, decoder: any Decoder) {
        let log = decoder.problemLog
        switch (entry.family, target) {
        case (.edge, .service(let name)):
            log.report("\(entry.name) is a network fault: give it an edge (like `edge: storefront->\(name)`), not a service",
                       at: c.mark(of: .fault, in: decoder))
            return
        case (.service, .edge(let edge)):
            log.report("\(entry.name) is a service fault: give it a service (like `service: \(edge.to)`), not an edge",
                       at: c.mark(of: .fault, in: decoder))
            return
        case (.service, .service(let name)):
            if let only = entry.services, !only.contains(name) {
                log.report("\(entry.name) is a fault of \(only.joined(separator: ", ")) only, not of \(name)",
                           at: c.mark(of: .service, in: decoder))
            }
            if let topology = log.topology, topology.services.contains(name) {
                let byProcess = ["kill", "pause"].contains(entry.name)
                if !topology.processes.contains(name) {
                    log.report("\(name) is reached at an address: chaoslab did not start it, so no service fault reaches it; "
                               + "attack an edge into it instead", at: c.mark(of: .service, in: decoder))
                } else if !byProcess, !topology.inProcessFaults.contains(name) {
                    log.report("\(entry.name) is made inside the service through its /admin/faults endpoints, which \(name) does not "
                               + "serve (its system file does not say `service_faults: true`); use kill or pause on it, or a network "
                               + "fault on an edge into it", at: c.mark(of: .fault, in: decoder))
                }
            }
        case (.edge, .edge):
            break
        }
        for problem in FaultCatalog.problems(attributes, for: entry) {
            log.report(problem, at: c.mark(of: c.contains(.attributes) ? .attributes : .fault, in: decoder))
        }
        if let stream {
            if !entry.hasStream {
                log.report("stream only applies to toxics (latency, bandwidth, …), not to \(entry.name); remove it",
                           at: c.mark(of: .stream, in: decoder))
            } else if stream != "upstream" && stream != "downstream" {
                log.report("stream must be upstream or downstream, got '\(stream)'", at: c.mark(of: .stream, in: decoder))
            }
        }
    }
}

extension Weather: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case inject, showsIn = "shows_in", within }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let inject: Attack? = c.required(.inject, in: decoder, example: "{ edge: storefront->checkout, fault: reset_peer }")
        let showsIn: String? = c.required(.showsIn, in: decoder, example: "no-incident")
        if let showsIn { checkStatusCheckName(showsIn, in: decoder, what: "weather.shows_in", at: c.mark(of: .showsIn, in: decoder)) }
        let within = c.duration(.within, fallback: .seconds(30), in: decoder)
        guard decoder.problemLog.entries.count == before, let inject, let showsIn, let within else { throw AlreadyReported() }
        self.init(target: inject.target, fault: inject.fault, showsIn: showsIn, within: within)
    }
}

extension AlertWatch: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case name, within, expect }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let name: String? = c.required(.name, in: decoder, example: "CartSlow")
        let within = c.duration(.within, fallback: .seconds(15), in: decoder)
        let text: String? = c.required(.expect, in: decoder, example: "alerted")
        let expect = text.flatMap(Outcome.init(rawValue:))
        if let text, expect.map(Outcome.alertOutcomes.contains) != true {
            decoder.problemLog.report("alert.expect is alerted or silent, got '\(text)'", at: c.mark(of: .expect, in: decoder))
        }
        guard decoder.problemLog.entries.count == before, let name, let within, let expect else { throw AlreadyReported() }
        self.init(name: name, within: within, expect: expect)
    }
}

extension RulesFix: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case file, solution }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let file: String? = c.required(.file, in: decoder, example: "cart-alerts.yml")
        if let file, file.contains("/") || !(file.hasSuffix(".yml") || file.hasSuffix(".yaml")) {
            decoder.problemLog.report("fix_rules.file is the name of a .yml file in the monitoring rules folder, "
                                      + "without a folder; got '\(file)'", at: c.mark(of: .file, in: decoder))
        }
        var solution: String? = c.optional(.solution, in: decoder)
        if let path = solution {
            let base = decoder.problemLog.directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let resolved = path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardizedFileURL.path
            if !FileManager.default.isReadableFile(atPath: resolved) {
                decoder.problemLog.report("cannot read the solution file '\(path)' (looked for \(resolved))",
                                          at: c.mark(of: .solution, in: decoder))
            }
            solution = resolved
        }
        guard decoder.problemLog.entries.count == before, let file else { throw AlreadyReported() }
        self.init(file: file, solution: solution)
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
        if let maxDuration, maxDuration > .milliseconds(FaultCatalog.maxTTLMilliseconds) {
            decoder.problemLog.report("max_duration is the fault's time to live, at most 1h; got \(DurationParser.format(maxDuration))",
                                      at: c.mark(of: .maxDuration, in: decoder))
        }
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
        if let p95, p95 <= 0 {
            decoder.problemLog.report("p95_above_ms must be a positive number of milliseconds, like 1500",
                                      at: c.mark(of: .p95AboveMs, in: decoder))
        }
        if !c.contains(.successRateBelow), !c.contains(.p95AboveMs) {
            decoder.problemLog.report("abort_when needs success_rate_below or p95_above_ms (or both)", at: decoder.mark)
        }
        guard decoder.problemLog.entries.count == before, let journey else { throw AlreadyReported() }
        self.init(journey: journey, successRateBelow: rate, p95AboveMs: p95)
    }
}
