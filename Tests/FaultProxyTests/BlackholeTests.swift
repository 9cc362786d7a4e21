import FaultProxy
import Testing

@Suite("Blackhole")
struct BlackholeTests {
    @Test("a new connection is accepted but gets no answer, and stays open")
    func newConnectionGetsNoAnswer() async throws {
        try await withEdge { proxy, _ in
            proxy.addFault(.blackhole, ttl: .seconds(30))
            let client = try await proxy.connectClient()
            try await client.send("GET / HTTP/1.1\r\n\r\n")
            await #expect(throws: TestClient.Timeout.self) {
                try await client.waitForBytes(1, within: .milliseconds(300))
            }
            #expect(!client.isFinished)
            #expect(proxy.openConnectionCount == 1)
        }
    }

    @Test("applies to an open connection; lifting it closes the connection that lost data")
    func liftingClosesConnectionThatLostData() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectClient()
            _ = try await client.roundTrip("before")

            let fault = proxy.addFault(.blackhole, ttl: .seconds(30))
            #expect(fault.id == "blackhole-1")
            try await client.send("swallowed")
            await #expect(throws: TestClient.Timeout.self) {
                try await client.waitForBytes(7, within: .milliseconds(300))
            }
            #expect(!client.isFinished)

            #expect(proxy.removeFault(id: fault.id))
            try await client.waitForEnd(within: .seconds(2))

            let fresh = try await proxy.connectClient()
            _ = try await fresh.roundTrip("after")
        }
    }

    @Test("a connection that lost nothing resumes when the blackhole is lifted")
    func idleConnectionResumes() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectClient()
            _ = try await client.roundTrip("before")
            let fault = proxy.addFault(.blackhole, ttl: .seconds(30))
            try await waitUntil(within: .seconds(1)) { proxy.activeFaults.count == 1 }
            proxy.removeFault(id: fault.id)
            _ = try await client.roundTrip("after")
            #expect(client.text == "beforeafter")
        }
    }

    @Test("refuse wins over blackhole")
    func refuseWinsOverBlackhole() async throws {
        try await withEdge { proxy, _ in
            proxy.addFault(.blackhole, ttl: .seconds(30))
            let client = try await proxy.connectClient()
            proxy.addFault(.refuse, ttl: .seconds(30))
            try await client.waitForEnd(within: .seconds(2))
            #expect(proxy.activeFaults.map(\.kind.name) == ["blackhole", "refuse"])
        }
    }
}
