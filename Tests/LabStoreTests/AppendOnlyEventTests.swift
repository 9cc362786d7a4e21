import GRDB
import Testing
@testable import LabStore

@Suite("Events are append-only")
struct AppendOnlyEventTests {
    @Test("events come back in the order they were appended, with increasing ids")
    func eventsKeepTheirOrder() async throws {
        // Given a run
        let (store, run) = try await storeWithStartedRun()

        // When three events are appended
        var appended: [EventRecord] = []
        for kind in ["a", "b", "c"] {
            appended.append(try await store.appendEvent(runID: run.id, kind: kind, exerciseID: nil, payload: json("{}")))
        }

        // Then the journal holds them in order, ids increasing
        let events = try await store.events(runID: run.id)
        #expect(events == appended)
        #expect(events.map(\.id) == events.map(\.id).sorted())
    }

    @Test("an UPDATE of an event through raw SQL is aborted")
    func updateIsAborted() async throws {
        // Given a run with one event
        let (store, run) = try await storeWithStartedRun()
        try await store.appendEvent(runID: run.id, kind: "attack-started", exerciseID: nil, payload: json("{}"))

        // When raw SQL tries to rewrite history
        let error = await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in try db.execute(sql: "UPDATE events SET kind = 'nothing-happened'") }
        }

        // Then the trigger aborts it and the event is untouched
        #expect(error?.message?.contains("append-only") == true)
        #expect(try await store.events(runID: run.id).map(\.kind) == ["attack-started"])
    }

    @Test("a DELETE of an event through raw SQL is aborted")
    func deleteIsAborted() async throws {
        // Given a run with one event
        let (store, run) = try await storeWithStartedRun()
        try await store.appendEvent(runID: run.id, kind: "attack-started", exerciseID: nil, payload: json("{}"))

        // When raw SQL tries to erase it
        let error = await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in try db.execute(sql: "DELETE FROM events") }
        }

        // Then the trigger aborts it and the event is still there
        #expect(error?.message?.contains("append-only") == true)
        #expect(try await store.events(runID: run.id).count == 1)
    }

    @Test("payloads are stored as JSON text, and non-JSON is refused")
    func payloadMustBeJSON() async throws {
        // Given a run with one event
        let (store, run) = try await storeWithStartedRun()
        try await store.appendEvent(runID: run.id, kind: "k", exerciseID: nil, payload: json(#"{"a":1}"#))

        // Then its payload is SQL text that SQLite's JSON functions read
        let a = try await store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT json_extract(payload, '$.a') FROM events WHERE typeof(payload) = 'text'")
        }
        #expect(a == 1)
        // And a payload that is not JSON is refused, naming the column
        await #expect(throws: LabStoreError.invalidJSON(column: "payload")) {
            try await store.appendEvent(runID: run.id, kind: "k", exerciseID: nil, payload: json("not json"))
        }
    }
}
