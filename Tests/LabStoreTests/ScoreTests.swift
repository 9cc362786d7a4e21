import GRDB
import Testing
@testable import LabStore

@Suite("Scores")
struct ScoreTests {
    @Test("a score of 101 is refused by the database's CHECK, and the run stays running")
    func scoreAbove100IsRefused() async throws {
        // Given a running run
        let (store, run) = try await storeWithStartedRun()

        // When the grader hands in 101
        await #expect(throws: LabStoreError.scoreOutOfRange(101)) {
            try await store.finishRun(runID: run.id, status: .finished, score: 101, breakdown: json("{}"))
        }

        // Then the whole finish was rolled back: no score, still running
        #expect(try await store.score(runID: run.id) == nil)
        #expect(try await store.run(id: run.id)?.status == .running)
        // And raw SQL cannot slip 101 in either
        await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO scores (run_id, score, breakdown, computed_at)
                    VALUES (?, 101, '{}', '2027-01-01 00:00:00.000')
                    """, arguments: [run.id])
            }
        }
    }

    @Test("best scores take each lab's highest finished run of that learner")
    func bestScoresPerLab() async throws {
        // Given ada ran one lab twice and another once, grace once, and one errored run
        let store = try inMemoryStore()
        for (lab, learner, score, status) in [
            ("is-ads-optional", "ada", 40, RunStatus.finished), ("is-ads-optional", "ada", 90, .finished),
            ("cache-is-critical", "ada", 60, .finished), ("cache-is-critical", "ada", 100, .errored),
            ("is-ads-optional", "grace", 100, .finished),
        ] {
            let run = try await store.startRun(labID: lab, learnerName: learner, quick: false)
            try await store.finishRun(runID: run.id, status: status, score: score, breakdown: json("{}"))
        }

        // When ada's best scores are asked for
        let best = try await store.bestScores(learnerName: "ada")

        // Then each lab shows ada's best finished score, and a stranger has none
        #expect(best == ["is-ads-optional": 90, "cache-is-critical": 60])
        #expect(try await store.bestScores(learnerName: "nobody").isEmpty)
    }
}
