import NIOCore
import Testing

@testable import FaultProxy

@Suite("Toxic: noop")
struct NoopToxicTests {
    // MARK: Virtual time

    @Test("lets everything through at once")
    func passesEverything() {
        let noop = NoopToxic()
        for item in [ChainItem.data(ByteBuffer(string: "x")), .end, .close, .reset] {
            #expect(noop.receive(item, now: ms(7)) == [Emission(item: item, at: ms(7))])
        }
        var chain = ToxicChain.running([Toxic(kind: .noop)])
        #expect(!chain.isIdle)
        #expect(chain.receive("a", at: ms(0)).texts == ["a"])
        #expect(chain.receive(.end, now: ms(0)).texts == ["<end>"])
        #expect(chain.nextDue == nil)
        #expect(chain.queuedBytes == 0)
        let (output, close) = chain.reconfigure(to: [], now: ms(1))
        #expect(output.isEmpty && !close)
        #expect(chain.isIdle)
    }

    @Test("through a connection on virtual time, both ways")
    func pipelineOnVirtualTime() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .noop))
        try edge.proxy.addToxic(Toxic(kind: .noop, stream: .upstream))
        #expect(try edge.fromClient("request") == "request")
        #expect(try edge.fromUpstream("response") == "response")
        #expect(edge.connection.clientSide.chain.stages.map(\.name) == ["noop_upstream"])
        #expect(edge.connection.upstreamSide.chain.stages.map(\.name) == ["noop_downstream"])
        #expect(edge.isOpen)
    }

    // MARK: Real TCP

    @Test("on an open connection it changes nothing, even for a megabyte with half-close")
    func liveNoop() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .noop))
            try proxy.addToxic(Toxic(kind: .noop, stream: .upstream))
            #expect(try await client.bestRoundTrip(of: 3) < .milliseconds(500))
            let payload = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try await client.send(payload)
            try await client.halfClose()
            try await client.waitForEnd(within: .seconds(10))
            #expect(client.bytes.count == 2 + 3 * 8 + payload.count)
            #expect(Array(client.bytes.suffix(payload.count)) == payload)
        }
    }
}
