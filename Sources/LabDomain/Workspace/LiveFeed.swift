import Foundation
import LabEngine
import NIOConcurrencyHelpers

/// What happens in one workspace, pushed to everyone watching it (a team's pages): each
/// engine event of a status check, an attack or a scenario as it happens, and a nudge
/// whenever something else changed (a run started, a hypothesis, a note, a halt).
/// Subscribers that fall behind lose the oldest messages, never block the publisher.
package final class LiveFeed: Sendable {
    package enum Message: Sendable {
        /// An engine event of run `run`.
        case event(run: String, RunEvent)
        /// Something the state shows changed; the text says what (for reading the code and debugging).
        case changed(String)
    }

    private struct State {
        var subscribers: [UUID: AsyncStream<Message>.Continuation] = [:]
        var closed = false
        var version = 0
    }

    private let state = NIOLockedValueBox(State())

    /// Counts what was published: a state built at one version is stale at the next.
    package var version: Int { state.withLockedValue { $0.version } }

    package func publish(_ message: Message) {
        for subscriber in state.withLockedValue({ state in state.version += 1; return Array(state.subscribers.values) }) {
            subscriber.yield(message)
        }
    }

    /// A stream of what is published from now on, until `unsubscribe(id)` or `close()`.
    package func subscribe() -> (id: UUID, messages: AsyncStream<Message>) {
        let id = UUID()
        let (messages, continuation) = AsyncStream.makeStream(of: Message.self, bufferingPolicy: .bufferingNewest(512))
        let closed = state.withLockedValue { state in
            if !state.closed { state.subscribers[id] = continuation }
            return state.closed
        }
        if closed { continuation.finish() }
        return (id, messages)
    }

    package func unsubscribe(_ id: UUID) {
        state.withLockedValue { $0.subscribers.removeValue(forKey: id) }?.finish()
    }

    /// Ends every subscription, and every later one at once (the workspace is going away).
    package func close() {
        let all = state.withLockedValue { state in
            state.closed = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in all { subscriber.finish() }
    }
}

/// The encoded state of a workspace, shared by every page watching it: built again when the
/// feed has published since (a change the server knows of), or when it is older than
/// `maxAge` (a change it does not: a fault through the Toxiproxy API, a service restarting).
package final class SharedState: Sendable {
    private let cached = NIOLockedValueBox<(version: Int, at: ContinuousClock.Instant, data: Data)?>(nil)
    package let maxAge: Duration

    package init(maxAge: Duration = .seconds(1)) {
        self.maxAge = maxAge
    }

    package func value(version: Int, build: () async throws -> Data) async rethrows -> Data {
        let now = ContinuousClock.now
        if let hit = cached.withLockedValue({ $0 }), hit.version == version, now - hit.at < maxAge {
            return hit.data
        }
        let data = try await build()
        cached.withLockedValue { $0 = (version, now, data) }
        return data
    }
}
