import NIOCore

@testable import FaultProxy

extension FaultProxy {
    /// Waits until every open connection has applied the toxics published so far.
    ///
    /// Connections catch up with a toxic change on their event loop, by a queued task or
    /// when they next handle data; one that does neither before the next change skips the
    /// change in between (an add then a remove leaves it untouched). Tests that need a
    /// connection to have seen a toxic before it is removed wait here: a barrier task
    /// on each connection's loop, not a sleep.
    func connectionsCaughtUp() async throws {
        let handles = self.state.withLockedValue { Array($0.connections.values) }
        for handle in handles {
            await handle.refreshed()
        }
    }
}
