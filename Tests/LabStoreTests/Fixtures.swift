import Foundation
@testable import LabStore

/// A clock that moves one second forward each time it is read, so that
/// "newest" and "oldest" never tie in a test.
final class SteppingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var next = Date(timeIntervalSince1970: 1_800_000_000)

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        let current = next
        next += 1
        return current
    }
}

/// JSON text as the caller would have encoded it.
func json(_ text: String) -> Data { Data(text.utf8) }

/// A fresh in-memory store on a stepping clock.
func inMemoryStore() throws -> LabStore {
    let clock = SteppingClock()
    return try LabStore.inMemory(now: { clock.now() })
}

/// A fresh in-memory store with one running run of "is-ads-optional" by "ada".
func storeWithStartedRun() async throws -> (LabStore, RunRecord) {
    let store = try inMemoryStore()
    let run = try await store.startRun(labID: "is-ads-optional", learnerName: "ada", quick: false)
    return (store, run)
}

/// A path in a new temporary folder (the folder itself is not created).
func temporaryStorePath() -> String {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("labstore-tests-\(UUID().uuidString)")
        .appendingPathComponent("nested")
        .appendingPathComponent("chaoslab.sqlite").path
}
