/// Outcome is what a journey did during an experiment, judged against its SLO.
///
/// `works`: the SLO held. `degraded`: requests mostly succeed but the latency SLO is breached,
/// or the success rate sits between the failure threshold and the SLO. `broken`: the success
/// rate fell below the failure threshold. `inconclusive`: too little was measured to say.
///
/// Three more answer questions about the exercise rather than a journey, and are what a
/// learner predicts when the exercise asks them: `refused` (the status check refused the
/// attack, no fault went in), `alerted` and `silent` (the exercise's alert fired in
/// Alertmanager in time, or did not).
public enum Outcome: String, Codable, Sendable, CaseIterable, Comparable {
    case works
    case degraded
    case broken
    case inconclusive
    case refused
    case alerted
    case silent

    /// The outcomes a lab may expect of a journey and a learner may predict for one.
    public static let predictable: [Outcome] = [.works, .degraded, .broken]
    /// What a learner may predict for an exercise that watches an alert.
    public static let alertOutcomes: [Outcome] = [.alerted, .silent]

    public static func < (lhs: Outcome, rhs: Outcome) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
