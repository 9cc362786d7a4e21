/// Grader scores a run of a lab from the results the runner observed — never from what a client claims.
///
/// - prediction: 10 per exercise whose hypothesis equals what was observed: the primary journey's
///   outcome, whether the watched alert fired in time, or `refused` where the status check refused;
///   inconclusive runs leave the maximum; errored, refused and missing runs count with 0;
/// - fix: 10 per fix exercise whose journeys all work under the fault (the fix holds); for a fix of
///   an alert rule, the alert firing in time. A fix exercise that the lab expects not to hold (it
///   shows a remedy failing) has no fix points: only its prediction counts;
/// - diagram: 5 per claimed edge that the lab's experiments test, when the learner's answer agrees
///   with what they revealed; an edge whose experiments were not run (or errored) counts with 0,
///   so that a partial run has the same maximum as a complete one; an edge no experiment of the
///   lab attacks, or whose attacks were all inconclusive, is shown, not graded.
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
            lines.append(diagramLine(discovered, answer: diagramAnswer?[discovered.edge.key],
                                     unreached: unreachedTests(of: discovered.edge, lab: lab, results: results)))
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
        let fixMax = hasFixPoints(exercise) ? fixPoints : 0
        // A refusal by the status check is the answer itself where the learner may predict one.
        let refusalAnswers = exercise.hypothesis.choices[.refused] != nil && result?.refusedByStatusCheck == true
        guard let result, result.status == .completed || result.status == .inconclusive else {
            let why = result.map { "run \($0.status.rawValue)\($0.reason.map { ": \($0)" } ?? "")" } ?? "not run"
            var lines = [ScoreLine(category: .prediction, item: exercise.id, earned: 0, max: predictionPoints, note: why)]
            if isFix { lines.append(ScoreLine(category: .fix, item: exercise.id, earned: 0, max: fixMax, note: why)) }
            return lines
        }
        guard result.status == .completed || refusalAnswers else {
            let why = "inconclusive, not graded: \(result.reason ?? "nothing to judge")"
            var lines = [ScoreLine(category: .prediction, item: exercise.id, earned: 0, max: 0, note: why)]
            if isFix { lines.append(ScoreLine(category: .fix, item: exercise.id, earned: 0, max: 0, note: why)) }
            return lines
        }
        let observed = exercise.observedPrediction(result)
        let predicted = result.hypothesis?.rawValue ?? "nothing"
        let right = result.hypothesis != nil && result.hypothesis == observed
        var lines = [ScoreLine(category: .prediction, item: exercise.id, earned: right ? predictionPoints : 0,
                               max: predictionPoints, note: "predicted \(predicted), " + observedNote(exercise, result, observed))]
        if isFix {
            // It holds when every journey works under the fault (a fix of an alert rule: when the alert fired in time).
            let holds = exercise.rulesFix != nil
                ? exercise.alert.flatMap { alert in result.alert.map(alert.holds) } == true
                : !result.observed.isEmpty && result.observed.values.allSatisfy { $0 == .works }
            var seen = result.observed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }
            if let alert = result.alert { seen.append(alert.summary) }
            let note = fixMax == 0
                ? "not scored as a fix: the lab shows a remedy that does not hold (\(seen.joined(separator: ", "))); the prediction is what counts"
                : (holds ? "the fix holds under the fault: " : "the fix did not hold: ") + seen.joined(separator: ", ")
            lines.append(ScoreLine(category: .fix, item: exercise.id, earned: holds && fixMax > 0 ? fixPoints : 0, max: fixMax, note: note))
        }
        return lines
    }

    /// What was observed, in the words of the question the exercise asked.
    private static func observedNote(_ exercise: Exercise, _ result: ExerciseResult, _ observed: Outcome?) -> String {
        if observed == .refused { return "observed refused: \(result.reason ?? "the status check refused the attack")" }
        if let alert = exercise.alert, let seen = result.alert {
            return "observed \(observed?.rawValue ?? "nothing"): \(seen.summary) (allowed: \(DurationParser.format(alert.within)))"
        }
        return "observed \(observed?.rawValue ?? "nothing") for \(exercise.primaryJourney)"
    }

    /// True for a fix exercise whose fix the lab expects to hold (every journey works, or an alert
    /// rule fixed): a remedy the lab shows failing is no fix to score.
    static func hasFixPoints(_ exercise: Exercise) -> Bool {
        exercise.kind == .fix && (exercise.rulesFix != nil || exercise.expect.values.allSatisfy { $0 == .works })
    }

    /// How a run of `lab` is scored, in one sentence, from the rules above: what a learner reads
    /// before starting, so that no lab's prose has to (or can) say otherwise.
    public static func scoringText(for lab: Lab) -> String {
        let fixes = lab.exercises.filter(hasFixPoints).count
        func count(_ n: Int, _ one: String, _ many: String) -> String { n == 1 ? "1 \(one)" : "\(n) \(many)" }
        var parts = ["\(predictionPoints) points for each right prediction (\(count(lab.exercises.count, "exercise", "exercises")))"]
        if fixes > 0 { parts.append("\(fixPoints) for each fix that holds under the fault (\(count(fixes, "fix", "fixes")))") }
        let tested = lab.architecture.filter { claim in
            lab.exercises.contains { $0.kind == .experiment && lab.edges(cutBy: $0.attack.target).contains(claim.edge) }
        }.count
        parts.append("\(diagramPoints) for each edge of the diagram that the experiments test and you mark right "
                     + "(\(count(tested, "edge", "edges")) of \(lab.architecture.count))")
        return "Scoring: " + parts.joined(separator: ", ") + ". An inconclusive experiment is not graded; the summary shows every line."
    }

    /// The experiments of `lab` that test `edge` when none of them reached a verdict that could
    /// be graded or was inconclusive (not run, errored, refused): the edge then keeps its points
    /// in the maximum. Empty when no experiment attacks the edge or one ran to a result.
    private static func unreachedTests(of edge: EdgeID, lab: Lab, results: [ExerciseResult]) -> [String] {
        let tests = lab.exercises.filter { $0.kind == .experiment && lab.edges(cutBy: $0.attack.target).contains(edge) }
        let ranToAResult = tests.contains { exercise in
            results.last { $0.exerciseID == exercise.id }.map { $0.status == .completed || $0.status == .inconclusive } ?? false
        }
        return ranToAResult ? [] : tests.map(\.id)
    }

    private static func diagramLine(_ discovered: DiscoveredEdge, answer: Bool?, unreached: [String]) -> ScoreLine {
        let key = discovered.edge.key
        guard let truth = discovered.critical else {
            if !unreached.isEmpty {
                return ScoreLine(category: .diagram, item: key, earned: 0, max: diagramPoints,
                                 note: "not tested in this run: \(unreached.joined(separator: ", ")) did not run to a result")
            }
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
            for exercise in lab.exercises where exercise.kind == .experiment && lab.edges(cutBy: exercise.attack.target).contains(claimed.edge) {
                guard let result = results.last(where: { $0.exerciseID == exercise.id }),
                      result.status == .completed, !result.observed.isEmpty else { continue }
                let hurt = result.observed.values.contains { $0 == .broken || $0 == .degraded }
                critical = (critical ?? false) || hurt
            }
            return DiscoveredEdge(edge: claimed.edge, claimedCritical: claimed.critical, critical: critical)
        }
    }
}
