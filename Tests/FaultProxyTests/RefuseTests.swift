import FaultProxy
import Testing

@Suite("Refuse")
struct RefuseTests {
    @Test("a new connection is closed at once")
    func newConnectionClosed() async throws {
        try await withEdge { proxy, _ in
            proxy.addFault(.refuse, ttl: .seconds(30))
            let client = try await proxy.connectClient()
            try await client.waitForEnd(within: .milliseconds(500))
            #expect(client.bytes.isEmpty)
        }
    }

    @Test("an open connection is closed when refuse is applied; after removal new ones work")
    func openConnectionClosedThenRecovers() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectClient()
            _ = try await client.roundTrip("hello")

            let fault = proxy.addFault(.refuse, ttl: .seconds(30))
            try await client.waitForEnd(within: .seconds(1))
            try await waitUntil(within: .seconds(1), "no open connections") { proxy.openConnectionCount == 0 }

            #expect(proxy.removeFault(id: fault.id))
            #expect(proxy.activeFaults.isEmpty)
            let fresh = try await proxy.connectClient()
            _ = try await fresh.roundTrip("again")
        }
    }
}
