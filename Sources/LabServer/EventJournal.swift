import Foundation
import LabEngine
import LabStore

/// Stores an exercise's events in the order they happen, through one writer, so that a
/// slow write never holds up the experiment and the run's timeline keeps its order.
struct EventJournal: Sendable {
    private let sink: AsyncStream<RunEvent>.Continuation
    private let writer: Task<Void, Never>

    init(store: LabStore, runID: String, exerciseID: String) {
        let (events, sink) = AsyncStream.makeStream(of: RunEvent.self)
        self.sink = sink
        self.writer = Task {
            for await event in events {
                let payload = (try? JSONEncoder().encode(event)) ?? Data()
                _ = try? await store.appendEvent(runID: runID, kind: event.kind, exerciseID: exerciseID, payload: payload)
            }
        }
    }

    func record(_ event: RunEvent) {
        sink.yield(event)
    }

    /// Waits until every recorded event is stored.
    func close() async {
        sink.finish()
        await writer.value
    }
}
