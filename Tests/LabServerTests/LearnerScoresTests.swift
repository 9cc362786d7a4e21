import Foundation
import HummingbirdTesting
import LabStore
import Testing

@testable import LabServer

@Suite("Learners' best scores")
struct LearnerScoresTests {
    @Test("a learner whose name has a space gets their scores: the path's %20 is a space")
    func nameWithASpace() async throws {
        let server = try InProcessServer()
        let store = server.workspace.coordinator.store
        let run = try await store.startRun(labID: "is-ads-optional", learnerName: "Browser Bea", quick: true)
        _ = try await store.finishRun(runID: run.id, status: .finished, score: 70, breakdown: Data("{}".utf8))
        try await server.test { client in
            let scores = try await client.call(.get, "/api/learners/Browser%20Bea/scores")
            #expect(scores.status == .ok)
            #expect(try scores.json([String: Int].self) == ["is-ads-optional": 70])
            let nobody = try await client.call(.get, "/api/learners/Nobody%20Else/scores")
            #expect(try nobody.json([String: Int].self) == [:])
        }
    }
}
