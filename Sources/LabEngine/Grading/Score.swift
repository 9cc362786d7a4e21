/// Score is a learner's grade for one run of a lab, with a line per thing that was scored.
public struct Score: Hashable, Sendable, Codable {
    /// 0...100; never 100 on an errored run.
    public var score: Int
    public var earned: Int
    public var max: Int
    public var breakdown: [ScoreLine]

    public init(score: Int, earned: Int, max: Int, breakdown: [ScoreLine]) {
        self.score = score
        self.earned = earned
        self.max = max
        self.breakdown = breakdown
    }
}

/// ScoreLine is one scored item: a prediction, a verified fix or an edge of the diagram.
public struct ScoreLine: Hashable, Sendable, Codable {
    public enum Category: String, Hashable, Sendable, Codable {
        case prediction, fix, diagram
    }

    public var category: Category
    /// The exercise id or the edge key.
    public var item: String
    public var earned: Int
    /// 0 for lines shown but not graded (an inconclusive run, an untested edge).
    public var max: Int
    /// Why, for a person: "predicted broken, observed broken".
    public var note: String

    public init(category: Category, item: String, earned: Int, max: Int, note: String) {
        self.category = category
        self.item = item
        self.earned = earned
        self.max = max
        self.note = note
    }
}

/// DiscoveredEdge sets the claimed criticality of an edge beside what the experiments showed.
public struct DiscoveredEdge: Hashable, Sendable, Codable {
    public var edge: EdgeID
    public var claimedCritical: Bool
    /// nil: no conclusive experiment attacked this edge in this run.
    public var critical: Bool?

    public init(edge: EdgeID, claimedCritical: Bool, critical: Bool?) {
        self.edge = edge
        self.claimedCritical = claimedCritical
        self.critical = critical
    }

    private enum CodingKeys: String, CodingKey {
        case edge, claimedCritical = "claimed_critical", critical
    }
}
