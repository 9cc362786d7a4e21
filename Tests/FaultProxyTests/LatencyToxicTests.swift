import NIOCore
import Testing

@testable import FaultProxy

@Suite("Toxic: latency")
struct LatencyToxicTests {
    // MARK: Virtual time

    @Test("each chunk is due `latency` after it arrived")
    func chunkDueAfterLatency() {
        var chain = ToxicChain.running([Toxic(kind: .latency(latency: 100, jitter: 0))])
        #expect(chain.receive("a", at: ms(0)).isEmpty)
        #expect(chain.nextDue == ms(100))
        #expect(chain.receive("b", at: ms(30)).isEmpty)
        #expect(chain.queuedBytes == 2)
        #expect(chain.takeDue(now: ms(99)).isEmpty)
        #expect(chain.takeDue(now: ms(100)).texts == ["a"])
        #expect(chain.nextDue == ms(130))
        #expect(chain.takeDue(now: ms(129)).isEmpty)
        #expect(chain.takeDue(now: ms(130)).texts == ["b"])
        #expect(chain.nextDue == nil)
        #expect(chain.queuedBytes == 0)
    }

    @Test("the end of stream follows the last chunk without a delay of its own")
    func endFollowsLastChunk() {
        var chain = ToxicChain.running([Toxic(kind: .latency(latency: 100, jitter: 0))])
        #expect(chain.receive(.end, now: ms(0)).texts == ["<end>"])  // nothing held: at once

        chain = ToxicChain.running([Toxic(kind: .latency(latency: 100, jitter: 0))])
        _ = chain.receive("a", at: ms(0))
        #expect(chain.receive(.end, now: ms(50)).isEmpty)
        #expect(chain.takeDue(now: ms(100)).texts == ["a", "<end>"])
    }

    @Test("jitter spreads delays uniformly over latency ± jitter, repeatably for a seed")
    func jitterWithinBounds() {
        var toxic = LatencyToxic(latency: .milliseconds(100), jitter: .milliseconds(50), rng: SplitMix64(seed: 7))
        var again = toxic
        let delays = (0..<1000).map { _ in toxic.delay() }
        #expect(delays.allSatisfy { $0 >= .milliseconds(50) && $0 <= .milliseconds(150) })
        #expect(delays.min()! < .milliseconds(55))
        #expect(delays.max()! > .milliseconds(145))
        let mean = delays.map(\.nanoseconds).reduce(0, +) / Int64(delays.count)
        #expect(abs(mean - 100_000_000) < 5_000_000)
        #expect((0..<1000).map { _ in again.delay() } == delays)
    }

    @Test("a jitter larger than the latency never makes a negative delay")
    func jitterNeverNegative() {
        var toxic = LatencyToxic(latency: .milliseconds(10), jitter: .milliseconds(50), rng: SplitMix64(seed: 3))
        let delays = (0..<1000).map { _ in toxic.delay() }
        #expect(delays.allSatisfy { $0 >= .zero && $0 <= .milliseconds(60) })
        #expect(delays.contains(.zero))
    }

    @Test("under jitter chunks keep their order and none leaves early")
    func jitterKeepsOrder() {
        var chain = ToxicChain.running([Toxic(kind: .latency(latency: 100, jitter: 80))], seed: 11)
        var out: [(String, Int64)] = []
        for t in Int64(0)...400 {
            if t < 100 { out += chain.receive("\(t),", at: ms(t)).map { ($0.text, t) } }
            out += chain.takeDue(now: ms(t)).map { ($0.text, t) }
        }
        #expect(out.map(\.0) == (0..<100).map { "\($0)," })
        var previous: Int64 = 0
        for (index, (_, sentAt)) in out.enumerated() {
            let arrived = Int64(index)
            #expect(sentAt >= arrived + 20)  // at least latency - jitter after it arrived
            #expect(sentAt <= max(arrived + 180, previous))  // at most latency + jitter, or with the one ahead
            previous = sentAt
        }
        // The jitter did matter: some chunk had to wait for the one ahead of it.
        #expect(out.indices.dropFirst().contains { out[$0].1 == out[$0 - 1].1 })
    }

    @Test("two latencies add up")
    func latenciesAddUp() {
        var chain = ToxicChain.running([
            Toxic(name: "first", kind: .latency(latency: 50, jitter: 0)),
            Toxic(name: "second", kind: .latency(latency: 30, jitter: 0)),
        ])
        #expect(chain.receive("x", at: ms(10)).isEmpty)
        #expect(chain.nextDue == ms(60))
        #expect(chain.takeDue(now: ms(60)).isEmpty)  // now in the second toxic
        #expect(chain.nextDue == ms(90))
        #expect(chain.takeDue(now: ms(90)).texts == ["x"])
    }

    @Test("removing a latency lets what it holds go on at once, in order")
    func removalReleases() {
        var chain = ToxicChain.running([Toxic(kind: .latency(latency: 10_000, jitter: 0))])
        _ = chain.receive("a", at: ms(0))
        _ = chain.receive("b", at: ms(1))
        let (output, close) = chain.reconfigure(to: [], now: ms(2))
        #expect(output.texts == ["a", "b"])
        #expect(!close)
        #expect(chain.isIdle)
        #expect(chain.queuedBytes == 0)
    }

    @Test("through a connection on virtual time: held until due, then the end")
    func pipelineOnVirtualTime() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .latency(latency: 200, jitter: 0)))
        #expect(try edge.fromUpstream("one") == "")
        edge.advance(ms: 100)
        #expect(try edge.fromUpstream("two") == "")
        edge.upstreamEnds()
        #expect(try edge.fromClient("up") == "up")  // downstream toxic: the client's data is free

        edge.advance(ms: 99)
        #expect(try edge.chunksToClient().isEmpty)
        edge.advance(ms: 1)
        #expect(try edge.chunksToClient() == ["one"])
        #expect(edge.client.isActive)
        edge.advance(ms: 100)
        #expect(try edge.chunksToClient() == ["two"])
        #expect(!edge.client.isActive)  // the end came right after "two" (embedded: a full close)
    }

    @Test("an upstream latency delays what the client sends, not what it receives")
    func upstreamOnVirtualTime() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .latency(latency: 50, jitter: 0), stream: .upstream))
        #expect(edge.proxy.toxics.map(\.toxic.name) == ["latency_upstream"])
        #expect(try edge.fromClient("request") == "")
        #expect(try edge.fromUpstream("response") == "response")
        edge.advance(ms: 49)
        #expect(try edge.toUpstream() == "")
        edge.advance(ms: 1)
        #expect(try edge.toUpstream() == "request")
    }

    // MARK: Real TCP

    @Test("100 ms on an open connection adds at least 100 ms to a round trip; removing it restores speed")
    func liveLatency() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .latency(latency: 100, jitter: 0)))
            let slow = try await client.roundTrips(3)
            #expect(slow.allSatisfy { $0 >= .milliseconds(100) })
            #expect(slow.min()! < .seconds(3))

            #expect(proxy.removeToxic(named: "latency_downstream"))
            // The best of several: on a loaded machine one round trip may wait for a core.
            #expect(try await client.bestRoundTrip(of: 10) < .milliseconds(100))
            #expect(client.bytes.count == 2 + 13 * 8)  // "hi" and thirteen 8-byte pings, none lost
        }
    }

    @Test("downstream latency delays the answer but not the request; upstream latency the request")
    func liveStreams() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .latency(latency: 500, jitter: 0)))
            var start = ContinuousClock.now
            try await client.send("down")
            try await echo.waitForBytes(2 + 4)
            #expect(ContinuousClock.now - start < .milliseconds(500))
            try await client.waitForBytes(2 + 4)
            #expect(ContinuousClock.now - start >= .milliseconds(500))
            proxy.removeAllToxics()

            try proxy.addToxic(Toxic(kind: .latency(latency: 500, jitter: 0), stream: .upstream))
            start = ContinuousClock.now
            try await client.send("up")
            try await echo.waitForBytes(2 + 4 + 2)
            #expect(ContinuousClock.now - start >= .milliseconds(500))
            try await client.waitForBytes(2 + 4 + 2)
            #expect(client.text == "hidownup")
        }
    }

    @Test("removing a latency delivers what it holds at once")
    func liveRemovalFlushes() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(name: "slow", kind: .latency(latency: 10_000, jitter: 0)))
            try await client.send("queued")
            try await echo.waitForBytes(2 + 6)  // echoed: now held by the proxy
            let start = ContinuousClock.now
            #expect(proxy.removeToxic(named: "slow"))
            try await client.waitForBytes(2 + 6, within: .seconds(5))
            #expect(ContinuousClock.now - start < .seconds(5))
            #expect(client.text == "hiqueued")
        }
    }
}
