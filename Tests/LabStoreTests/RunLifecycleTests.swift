import Foundation
import Testing
@testable import LabStore

@Suite("Run lifecycle")
struct RunLifecycleTests {
    @Test("start, journal, answers, observations, finish with a score")
    func wholeRun() async throws {
        // Given a learner starts a quick run
        let store = try inMemoryStore()
        let run = try await store.startRun(labID: "is-ads-optional", learnerName: "ada", quick: true)
        #expect(run.status == .running && run.quick && run.finishedAt == nil)

        // When the run journals, answers, observes and finishes
        try await store.appendEvent(runID: run.id, kind: "run-started", exerciseID: nil, payload: json("{}"))
        try await store.recordHypothesis(runID: run.id, exerciseID: "block-ads", value: json(#""works""#))
        try await store.appendEvent(
            runID: run.id, kind: "attack-started", exerciseID: "block-ads", payload: json(#"{"edge":"storefront->ads"}"#))
        try await store.recordObservation(
            runID: run.id, exerciseID: "block-ads", status: "broken", payload: json(#"{"checkout":"broken"}"#))
        try await store.recordDiagramAnswer(runID: run.id, value: json(#"{"storefront->ads":true}"#))
        try await store.recordFix(runID: run.id, exerciseID: "fix-ads", value: json(#"{"ads_timeout_ms":300}"#))
        let finished = try await store.finishRun(
            runID: run.id, status: .finished, score: 70, breakdown: json(#"{"hypotheses":0}"#))

        // Then every part reads back as written
        #expect(finished.status == .finished && finished.finishedAt != nil)
        #expect(try await store.run(id: run.id) == finished)
        let events = try await store.events(runID: run.id)
        #expect(events.map(\.kind) == ["run-started", "attack-started"])
        #expect(events[1].exerciseID == "block-ads")
        #expect(events[1].payload == json(#"{"edge":"storefront->ads"}"#))
        let answers = try await store.answers(runID: run.id)
        #expect(answers.map(\.kind) == [.hypothesis, .diagram, .fix])
        #expect(answers[1].exerciseID == nil)
        let observations = try await store.observations(runID: run.id)
        #expect(observations.map(\.status) == ["broken"])
        let score = try #require(try await store.score(runID: run.id))
        #expect(score.score == 70 && score.breakdown == json(#"{"hypotheses":0}"#))
    }

    @Test("a later answer of the same kind replaces the earlier one, the diagram included")
    func answersAreReplaced() async throws {
        // Given a run with a hypothesis and a diagram
        let (store, run) = try await storeWithStartedRun()
        try await store.recordHypothesis(runID: run.id, exerciseID: "block-ads", value: json(#""works""#))
        try await store.recordDiagramAnswer(runID: run.id, value: json(#"{"v":1}"#))

        // When both are recorded again, and a hypothesis for another exercise
        try await store.recordHypothesis(runID: run.id, exerciseID: "block-ads", value: json(#""broken""#))
        try await store.recordDiagramAnswer(runID: run.id, value: json(#"{"v":2}"#))
        try await store.recordHypothesis(runID: run.id, exerciseID: "fix-ads", value: json(#""works""#))

        // Then one answer per exercise and kind remains, holding the latest value
        let answers = try await store.answers(runID: run.id)
        #expect(answers.count == 3)
        #expect(answers.first { $0.exerciseID == "block-ads" }?.value == json(#""broken""#))
        #expect(answers.first { $0.kind == .diagram }?.value == json(#"{"v":2}"#))
    }

    @Test("an observation recorded again replaces the earlier one")
    func observationsAreReplaced() async throws {
        // Given an inconclusive observation
        let (store, run) = try await storeWithStartedRun()
        try await store.recordObservation(runID: run.id, exerciseID: "block-ads", status: "inconclusive", payload: json("{}"))

        // When the exercise is observed again
        try await store.recordObservation(runID: run.id, exerciseID: "block-ads", status: "broken", payload: json("[1]"))

        // Then only the latest observation is kept
        let observations = try await store.observations(runID: run.id)
        #expect(observations.map(\.status) == ["broken"])
        #expect(observations.first?.payload == json("[1]"))
    }

    @Test("finishing again re-grades: the score is replaced, the first finish time kept")
    func finishTwiceRegrades() async throws {
        // Given a finished run
        let (store, run) = try await storeWithStartedRun()
        let first = try await store.finishRun(runID: run.id, status: .finished, score: 40, breakdown: json("{}"))

        // When it is finished again with another score
        let second = try await store.finishRun(runID: run.id, status: .finished, score: 55, breakdown: json("{}"))

        // Then the score is the new one and finishedAt did not move
        #expect(try await store.score(runID: run.id)?.score == 55)
        #expect(second.finishedAt == first.finishedAt)
    }

    @Test("finishing as 'running' is refused before touching the database")
    func finishAsRunningIsRefused() async throws {
        let (store, run) = try await storeWithStartedRun()
        await #expect(throws: LabStoreError.finishStatusNotFinal(id: run.id)) {
            try await store.finishRun(runID: run.id, status: .running, score: 10, breakdown: json("{}"))
        }
    }
}
