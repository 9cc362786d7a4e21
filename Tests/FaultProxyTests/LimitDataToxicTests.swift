import NIOCore
import Testing

@testable import FaultProxy

@Suite("Toxic: limit_data")
struct LimitDataToxicTests {
    // MARK: Virtual time

    @Test("lets `bytes` through across chunks, then closes")
    func limitAcrossChunks() {
        var chain = ToxicChain.running([Toxic(kind: .limitData(bytes: 10))])
        #expect(chain.receive("abcdef", at: ms(0)).texts == ["abcdef"])
        #expect(chain.receive("ghijkl", at: ms(1)).texts == ["ghij", "<close>"])
        #expect(chain.receive("mnop", at: ms(2)).texts == ["<close>"])  // nothing more gets through
    }

    @Test("a chunk that reaches the limit exactly closes right after it")
    func exactLimit() {
        var chain = ToxicChain.running([Toxic(kind: .limitData(bytes: 10))])
        #expect(chain.receive(digits(10), at: ms(0)).texts == [digits(10), "<close>"])
    }

    @Test("bytes 0 closes on the first data; the end of stream passes")
    func zeroBytes() {
        var chain = ToxicChain.running([Toxic(kind: .limitData(bytes: 0))])
        #expect(chain.receive(.end, now: ms(0)).texts == ["<end>"])
        chain = ToxicChain.running([Toxic(kind: .limitData(bytes: 0))])
        #expect(chain.receive("x", at: ms(0)).texts == ["<close>"])
    }

    @Test("an update keeps the count of bytes already passed, as Toxiproxy does")
    func updateKeepsCount() {
        let toxic = Toxic(kind: .limitData(bytes: 10))
        var chain = ToxicChain.running([toxic])
        _ = chain.receive("abcdef", at: ms(0))
        var updated = toxic
        updated.kind = .limitData(bytes: 8)
        _ = chain.reconfigure(to: [ToxicSetting(toxic: updated, version: 2)], now: ms(1))
        #expect(chain.receive("ghij", at: ms(2)).texts == ["gh", "<close>"])
    }

    @Test("through a connection on virtual time: the upstream gets exactly the limit, then the connection closes")
    func pipelineOnVirtualTime() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .limitData(bytes: 5), stream: .upstream))
        #expect(try edge.fromClient("hello world") == "hello")
        edge.loop.run()
        #expect(!edge.isOpen)
        #expect(edge.proxy.stats.upstreamBytes == 11)  // counted as read from the client
    }

    // MARK: Real TCP

    @Test("limit 10 on an open connection delivers exactly 10 bytes, then EOF")
    func liveLimit() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .limitData(bytes: 10)))
            try await client.send("0123456789abcdefghij")
            try await echo.waitForBytes(2 + 20)
            try await client.waitForEnd(within: .seconds(5))
            #expect(client.text == "hi0123456789")
            #expect(!client.wasReset)
        }
    }
}
