import FaultProxy
import Testing

@Suite("Latency")
struct LatencyTests {
    @Test("a 200 ms latency delays the answer; without it the round trip is fast")
    func delaysAnswer() async throws {
        try await withEdge { proxy, _ in
            let direct = try await proxy.connectClient()
            #expect(try await direct.bestRoundTrip(of: 3) < .milliseconds(100))

            proxy.addFault(.latency(latency: .milliseconds(200), jitter: .zero), ttl: .seconds(30))
            let client = try await proxy.connectClient()
            let slow = try await client.roundTrips(2)
            #expect(slow.allSatisfy { $0 >= .milliseconds(200) })
            #expect(slow.min()! < .milliseconds(600))
        }
    }

    @Test("applies to an open connection, and removing it restores speed")
    func appliesToOpenConnection() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectClient()
            #expect(try await client.bestRoundTrip(of: 3) < .milliseconds(100))

            let fault = proxy.addFault(.latency(latency: .milliseconds(200), jitter: .milliseconds(20)), ttl: .seconds(30))
            let slow = try await client.roundTrips(2)
            #expect(slow.allSatisfy { $0 >= .milliseconds(180) })
            #expect(slow.min()! < .milliseconds(600))

            proxy.removeFault(id: fault.id)
            #expect(try await client.bestRoundTrip(of: 3) < .milliseconds(100))
            #expect(client.bytes.count == 8 * 8)  // eight 8-byte pings, none lost
        }
    }

    @Test("latencies add up; chunks keep their order and half-close comes last")
    func orderAndHalfClose() async throws {
        try await withEdge { proxy, _ in
            proxy.addFault(.latency(latency: .milliseconds(50), jitter: .milliseconds(40)), ttl: .seconds(30))
            proxy.addFault(.latency(latency: .milliseconds(50), jitter: .zero), ttl: .seconds(30))
            let client = try await proxy.connectClient()
            let start = ContinuousClock.now
            var expected = ""
            for index in 0..<50 {
                let line = "line \(index)\n"
                expected += line
                try await client.send(line)
            }
            try await client.halfClose()
            try await client.waitForEnd(within: .seconds(5))
            #expect(ContinuousClock.now - start >= .milliseconds(60))
            #expect(client.text == expected)
        }
    }

    @Test("removing the latency flushes what is queued")
    func removalFlushesQueue() async throws {
        try await withEdge { proxy, _ in
            let fault = proxy.addFault(.latency(latency: .seconds(10), jitter: .zero), ttl: .seconds(30))
            let client = try await proxy.connectClient()
            try await client.send("queued")
            await #expect(throws: TestClient.Timeout.self) {
                try await client.waitForBytes(6, within: .milliseconds(200))
            }
            proxy.removeFault(id: fault.id)
            try await client.waitForBytes(6, within: .seconds(1))
            #expect(client.text == "queued")
        }
    }
}

extension TestClient {
    /// Round-trip times of `count` pings, one after the other.
    func roundTrips(_ count: Int) async throws -> [Duration] {
        var times: [Duration] = []
        for index in 0..<count { times.append(try await self.roundTrip("ping\(index % 10)...")) }
        return times
    }

    /// The fastest of `count` round trips: robust against a busy machine.
    func bestRoundTrip(of count: Int) async throws -> Duration {
        try await self.roundTrips(count).min()!
    }
}
