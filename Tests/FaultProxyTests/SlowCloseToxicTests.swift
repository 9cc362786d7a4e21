import NIOCore
import Testing

@testable import FaultProxy

@Suite("Toxic: slow_close")
struct SlowCloseToxicTests {
    // MARK: Virtual time

    @Test("data passes at once; the end of stream and a close wait `delay` ms")
    func holdsOnlyTheClose() {
        var chain = ToxicChain.running([Toxic(kind: .slowClose(delay: 300))])
        #expect(chain.receive("data", at: ms(0)).texts == ["data"])
        #expect(chain.receive(.end, now: ms(10)).isEmpty)
        #expect(chain.nextDue == ms(310))
        #expect(chain.takeDue(now: ms(309)).isEmpty)
        #expect(chain.takeDue(now: ms(310)).texts == ["<end>"])

        let close = SlowCloseToxic(delay: .milliseconds(300))
        #expect(close.receive(.close, now: ms(5)) == [Emission(item: .close, at: ms(305))])
        #expect(close.receive(.reset, now: ms(5)) == [Emission(item: .reset, at: ms(5))])
    }

    @Test("a close let out by an earlier toxic is delayed too")
    func delaysLimitDataClose() {
        var chain = ToxicChain.running([
            Toxic(kind: .limitData(bytes: 4)),
            Toxic(kind: .slowClose(delay: 100)),
        ])
        #expect(chain.receive("abcdef", at: ms(0)).texts == ["abcd"])
        #expect(chain.takeDue(now: ms(100)).texts == ["<close>"])
    }

    @Test("removing it lets the held end go on at once")
    func removalReleasesEnd() {
        var chain = ToxicChain.running([Toxic(kind: .slowClose(delay: 10_000))])
        _ = chain.receive(.end, now: ms(0))
        let (output, close) = chain.reconfigure(to: [], now: ms(50))
        #expect(output.texts == ["<end>"])
        #expect(!close)
    }

    @Test("through a connection on virtual time: the client sees the data at once and the end late")
    func pipelineOnVirtualTime() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .slowClose(delay: 500)))
        #expect(try edge.fromUpstream("bye") == "bye")
        edge.upstreamEnds()
        edge.advance(ms: 499)
        #expect(edge.client.isActive)
        edge.advance(ms: 1)
        #expect(!edge.client.isActive)
    }

    // MARK: Real TCP

    @Test("on an open connection the client sees the end of stream `delay` ms late (1 s)")
    func liveSlowClose() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .slowClose(delay: 1000)))
            try await client.send("bye")
            try await client.waitForBytes(2 + 3)
            let start = ContinuousClock.now
            try await client.halfClose()  // the echo server answers with its end at once
            try await client.waitForEnd(within: .seconds(5))
            let ended = try #require(client.snapshot.endedAt)
            #expect(ended - start >= .milliseconds(1000))
            #expect(ended - start < .seconds(5))
            #expect(client.text == "hibye")
        }
    }

    @Test("without it the end comes at once")
    func liveBaseline() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectedClient()
            let start = ContinuousClock.now
            try await client.halfClose()
            try await client.waitForEnd(within: .seconds(5))
            #expect(try #require(client.snapshot.endedAt) - start < .milliseconds(1000))
        }
    }
}
