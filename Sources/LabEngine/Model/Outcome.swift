/// Outcome is what a journey did during an experiment, judged against its SLO.
///
/// `works`: the SLO held. `degraded`: requests mostly succeed but the latency SLO is breached,
/// or the success rate sits between the failure threshold and the SLO. `broken`: the success
/// rate fell below the failure threshold. `inconclusive`: too little was measured to say.
public enum Outcome: String, Codable, Sendable, CaseIterable, Comparable {
    case works
    case degraded
    case broken
    case inconclusive

    /// The outcomes a lab may expect and a learner may predict.
    public static let predictable: [Outcome] = [.works, .degraded, .broken]

    public static func < (lhs: Outcome, rhs: Outcome) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
