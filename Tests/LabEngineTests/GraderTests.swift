import Foundation
import Testing
@testable import LabEngine

@Suite("Grading a run")
struct GraderTests {
    let lab = Lab(
        id: "grading", title: "Grading",
        architecture: [ClaimedEdge(edge: EdgeID(from: "storefront", to: "ads"), critical: false),
                       ClaimedEdge(edge: EdgeID(from: "storefront", to: "cache"), critical: false),
                       ClaimedEdge(edge: EdgeID(from: "checkout", to: "cache"), critical: false)],
        journeys: ["checkout": Journey(name: "checkout", steps: [], slo: SLO(successRate: 0.99, p95Ms: 500))],
        exercises: [exercise("block-ads", on: "storefront->ads", expect: .broken),
                    exercise("block-page-cache", on: "storefront->cache", expect: .works),
                    exercise("fix-ads", on: "storefront->ads", expect: .works, fix: true)])

    static func exercise(_ id: String, on edge: String, expect: Outcome, fix: Bool = false) -> Exercise {
        Exercise(id: id, title: id, hypothesis: Hypothesis(question: "?", choices: [:]),
                 statusCheck: StatusCheck(journey: "checkout"), attack: Attack(edge: EdgeID(key: edge)!, fault: .blackhole),
                 fix: fix ? ["storefront": ["ads_fallback": .bool(true)]] : nil, expect: ["checkout": expect])
    }

    func result(_ id: String, predicted: Outcome?, observed: Outcome?,
                status: ExerciseResult.Status = .completed) -> ExerciseResult {
        let exercise = lab.exercise(id)!
        return ExerciseResult(exerciseID: id, kind: exercise.kind, hypothesis: predicted, expected: exercise.expect,
                              observed: observed.map { ["checkout": $0] } ?? [:], status: status,
                              startedAt: Date(), finishedAt: Date())
    }

    var allRight: [ExerciseResult] {
        [result("block-ads", predicted: .broken, observed: .broken),
         result("block-page-cache", predicted: .works, observed: .works),
         result("fix-ads", predicted: .works, observed: .works)]
    }

    let rightDiagram = ["storefront->ads": true, "storefront->cache": false, "checkout->cache": true]

    @Test func everythingRightScores100() {
        let score = Grader.grade(lab: lab, results: allRight, diagramAnswer: rightDiagram, runErrored: false)

        // 3 predictions + 1 fix + 2 tested edges (checkout->cache untested).
        #expect(score.max == 30 + 10 + 10)
        #expect(score.earned == score.max)
        #expect(score.score == 100)
    }

    @Test func everythingWrongScoresZero() {
        let results = [result("block-ads", predicted: .works, observed: .broken),
                       result("block-page-cache", predicted: .broken, observed: .works),
                       result("fix-ads", predicted: .works, observed: .broken)]
        let diagram = ["storefront->ads": false, "storefront->cache": true]

        let score = Grader.grade(lab: lab, results: results, diagramAnswer: diagram, runErrored: false)

        #expect(score.earned == 0)
        #expect(score.score == 0)
    }

    @Test func anInconclusiveExerciseLeavesTheMaximumAndIsNeverWrong() {
        var results = allRight
        results[1] = result("block-page-cache", predicted: .broken, observed: nil, status: .inconclusive)

        let score = Grader.grade(lab: lab, results: results, diagramAnswer: rightDiagram, runErrored: false)

        #expect(score.max == 20 + 10 + 5)  // no prediction for it, and storefront->cache is untested now
        #expect(score.score == 100)
        #expect(score.breakdown.contains { $0.item == "block-page-cache" && $0.max == 0 && $0.note.hasPrefix("inconclusive") })
    }

    @Test func erroredAndMissingExercisesCountWithZero() {
        let results = [result("block-ads", predicted: .broken, observed: .broken),
                       result("fix-ads", predicted: .works, observed: nil, status: .errored)]

        let score = Grader.grade(lab: lab, results: results, diagramAnswer: nil, runErrored: false)

        // storefront->cache keeps its 5 points in the maximum: its experiment was not run.
        #expect(score.max == 30 + 10 + 10)
        #expect(score.earned == 10)
        #expect(score.score == 20)  // round(100 * 10 / 50)
        #expect(score.breakdown.first { $0.item == "block-page-cache" }?.note == "not run")
        #expect(score.breakdown.first { $0.item == "storefront->cache" }?.note
                == "not tested in this run: block-page-cache did not run to a result")
    }

    @Test("a run stopped after its first exercise has the same maximum as a complete one")
    func aPartialRunKeepsTheMaximum() {
        let partial = Grader.grade(lab: lab, results: [allRight[0]], diagramAnswer: nil, runErrored: false)
        let complete = Grader.grade(lab: lab, results: allRight, diagramAnswer: rightDiagram, runErrored: false)
        #expect(partial.max == complete.max)
        #expect(partial.earned == 10)
    }

    @Test func anErroredRunNeverScores100() {
        let score = Grader.grade(lab: lab, results: allRight, diagramAnswer: rightDiagram, runErrored: true)
        #expect(score.earned == score.max)
        #expect(score.score == 99)
    }

    @Test func nothingToGradeScoresZero() {
        let results = lab.exercises.map { result($0.id, predicted: .works, observed: nil, status: .inconclusive) }
        let score = Grader.grade(lab: lab, results: results, diagramAnswer: rightDiagram, runErrored: false)
        #expect(score.max == 0)
        #expect(score.score == 0)
    }

    @Test func aFixThatDoesNotHoldEarnsOnlyItsPrediction() {
        var results = allRight
        results[2] = result("fix-ads", predicted: .broken, observed: .broken)

        let score = Grader.grade(lab: lab, results: results, diagramAnswer: rightDiagram, runErrored: false)

        #expect(score.breakdown.filter { $0.item == "fix-ads" }.map(\.earned) == [10, 0])
        #expect(score.score == 80)  // 40 of 50
    }

    @Test("a remedy the lab shows failing earns no fix points, partial or complete: only its prediction counts")
    func aFixTheLabExpectsToFailIsNotScoredAsAFix() {
        var lab = lab
        lab.exercises.append(Self.exercise("timeout-only", on: "storefront->ads", expect: .broken, fix: true))
        let notRun = Grader.grade(lab: lab, results: allRight, diagramAnswer: rightDiagram, runErrored: false)
        var results = allRight
        results.append(ExerciseResult(exerciseID: "timeout-only", kind: .fix, hypothesis: .broken, expected: ["checkout": .broken],
                                      observed: ["checkout": .broken], status: .completed, startedAt: Date(), finishedAt: Date()))
        let run = Grader.grade(lab: lab, results: results, diagramAnswer: rightDiagram, runErrored: false)
        let lines = run.breakdown.filter { $0.item == "timeout-only" }
        #expect(lines.map(\.earned) == [10, 0] && lines.map(\.max) == [10, 0], "\(lines)")
        #expect(lines.last?.note.hasPrefix("not scored as a fix: the lab shows a remedy that does not hold (checkout broken)") == true)
        #expect(notRun.max == run.max, "the maximum does not change between a partial and a complete run")
    }

    @Test("the scoring text comes from the grader's own rules and the lab's exercises")
    func scoringText() {
        var lab = lab
        lab.exercises.append(Self.exercise("timeout-only", on: "storefront->ads", expect: .broken, fix: true))
        #expect(Grader.scoringText(for: lab) == "Scoring: 10 points for each right prediction (4 exercises), 10 for each fix that "
                + "holds under the fault (1 fix), 5 for each edge of the diagram that the experiments test and you mark right "
                + "(2 edges of 3). An inconclusive experiment is not graded; the summary shows every line.")
    }

    @Test func theDiagramIsDiscoveredOnlyFromConclusiveExperiments() {
        var results = allRight
        results.append(result("fix-ads", predicted: .works, observed: .works))

        let diagram = Grader.discoveredDiagram(lab: lab, results: results)

        #expect(diagram.map(\.critical) == [true, false, nil])  // fixes never reveal criticality
        #expect(diagram.map(\.claimedCritical) == [false, false, false])
        let untested = Grader.grade(lab: lab, results: results, diagramAnswer: rightDiagram, runErrored: false)
            .breakdown.first { $0.item == "checkout->cache" }
        #expect(untested?.max == 0)
        #expect(untested?.note == "untested in this run, not graded")
    }

    @Test func theLatestRunOfAnExerciseCounts() {
        var results = allRight
        results.insert(result("block-ads", predicted: .works, observed: .broken), at: 0)
        let score = Grader.grade(lab: lab, results: results, diagramAnswer: rightDiagram, runErrored: false)
        #expect(score.score == 100)
    }
}
