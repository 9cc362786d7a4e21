/// MapPrediction is a learner's guess, before the map is drawn, of the edges each journey uses:
/// the first step of a dependency lab is to predict the map, then to see it.
public struct MapPrediction: Codable, Sendable, Equatable {
    /// Per journey, the edges (`gateway->reviews`) the learner expects it to use.
    public var journeys: [String: [String]]

    public init(journeys: [String: [String]]) {
        self.journeys = journeys
    }

    /// Problems with the prediction for this map's lab: journeys or edges it does not have.
    public func problems(journeys known: [String], edges: [String]) -> [String] {
        var problems: [String] = []
        for (journey, predicted) in journeys.sorted(by: { $0.key < $1.key }) {
            if !known.contains(journey) {
                problems.append("unknown journey '\(journey)' in the prediction; journeys: \(known.sorted().joined(separator: ", "))")
            }
            for edge in predicted where !edges.contains(edge) {
                problems.append("unknown edge '\(edge)' in the prediction of \(journey); edges: \(edges.joined(separator: ", "))")
            }
        }
        return problems
    }

    /// How the prediction met the map: each (journey, edge) cell right or wrong, and the wrong
    /// ones in words ("browse used gateway->reviews (100% of iterations); you did not expect it").
    public func compared(with map: TrafficMap) -> Comparison {
        var right = 0, total = 0
        var surprises: [String] = []
        for journey in map.journeys {
            let predicted = Set(journeys[journey.journey] ?? [])
            for edge in map.edges {
                let share = journey.share(of: edge)
                total += 1
                switch (share > 0, predicted.contains(edge)) {
                case (true, true), (false, false):
                    right += 1
                case (true, false):
                    surprises.append("\(journey.journey) used \(edge) (\(Int((share * 100).rounded()))% of iterations); you did not expect it")
                case (false, true):
                    surprises.append("\(journey.journey) never used \(edge), which you expected it to")
                }
            }
        }
        return Comparison(right: right, total: total, surprises: surprises)
    }

    /// A prediction set beside the map.
    public struct Comparison: Codable, Sendable, Equatable {
        /// Journey-and-edge cells predicted right, of `total`.
        public var right: Int
        public var total: Int
        public var surprises: [String]
    }
}
