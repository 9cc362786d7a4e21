/// Grader scores a run of a lab from the results the runner observed — never from what a client claims.
///
/// - prediction: 10 per exercise whose hypothesis equals the observed outcome of its primary journey;
///   inconclusive runs leave the maximum; errored, refused and missing runs count with 0;
/// - fix: 10 per fix exercise that observed exactly what it expects (the fix holds under the fault);
/// - diagram: 5 per claimed edge whose criticality this run's experiments revealed, when the
///   learner's answer agrees; untested edges are shown, not graded.
public enum Grader {
    public static let predictionPoints = 10
    public static let fixPoints = 10
    public static let diagramPoints = 5

    public static func grade(lab: Lab, results: [ExerciseResult], diagramAnswer: [String: Bool]?,
                             runErrored: Bool) -> Score {
        var lines: [ScoreLine] = []
        for exercise in lab.exercises {
            lines += exerciseLines(exercise, result: results.last { $0.exerciseID == exercise.id })
        }
        for discovered in discoveredDiagram(lab: lab, results: results) {
            lines.append(diagramLine(discovered, answer: diagramAnswer?[discovered.edge.key]))
        }
        let earned = lines.map(\.earned).reduce(0, +)
        let max = lines.map(\.max).reduce(0, +)
        var score = max == 0 ? 0 : Int((100 * Double(earned) / Double(max)).rounded())
        score = Swift.min(100, Swift.max(0, score))
        if runErrored { score = Swift.min(score, 99) }
        return Score(score: score, earned: earned, max: max, breakdown: lines)
    }

    private static func exerciseLines(_ exercise: Exercise, result: ExerciseResult?) -> [ScoreLine] {
        let isFix = exercise.kind == .fix
        guard let result, result.status == .completed || result.status == .inconclusive else {
            let why = result.map { "run \($0.status.rawValue)\($0.reason.map { ": \($0)" } ?? "")" } ?? "not run"
            var lines = [ScoreLine(category: .prediction, item: exercise.id, earned: 0, max: predictionPoints, note: why)]
            if isFix { lines.append(ScoreLine(category: .fix, item: exercise.id, earned: 0, max: fixPoints, note: why)) }
            return lines
        }
        guard result.status == .completed else {
            let why = "inconclusive, not graded: \(result.reason ?? "nothing to judge")"
            var lines = [ScoreLine(category: .prediction, item: exercise.id, earned: 0, max: 0, note: why)]
            if isFix { lines.append(ScoreLine(category: .fix, item: exercise.id, earned: 0, max: 0, note: why)) }
            return lines
        }
        let journey = exercise.primaryJourney
        let observed = result.observed[journey]
        let predicted = result.hypothesis?.rawValue ?? "nothing"
        let right = result.hypothesis != nil && result.hypothesis == observed
        var lines = [ScoreLine(category: .prediction, item: exercise.id, earned: right ? predictionPoints : 0,
                               max: predictionPoints,
                               note: "predicted \(predicted), observed \(observed?.rawValue ?? "nothing") for \(journey)")]
        if isFix {
            let holds = result.observed == exercise.expect
            let seen = result.observed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }
            lines.append(ScoreLine(category: .fix, item: exercise.id, earned: holds ? fixPoints : 0, max: fixPoints,
                                   note: (holds ? "the fix holds under the fault: " : "the fix did not hold: ")
                                       + seen.joined(separator: ", ")))
        }
        return lines
    }

    private static func diagramLine(_ discovered: DiscoveredEdge, answer: Bool?) -> ScoreLine {
        let key = discovered.edge.key
        guard let truth = discovered.critical else {
            return ScoreLine(category: .diagram, item: key, earned: 0, max: 0, note: "untested in this run, not graded")
        }
        let word = { (critical: Bool) in critical ? "critical" : "not critical" }
        let note = "experiments showed \(word(truth)); you said " + (answer.map(word) ?? "nothing")
        return ScoreLine(category: .diagram, item: key, earned: answer == truth ? diagramPoints : 0,
                         max: diagramPoints, note: note)
    }

    /// The diagram as this run's experiments revealed it: an edge is critical when a completed,
    /// non-fix experiment attacking it saw any journey broken or degraded; not critical when such
    /// experiments saw every journey work; unknown (nil) when none attacked it. An attack on a
    /// service tests the edges into it.
    public static func discoveredDiagram(lab: Lab, results: [ExerciseResult]) -> [DiscoveredEdge] {
        lab.architecture.map { claimed in
            var critical: Bool?
            for exercise in lab.exercises where exercise.kind == .experiment && exercise.attack.target.edges.contains(claimed.edge) {
                guard let result = results.last(where: { $0.exerciseID == exercise.id }),
                      result.status == .completed, !result.observed.isEmpty else { continue }
                let hurt = result.observed.values.contains { $0 == .broken || $0 == .degraded }
                critical = (critical ?? false) || hurt
            }
            return DiscoveredEdge(edge: claimed.edge, claimedCritical: claimed.critical, critical: critical)
        }
    }
}
