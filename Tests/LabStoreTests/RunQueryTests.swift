import Testing
@testable import LabStore

@Suite("Finding runs")
struct RunQueryTests {
    @Test("latestRun picks the newest run, overall or for one learner")
    func latestRunIsNewest() async throws {
        // Given three runs started one after another by two learners
        let store = try inMemoryStore()
        let adaFirst = try await store.startRun(labID: "lab-a", learnerName: "ada", quick: false)
        let adaSecond = try await store.startRun(labID: "lab-b", learnerName: "ada", quick: true)
        let grace = try await store.startRun(labID: "lab-a", learnerName: "grace", quick: false)

        // When the latest runs are asked for
        // Then the newest wins, overall and per learner
        #expect(try await store.latestRun() == grace)
        #expect(try await store.latestRun(learnerName: "ada") == adaSecond)
        #expect(try await store.latestRun(learnerName: "nobody") == nil)
        // And runs(limit:) lists newest first
        #expect(try await store.runs(limit: 2) == [grace, adaSecond])
        #expect(try await store.runs(limit: 10) == [grace, adaSecond, adaFirst])
    }

    @Test("latestEvents gives the newest events of a run but one kind, oldest first")
    func latestEventsSkipsAKind() async throws {
        let store = try inMemoryStore()
        let run = try await store.startRun(labID: "lab-a", learnerName: "ada", quick: true)
        for index in 1...5 {
            try await store.appendEvent(runID: run.id, kind: "step", exerciseID: nil, payload: json(#"{"n":\#(index)}"#))
            try await store.appendEvent(runID: run.id, kind: "probe_sample", exerciseID: nil, payload: json("{}"))
        }
        let latest = try await store.latestEvents(runID: run.id, limit: 3, excluding: "probe_sample")
        #expect(latest.map(\.kind) == ["step", "step", "step"])
        #expect(latest.map { String(decoding: $0.payload, as: UTF8.self) } == [#"{"n":3}"#, #"{"n":4}"#, #"{"n":5}"#])
        await #expect(throws: LabStoreError.unknownRun(id: "nope")) {
            try await store.latestEvents(runID: "nope", limit: 3, excluding: "probe_sample")
        }
    }

    @Test("an empty store has no latest run")
    func emptyStoreHasNoRuns() async throws {
        let store = try inMemoryStore()
        #expect(try await store.latestRun() == nil)
        #expect(try await store.runs(limit: 5).isEmpty)
    }

    @Test("every call given an unknown run id says so, and what to do")
    func unknownRunIDErrorsClearly() async throws {
        // Given a store without that run
        let store = try inMemoryStore()
        let missing = LabStoreError.unknownRun(id: "no-such-run")

        // When writes and reads name it, then each throws unknownRun
        await #expect(throws: missing) {
            try await store.appendEvent(runID: "no-such-run", kind: "k", exerciseID: nil, payload: json("{}"))
        }
        await #expect(throws: missing) {
            try await store.recordHypothesis(runID: "no-such-run", exerciseID: "e", value: json("1"))
        }
        await #expect(throws: missing) { try await store.recordDiagramAnswer(runID: "no-such-run", value: json("1")) }
        await #expect(throws: missing) {
            try await store.recordObservation(runID: "no-such-run", exerciseID: "e", status: "works", payload: json("{}"))
        }
        await #expect(throws: missing) {
            try await store.finishRun(runID: "no-such-run", status: .finished, score: 1, breakdown: json("{}"))
        }
        await #expect(throws: missing) { _ = try await store.events(runID: "no-such-run") }
        await #expect(throws: missing) { _ = try await store.score(runID: "no-such-run") }
        // And run(id:) simply finds nothing
        #expect(try await store.run(id: "no-such-run") == nil)
        // And the message names the id and the way out
        #expect(missing.description.contains("no-such-run") && missing.description.contains("startRun"))
    }
}
