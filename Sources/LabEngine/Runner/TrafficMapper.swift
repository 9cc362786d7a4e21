import Foundation

/// TrafficMeter reads what every edge's proxy has carried so far: counters that only go up.
public protocol TrafficMeter: Sendable {
    /// Connections accepted and bytes moved (both ways) per edge, since the proxies started.
    func carried() async -> [EdgeID: FaultContact]
}

/// The map that traffic draws: before any fault, each journey is walked on its own, one
/// iteration at a time, and what each edge carried during each iteration is read from its
/// proxy. Beside the claimed diagram it shows which edges a journey really uses, and names
/// every disagreement ("storefront->ads: claimed optional, carried on 100% of checkout journeys").
public struct TrafficMapper: Sendable {
    public let lab: Lab
    private let client: any JourneyStepClient
    private let meter: any TrafficMeter

    public init(lab: Lab, client: any JourneyStepClient, meter: any TrafficMeter) {
        self.lab = lab
        self.client = client
        self.meter = meter
    }

    /// Walks each journey `iterations` times, one iteration after another, and maps what every
    /// edge carried. Nothing else should run in the sandbox meanwhile (no fault, no probe).
    public func draw(iterations: Int = 5) async -> TrafficMap {
        var journeys: [TrafficMap.JourneyUse] = []
        var everyEdge = Set(lab.architecture.map(\.edge))
        for name in lab.journeys.keys.sorted() {
            guard let journey = lab.journeys[name] else { continue }
            var uses: [EdgeID: TrafficMap.EdgeUse] = [:]
            var succeeded = 0
            for _ in 0..<max(1, iterations) {
                let before = await meter.carried()
                if await walk(journey) { succeeded += 1 }
                let after = await meter.carried()
                for (edge, now) in after {
                    everyEdge.insert(edge)
                    let then = before[edge] ?? FaultContact(connections: 0, bytes: 0)
                    let bytes = now.bytes - then.bytes, connections = now.connections - then.connections
                    var use = uses[edge] ?? TrafficMap.EdgeUse(edge: edge.key, iterations: 0, connections: 0, bytes: 0)
                    if bytes > 0 || connections > 0 { use.iterations += 1 }
                    use.connections += connections
                    use.bytes += bytes
                    uses[edge] = use
                }
            }
            journeys.append(TrafficMap.JourneyUse(journey: name, iterations: max(1, iterations), succeeded: succeeded,
                                                  edges: uses.values.sorted { $0.edge < $1.edge }))
        }
        var claimed: [String: Bool] = [:]
        for claim in lab.architecture { claimed[claim.edge.key] = claim.critical }
        return TrafficMap(lab: lab.id, claimed: claimed, journeys: journeys, edges: everyEdge.map(\.key).sorted())
    }

    /// One iteration: a fresh session walking the steps in order, stopping at the first failure.
    private func walk(_ journey: Journey) async -> Bool {
        let session = UUID().uuidString
        for step in journey.steps {
            switch await client.perform(step, session: session, timeout: lab.probe.timeout) {
            case .success(let status) where status < 400: continue
            default: return false
            }
        }
        return true
    }
}

/// What each journey made each edge carry, beside the claimed diagram.
public struct TrafficMap: Codable, Sendable, Equatable {
    public struct EdgeUse: Codable, Sendable, Equatable {
        public var edge: String
        /// Iterations of the journey during which the edge carried anything.
        public var iterations: Int
        public var connections: Int
        public var bytes: Int
    }

    public struct JourneyUse: Codable, Sendable, Equatable {
        public var journey: String
        public var iterations: Int
        /// Iterations that went through every step.
        public var succeeded: Int
        public var edges: [EdgeUse]

        /// The share of this journey's iterations that used `edge` (0 when it is not listed).
        public func share(of edge: String) -> Double {
            Double(edges.first { $0.edge == edge }?.iterations ?? 0) / Double(max(iterations, 1))
        }
    }

    public var lab: String
    /// The team's claim, by edge: critical or not.
    public var claimed: [String: Bool]
    public var journeys: [JourneyUse]
    /// Every edge: the claimed ones and those with a proxy.
    public var edges: [String]

    /// Edges that carried nothing in any journey.
    public var silent: [String] {
        edges.filter { edge in journeys.allSatisfy { $0.share(of: edge) == 0 } }
    }

    /// Where the traffic and the claim disagree, in words: an edge claimed optional that every
    /// iteration of a journey used, an edge claimed critical that carried nothing, an edge the
    /// diagram does not show that carried traffic.
    public var disagreements: [String] {
        func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
        func names(_ journeys: [String]) -> String {
            journeys.count < 2 ? journeys.joined() : journeys.dropLast().joined(separator: ", ") + " and " + journeys.last!
        }
        var found: [String] = []
        for edge in edges {
            let always = journeys.filter { $0.share(of: edge) == 1 }.map(\.journey)
            let some = journeys.filter { $0.share(of: edge) > 0 }
            switch claimed[edge] {
            case false?:
                if !always.isEmpty { found.append("\(edge): claimed optional, carried on 100% of \(names(always)) journeys") }
            case true?:
                if some.isEmpty { found.append("\(edge): claimed critical, carried nothing in any journey") }
            case nil:
                if let most = some.max(by: { $0.share(of: edge) < $1.share(of: edge) }) {
                    found.append("\(edge): not on the claimed diagram, carried on \(percent(most.share(of: edge))) of \(most.journey) journeys")
                }
            }
        }
        return found
    }

    private enum CodingKeys: String, CodingKey {
        case lab, claimed, journeys, edges, silent, disagreements
    }

    public init(lab: String, claimed: [String: Bool], journeys: [JourneyUse], edges: [String]) {
        self.lab = lab
        self.claimed = claimed
        self.journeys = journeys
        self.edges = edges
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(lab: try c.decode(String.self, forKey: .lab), claimed: try c.decode([String: Bool].self, forKey: .claimed),
                  journeys: try c.decode([JourneyUse].self, forKey: .journeys), edges: try c.decode([String].self, forKey: .edges))
    }

    /// With the derived `silent` and `disagreements`, for clients that only read.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lab, forKey: .lab)
        try c.encode(claimed, forKey: .claimed)
        try c.encode(journeys, forKey: .journeys)
        try c.encode(edges, forKey: .edges)
        try c.encode(silent, forKey: .silent)
        try c.encode(disagreements, forKey: .disagreements)
    }
}
