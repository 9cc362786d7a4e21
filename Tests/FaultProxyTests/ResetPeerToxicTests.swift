import NIOCore
import Testing

@testable import FaultProxy

@Suite("Toxic: reset_peer")
struct ResetPeerToxicTests {
    // MARK: Virtual time

    @Test("timeout 0: the first data is dropped and the connection reset at once")
    func resetAtOnce() {
        var chain = ToxicChain.running([Toxic(kind: .resetPeer(timeout: 0))])
        #expect(chain.receive("first", at: ms(0)).texts == ["<reset>"])
        #expect(chain.receive("second", at: ms(0)).isEmpty)
    }

    @Test("timeout 300: the reset comes 300 ms after the first data; nothing gets through")
    func resetAfterTimeout() {
        var chain = ToxicChain.running([Toxic(kind: .resetPeer(timeout: 300))])
        #expect(chain.nextDue == nil)  // armed by data, not by its start
        #expect(chain.receive("first", at: ms(100)).isEmpty)
        #expect(chain.nextDue == ms(400))
        #expect(chain.receive("second", at: ms(200)).isEmpty)
        #expect(chain.queuedBytes == 0)
        #expect(chain.takeDue(now: ms(399)).isEmpty)
        #expect(chain.takeDue(now: ms(400)).texts == ["<reset>"])
        #expect(chain.nextDue == nil)
    }

    @Test("the end of stream arms it too, as any input does in Toxiproxy")
    func endArmsIt() {
        var toxic = ResetPeerToxic(timeout: .milliseconds(50))
        #expect(toxic.receive(.end, now: ms(10)) == [Emission(item: .reset, at: ms(60))])
        #expect(toxic.receive(.data(ByteBuffer(string: "x")), now: ms(20)).isEmpty)
    }

    @Test("removing or updating it drops the pending reset")
    func removalDropsReset() {
        var chain = ToxicChain.running([Toxic(kind: .resetPeer(timeout: 300))])
        _ = chain.receive("first", at: ms(0))
        var result = chain.reconfigure(to: [], now: ms(10))
        #expect(result.output.isEmpty)
        #expect(!result.close)
        #expect(chain.nextDue == nil)

        let toxic = Toxic(kind: .resetPeer(timeout: 300))
        chain = ToxicChain.running([toxic])
        _ = chain.receive("first", at: ms(0))
        var updated = toxic
        updated.kind = .resetPeer(timeout: 1000)
        result = chain.reconfigure(to: [ToxicSetting(toxic: updated, version: 2)], now: ms(10))
        #expect(result.output.isEmpty)
        #expect(chain.nextDue == nil)  // re-armed by the next data only
        _ = chain.receive("again", at: ms(20))
        #expect(chain.nextDue == ms(1020))
    }

    @Test("through a connection on virtual time: both sides close at the due time")
    func pipelineOnVirtualTime() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .resetPeer(timeout: 250), stream: .upstream))
        #expect(try edge.fromClient("request") == "")
        edge.advance(ms: 249)
        #expect(edge.isOpen)
        edge.advance(ms: 1)
        #expect(!edge.client.isActive)
        #expect(!edge.upstream.isActive)
        #expect(try edge.toUpstream() == "")
    }

    // MARK: Real TCP

    @Test("on an open connection the client reads ECONNRESET")
    func liveReset() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .resetPeer(timeout: 0)))
            try await client.send("boom")
            try await echo.waitForBytes(2 + 4)
            try await client.waitForEnd(within: .seconds(5))
            #expect(client.wasReset, "errors: \(client.snapshot.errors)")
            #expect(client.text == "hi")
        }
    }

    @Test("an upstream reset_peer with a timeout resets the connection that much later, and the server gets nothing")
    func liveResetAfterTimeout() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .resetPeer(timeout: 300), stream: .upstream))
            let start = ContinuousClock.now
            try await client.send("boom")
            try await client.waitForEnd(within: .seconds(5))
            let ended = try #require(client.snapshot.endedAt)
            #expect(ended - start >= .milliseconds(300))
            #expect(ended - start < .seconds(4))
            #expect(client.wasReset, "errors: \(client.snapshot.errors)")
            #expect(echo.receivedBytes == 2)
        }
    }
}
