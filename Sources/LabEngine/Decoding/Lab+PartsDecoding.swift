import Yams

// Decoding of the claimed edges, journeys, SLOs and probe settings.

extension ClaimedEdge {
    private enum Keys: String, CodingKey, CaseIterable { case from, to, critical }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let from: String? = c.required(.from, in: decoder, example: "storefront")
        let to: String? = c.required(.to, in: decoder, example: "ads")
        let critical: Bool? = c.optional(.critical, in: decoder)
        let topology = decoder.problemLog.topology
        for (key, service) in [(Keys.from, from), (Keys.to, to)] {
            if let service, let topology, !topology.services.contains(service) {
                decoder.problemLog.report(
                    "unknown service '\(service)' in architecture; known services: \(topology.servicesList)",
                    at: c.mark(of: key, in: decoder))
            }
        }
        guard decoder.problemLog.entries.count == before, let from, let to else { throw AlreadyReported() }
        let edge = EdgeID(from: from, to: to)
        if let topology, !topology.edges.contains(edge) {
            throw decoder.report("unknown edge '\(edge.key)'; known edges: \(topology.edgesList)")
        }
        self.init(edge: edge, critical: critical ?? false)
    }
}

extension Journey: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case steps, slo, failureThreshold = "failure_threshold"
    }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let name = decoder.codingPath.last?.stringValue ?? "journey"
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let steps = c.list(.steps, of: JourneyStep.self, in: decoder)
        if !c.contains(.steps) || steps?.isEmpty == true {
            decoder.problemLog.report("journey '\(name)' has no steps; add `steps: [ \"GET storefront /\" ]`",
                                      at: c.contains(.steps) ? c.mark(of: .steps, in: decoder) : decoder.mark)
        }
        let slo: SLO? = c.required(.slo, in: decoder, example: "{ success_rate: 0.99, p95_ms: 500 }")
        let threshold: Double? = c.optional(.failureThreshold, in: decoder)
        if let threshold, !(0...1).contains(threshold) || threshold > (slo?.successRate ?? 1) {
            decoder.problemLog.report(
                "failure_threshold \(threshold) of journey '\(name)' must lie between 0 and the SLO's success_rate",
                at: c.mark(of: .failureThreshold, in: decoder))
        }
        guard decoder.problemLog.entries.count == before, let steps, let slo else { throw AlreadyReported() }
        self.init(name: name, steps: steps.map(\.value), slo: slo, failureThreshold: threshold ?? 0.5)
    }
}

extension SLO {
    private enum Keys: String, CodingKey, CaseIterable { case successRate = "success_rate", p95Ms = "p95_ms" }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let rate: Double? = c.required(.successRate, in: decoder, example: "0.99")
        let p95: Double? = c.required(.p95Ms, in: decoder, example: "500")
        if let rate, !(0...1).contains(rate) {
            decoder.problemLog.report("slo success_rate \(rate) must lie between 0 and 1, like 0.99",
                                      at: c.mark(of: .successRate, in: decoder))
        }
        if let p95, p95 <= 0 {
            decoder.problemLog.report("slo p95_ms must be positive, like 500", at: c.mark(of: .p95Ms, in: decoder))
        }
        guard decoder.problemLog.entries.count == before, let rate, let p95 else { throw AlreadyReported() }
        self.init(successRate: rate, p95Ms: p95)
    }
}

extension ProbeSettings: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case rate, timeout }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let rate: Double? = c.optional(.rate, in: decoder)
        if let rate, !(rate > 0 && rate <= 100) {
            decoder.problemLog.report("probe rate \(rate) must be between 0 and 100 journeys per second, like 5",
                                      at: c.mark(of: .rate, in: decoder))
        }
        let timeout = c.duration(.timeout, fallback: .seconds(2), in: decoder)
        guard decoder.problemLog.entries.count == before, let timeout else { throw AlreadyReported() }
        self.init(rate: rate ?? 5, timeout: timeout)
    }
}
