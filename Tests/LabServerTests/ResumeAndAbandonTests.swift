import Foundation
import HummingbirdTesting
import LabDomain
import LabEngine
import Testing

@testable import LabServer

/// Runs that end properly: an unfinished run is listed for its learner (to continue), ends as
/// `abandoned` when asked or when the same lab is started again, and keeps the maximum points
/// of a complete run. No attack runs here: the answers and the grade need no sandbox.
@Suite("Unfinished runs: continue or abandon")
struct ResumeAndAbandonTests {
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    private func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try Self.decoder.decode(type, from: Data(buffer: response.body))
    }

    /// The maximum points of a complete run of `lab` where every experiment saw what the lab expects.
    private func completeMaximum(_ lab: Lab) -> Int {
        let results = lab.exercises.map { exercise in
            ExerciseResult(exerciseID: exercise.id, kind: exercise.kind, hypothesis: nil, expected: exercise.expect,
                           observed: exercise.expect, status: .completed, startedAt: Date(), finishedAt: Date())
        }
        return Grader.grade(lab: lab, results: results, diagramAnswer: nil, runErrored: false).max
    }

    @Test("an unfinished run is listed with how far it got; abandoning it scores what was done out of a complete run's maximum")
    func abandonAnUnfinishedRun() async throws {
        let server = try InProcessServer()
        let lab = try #require(InProcessServer.catalog.labs.first { $0.id == "is-ads-optional" })
        try await server.test { client in
            let started = try await client.call(.post, "/api/runs", json: #"{"lab": "is-ads-optional", "learner": "Ada Lovelace"}"#)
            #expect(started.status == .created)
            let run = try decode(API.RunInfo.self, started).run
            let first = lab.exercises[0]
            let hypothesis = try await client.call(.put, "/api/runs/\(run)/exercises/\(first.id)/hypothesis", json: #"{"outcome": "broken"}"#)
            #expect(hypothesis.status == .noContent)

            let open = try decode([API.OpenRun].self, try await client.call(.get, "/api/learners/Ada%20Lovelace/open-runs"))
            #expect(open.map(\.run) == [run])
            let listed = try #require(open.first)
            #expect(listed.done == 0 && listed.total == lab.exercises.count && listed.next == first.title, "\(listed)")

            let abandoned = try await client.call(.post, "/api/runs/\(run)/abandon")
            #expect(abandoned.status == .ok)
            let summary = try decode(RunSummary.self, abandoned)
            #expect(summary.status == "abandoned")
            #expect(summary.finishedAt != nil)
            #expect(summary.maxPoints == completeMaximum(lab), "a partial run keeps a complete run's maximum: \(summary.breakdown)")
            #expect(summary.earned == 0)

            let empty = try decode([API.OpenRun].self, try await client.call(.get, "/api/learners/Ada%20Lovelace/open-runs"))
            #expect(empty.isEmpty, "an abandoned run is no longer open")

            let again = try await client.call(.post, "/api/runs/\(run)/abandon")
            #expect(again.status == .conflict)
            #expect(again.errorAnswer()?.error == "run \(run) is abandoned; start a new one with chaoslab run is-ads-optional")
            let late = try await client.call(.put, "/api/runs/\(run)/exercises/\(first.id)/hypothesis", json: #"{"outcome": "works"}"#)
            #expect(late.status == .conflict, "a closed run takes no answers")

            let page = try await client.call(.get, "/runs/\(run)/summary")
            #expect(String(buffer: page.body).contains("This run was abandoned after 0 of \(lab.exercises.count) exercises"))
            #expect(String(buffer: page.body).contains("not reached: the run ended before it"))

            let unknown = try await client.call(.post, "/api/runs/no-such-run/abandon")
            #expect(unknown.status == .notFound)
        }
    }

    @Test("starting a lab again ends the learner's unfinished run of it as abandoned, and says so; other labs and learners keep theirs")
    func aNewStartReplacesTheUnfinishedRun() async throws {
        let server = try InProcessServer()
        try await server.test { client in
            func start(_ lab: String, _ learner: String) async throws -> API.RunInfo {
                let response = try await client.call(.post, "/api/runs", json: #"{"lab": "\#(lab)", "learner": "\#(learner)"}"#)
                #expect(response.status == .created)
                return try decode(API.RunInfo.self, response)
            }
            let first = try await start("is-ads-optional", "Bea")
            let otherLab = try await start("retry-storms", "Bea")
            let otherLearner = try await start("is-ads-optional", "Cy")
            #expect(first.abandoned == nil)

            let second = try await start("is-ads-optional", "Bea")
            #expect(second.abandoned == [first.run])
            let old = try decode(RunSummary.self, try await client.call(.get, "/api/runs/\(first.run)/summary"))
            #expect(old.status == "abandoned")

            let bea = try decode([API.OpenRun].self, try await client.call(.get, "/api/learners/Bea/open-runs"))
            #expect(Set(bea.map(\.run)) == [second.run, otherLab.run])
            let cy = try decode([API.OpenRun].self, try await client.call(.get, "/api/learners/Cy/open-runs"))
            #expect(cy.map(\.run) == [otherLearner.run])
        }
    }
}
