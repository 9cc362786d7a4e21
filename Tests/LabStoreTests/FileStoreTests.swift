import Foundation
import GRDB
import Testing
@testable import LabStore

@Suite("File store")
struct FileStoreTests {
    @Test("a run and its score survive closing and reopening the file, in WAL mode")
    func survivesReopen() async throws {
        // Given a store on a real file in a folder that does not exist yet
        let path = temporaryStorePath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let runID: String
        do {
            let store = try LabStore(path: path)
            let journalMode = try await store.writer.read { db in
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            }
            #expect(journalMode == "wal")

            // When a run finishes with a score, and the store is closed
            let run = try await store.startRun(labID: "is-ads-optional", learnerName: "ada", quick: false)
            try await store.appendEvent(runID: run.id, kind: "run-started", exerciseID: nil, payload: json("{}"))
            try await store.finishRun(runID: run.id, status: .finished, score: 85, breakdown: json(#"{"fix":30}"#))
            runID = run.id
            try store.close()
        }

        // Then a new store on the same file finds the run, its journal and its score
        let reopened = try LabStore(path: path)
        let run = try #require(try await reopened.run(id: runID))
        #expect(run.status == .finished && run.labID == "is-ads-optional")
        #expect(try await reopened.events(runID: runID).count == 1)
        #expect(try await reopened.score(runID: runID)?.score == 85)
        #expect(try await reopened.bestScores(learnerName: "ada") == ["is-ads-optional": 85])
        try reopened.close()
    }

    @Test("a path that cannot be opened is named in the error")
    func unopenablePathIsNamed() throws {
        // Given a path whose "folder" is a regular file
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("labstore-file-\(UUID().uuidString)")
        try Data("not a folder".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let path = file.appendingPathComponent("chaoslab.sqlite").path

        // When the store is opened there
        // Then the error names the path
        do {
            _ = try LabStore(path: path)
            Issue.record("opening \(path) should have failed")
        } catch let LabStoreError.cannotOpen(failedPath, _) {
            #expect(failedPath == path)
        }
    }

    @Test("a file that is not a database is refused, naming the path")
    func notADatabaseIsRefused() throws {
        // Given a text file where the database should be
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("labstore-\(UUID().uuidString).sqlite")
        try Data(String(repeating: "this is not sqlite\n", count: 100).utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        // When the store opens it, then it throws cannotOpen with that path
        #expect {
            _ = try LabStore(path: file.path)
        } throws: { error in
            guard case let LabStoreError.cannotOpen(path, _) = error else { return false }
            return path == file.path && "\(error)".contains(file.path)
        }
    }
}
