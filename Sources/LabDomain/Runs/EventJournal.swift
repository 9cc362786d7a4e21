import Foundation
import LabEngine
import LabStore
import Logging
import NIOConcurrencyHelpers

/// Stores an exercise's events in the order they happen, through one writer, so that a
/// slow write never holds up the experiment and the run's timeline keeps its order. A write
/// that fails is logged, and `close` says how many were lost.
package struct EventJournal: Sendable {
    private let sink: AsyncStream<RunEvent>.Continuation
    private let writer: Task<Void, Never>
    private let failures: NIOLockedValueBox<(count: Int, first: String?)>

    package init(store: LabStore, runID: String, exerciseID: String, logger: Logger) {
        let (events, sink) = AsyncStream.makeStream(of: RunEvent.self)
        let failures = NIOLockedValueBox<(count: Int, first: String?)>((0, nil))
        self.sink = sink
        self.failures = failures
        self.writer = Task {
            for await event in events {
                do {
                    try await store.appendEvent(runID: runID, kind: event.kind, exerciseID: exerciseID, payload: try JSONEncoder().encode(event))
                } catch {
                    logger.error("could not store a run event", metadata: [
                        "run": "\(runID)", "exercise": "\(exerciseID)", "event": "\(event.kind)", "error": "\(error)",
                    ])
                    failures.withLockedValue { failures in
                        failures.count += 1
                        if failures.first == nil { failures.first = "\(error)" }
                    }
                }
            }
        }
    }

    package func record(_ event: RunEvent) {
        sink.yield(event)
    }

    /// Waits until every recorded event is stored; says how many could not be, and why, if any.
    package func close() async -> String? {
        sink.finish()
        await writer.value
        let (count, first) = failures.withLockedValue { $0 }
        guard count > 0 else { return nil }
        return "\(count) event\(count == 1 ? "" : "s") of the timeline could not be stored (\(first ?? "unknown error"))"
    }
}
