import NIOCore
import Testing

@testable import FaultProxy

@Suite("Toxic: timeout")
struct TimeoutToxicTests {
    // MARK: Virtual time

    @Test("timeout 0 drops all data and never closes")
    func zeroNeverCloses() {
        var chain = ToxicChain.running([Toxic(kind: .timeout(timeout: 0))])
        #expect(chain.nextDue == nil)
        #expect(chain.receive("lost", at: ms(0)).isEmpty)
        #expect(chain.queuedBytes == 0)  // dropped, not held
        #expect(chain.takeDue(now: ms(3_600_000)).isEmpty)
        #expect(chain.receive(.end, now: ms(3_600_000)).texts == ["<end>"])
    }

    @Test("timeout 200 closes 200 ms after the toxic began acting when no data arrives")
    func closesAfterTimeout() {
        var chain = ToxicChain.running([Toxic(kind: .timeout(timeout: 200))], at: ms(1000))
        #expect(chain.nextDue == ms(1200))
        #expect(chain.takeDue(now: ms(1199)).isEmpty)
        #expect(chain.takeDue(now: ms(1200)).texts == ["<close>"])
    }

    @Test("each dropped chunk restarts the timer, as Toxiproxy's loop does; an end closes at once")
    func dataRestartsTimer() {
        var chain = ToxicChain.running([Toxic(kind: .timeout(timeout: 200))], at: ms(1000))
        #expect(chain.receive("lost", at: ms(1100)).isEmpty)
        #expect(chain.nextDue == ms(1300))
        #expect(chain.takeDue(now: ms(1200)).isEmpty)
        #expect(chain.receive("lost again", at: ms(1250)).isEmpty)
        #expect(chain.takeDue(now: ms(1449)).isEmpty)
        #expect(chain.takeDue(now: ms(1450)).texts == ["<close>"])

        chain = ToxicChain.running([Toxic(kind: .timeout(timeout: 200))], at: ms(0))
        #expect(chain.receive(.end, now: ms(50)).texts == ["<end>"], "the end is not held behind the timer")
    }

    @Test("removing it closes the connection; removing one the toxicity draw left out does not")
    func removalCloses() {
        var chain = ToxicChain.running([Toxic(kind: .timeout(timeout: 0))])
        _ = chain.receive("lost", at: ms(0))
        var result = chain.reconfigure(to: [], now: ms(10))
        #expect(result.close)
        #expect(result.output.allSatisfy { $0.byteCount == 0 })

        chain = ToxicChain.running([Toxic(kind: .timeout(timeout: 0), toxicity: 0)])
        #expect(chain.receive("kept", at: ms(0)).texts == ["kept"])
        result = chain.reconfigure(to: [], now: ms(10))
        #expect(!result.close)
    }

    @Test("updating it restarts the timer instead of closing the connection")
    func updateRestartsTimer() {
        let toxic = Toxic(kind: .timeout(timeout: 200))
        var chain = ToxicChain.running([toxic])
        var updated = toxic
        updated.kind = .timeout(timeout: 500)
        let (output, close) = chain.reconfigure(to: [ToxicSetting(toxic: updated, version: 2)], now: ms(100))
        #expect(output.isEmpty)
        #expect(!close)
        #expect(chain.nextDue == ms(600))
        #expect(chain.takeDue(now: ms(200)).isEmpty)
        #expect(chain.takeDue(now: ms(600)).texts == ["<close>"])

        // Updated to 0: it never closes by itself any more.
        updated.kind = .timeout(timeout: 0)
        chain = ToxicChain.running([toxic])
        let zero = chain.reconfigure(to: [ToxicSetting(toxic: updated, version: 2)], now: ms(100))
        #expect(zero.output.isEmpty && !zero.close)
        #expect(chain.nextDue == nil)
    }

    @Test("through a connection on virtual time: data dropped, removal closes")
    func pipelineZero() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .timeout(timeout: 0)))
        #expect(try edge.fromUpstream("lost") == "")
        #expect(try edge.fromClient("request") == "request")
        edge.advance(ms: 3_600_000)
        #expect(edge.isOpen)
        #expect(edge.proxy.removeToxic(named: "timeout_downstream"))
        edge.loop.run()
        #expect(!edge.isOpen)
        #expect(try edge.toClient() == "")
    }

    @Test("through a connection on virtual time: timeout 200 closes at 200 ms")
    func pipelineTimeout() throws {
        let edge = try EmbeddedEdge()
        edge.advance(ms: 1000)
        try edge.proxy.addToxic(Toxic(kind: .timeout(timeout: 200), stream: .upstream))
        edge.loop.run()
        #expect(try edge.fromClient("lost") == "")
        edge.advance(ms: 199)
        #expect(edge.isOpen)
        edge.advance(ms: 1)
        #expect(!edge.isOpen)
    }

    @Test("through a connection on virtual time: updateToxic restarts the timer")
    func pipelineUpdate() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .timeout(timeout: 200)))
        edge.loop.run()
        edge.advance(ms: 100)
        try edge.proxy.updateToxic(named: "timeout_downstream", kind: .timeout(timeout: 500), toxicity: 1)
        edge.loop.run()
        #expect(edge.isOpen)
        edge.advance(ms: 499)
        #expect(edge.isOpen)
        edge.advance(ms: 1)
        #expect(!edge.isOpen)
    }

    // MARK: Real TCP

    @Test("timeout 0 on an open connection swallows data; removing it closes the connection")
    func liveZero() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .timeout(timeout: 0)))
            try await client.send("swallowed")
            try await echo.waitForBytes(2 + 9)  // the upstream got it and answered
            #expect(!client.isFinished)
            #expect(proxy.openConnectionCount == 1)

            #expect(proxy.removeToxic(named: "timeout_downstream"))
            try await client.waitForEnd(within: .seconds(5))
            #expect(client.text == "hi")  // the answer was dropped, not held
            try await waitUntil(within: .seconds(5), "connection gone") { proxy.openConnectionCount == 0 }

            let fresh = try await proxy.connectClient()
            _ = try await fresh.roundTrip("after")
        }
    }

    @Test("timeout 200 on an idle open connection closes it after 200 ms")
    func liveTimeout() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectedClient()
            let start = ContinuousClock.now
            try proxy.addToxic(Toxic(kind: .timeout(timeout: 200)))
            try await client.waitForEnd(within: .seconds(5))
            let ended = try #require(client.snapshot.endedAt)
            #expect(ended - start >= .milliseconds(200))
            #expect(ended - start < .seconds(3))
            #expect(client.text == "hi")
        }
    }

    @Test("a blackhole swallows data both ways; lifting it closes the connection")
    func liveBlackhole() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            let fault = try await proxy.addFault(.blackhole, ttl: .seconds(30))
            #expect(fault.id == "blackhole-1")
            #expect(proxy.toxics.map(\.toxic.name) == ["blackhole-1-upstream", "blackhole-1-downstream"])
            #expect(proxy.toxics.allSatisfy { $0.toxic.kind == .timeout(timeout: 0) })
            // The connection must have seen the blackhole for lifting it to close it.
            try await proxy.connectionsCaughtUp()
            try await client.send("swallowed")
            #expect(!client.isFinished)

            #expect(await proxy.removeFault(id: fault.id))
            try await client.waitForEnd(within: .seconds(5))
            #expect(echo.receivedBytes == 2)  // dropped on the way up, not held
            #expect(client.text == "hi")
        }
    }
}
