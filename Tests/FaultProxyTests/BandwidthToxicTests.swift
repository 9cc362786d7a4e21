import NIOCore
import Testing

@testable import FaultProxy

@Suite("Toxic: bandwidth")
struct BandwidthToxicTests {
    // MARK: Virtual time

    @Test("rate 10 is 10 000 bytes/s, sent in 100 ms pieces of 1000 bytes")
    func piecesOf100Milliseconds() {
        var chain = ToxicChain.running([Toxic(kind: .bandwidth(rate: 10))])
        let payload = digits(2500)
        #expect(chain.receive(payload, at: ms(0)).isEmpty)
        #expect(chain.nextDue == ms(100))
        #expect(chain.takeDue(now: ms(99)).isEmpty)
        let first = chain.takeDue(now: ms(100))
        #expect(first.map(\.byteCount) == [1000])
        #expect(chain.nextDue == ms(200))
        let second = chain.takeDue(now: ms(200))
        #expect(second.map(\.byteCount) == [1000])
        #expect(chain.nextDue == ms(250))  // the last 500 bytes take 50 ms
        #expect(chain.takeDue(now: ms(249)).isEmpty)
        let third = chain.takeDue(now: ms(250))
        #expect(third.map(\.byteCount) == [500])
        #expect((first + second + third).texts.joined() == payload)
        #expect(chain.nextDue == nil)
    }

    @Test("a KB is 1000 bytes: rate 1 sends 100 bytes every 100 ms")
    func kilobyteIs1000Bytes() {
        var chain = ToxicChain.running([Toxic(kind: .bandwidth(rate: 1))])
        _ = chain.receive(digits(250), at: ms(0))
        #expect(chain.takeDue(now: ms(100)).map(\.byteCount) == [100])
        #expect(chain.takeDue(now: ms(200)).map(\.byteCount) == [100])
        #expect(chain.takeDue(now: ms(250)).map(\.byteCount) == [50])
        #expect(BandwidthToxic(bytesPerSecond: 10_000).transmissionTime(1) == .microseconds(100))
    }

    @Test("chunks queue behind each other; idle time gives no credit")
    func busyTimeAccumulates() {
        var chain = ToxicChain.running([Toxic(kind: .bandwidth(rate: 10))])
        _ = chain.receive(digits(500), at: ms(0))
        _ = chain.receive(digits(500), at: ms(10))
        #expect(chain.nextDue == ms(50))
        #expect(chain.takeDue(now: ms(50)).map(\.byteCount) == [500])
        #expect(chain.nextDue == ms(100))  // the second waited for the first
        #expect(chain.takeDue(now: ms(100)).map(\.byteCount) == [500])
        _ = chain.receive(digits(100), at: ms(1000))
        #expect(chain.nextDue == ms(1010))
    }

    @Test("the end of stream goes out with the last piece")
    func endAfterData() {
        var chain = ToxicChain.running([Toxic(kind: .bandwidth(rate: 10))])
        _ = chain.receive(digits(1000), at: ms(0))
        #expect(chain.receive(.end, now: ms(1)).isEmpty)
        #expect(chain.takeDue(now: ms(100)).texts == [digits(1000), "<end>"])
    }

    @Test("above the high-water mark the chain asks the handler to stop reading")
    func backpressure() {
        var chain = ToxicChain.running([Toxic(kind: .bandwidth(rate: 1))])
        _ = chain.receive(.data(ByteBuffer(repeating: 0, count: ToxicChain.highWaterMark - 1)), now: ms(0))
        #expect(chain.acceptsMore)
        _ = chain.receive("x", at: ms(0))
        #expect(!chain.acceptsMore)
        _ = chain.takeDue(now: ms(100))
        #expect(chain.acceptsMore)
    }

    @Test("through a connection on virtual time")
    func pipelineOnVirtualTime() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .bandwidth(rate: 1)))
        #expect(try edge.fromUpstream(digits(250)) == "")
        edge.advance(ms: 99)
        #expect(try edge.toClient() == "")
        edge.advance(ms: 1)
        #expect(try edge.chunksToClient() == [digits(100)])
        edge.advance(ms: 100)
        #expect(try edge.chunksToClient().map(\.count) == [100])
        edge.advance(ms: 50)
        #expect(try edge.chunksToClient().map(\.count) == [50])
        #expect(edge.proxy.stats.downstreamBytes == 250)
    }

    // MARK: Real TCP

    @Test("rate 10 on an open connection takes about N/10000 s for N bytes; removing it restores speed")
    func liveBandwidth() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .bandwidth(rate: 10)))
            let payload = Array(repeating: UInt8(ascii: "b"), count: 5000)
            let start = ContinuousClock.now
            try await client.send(payload)
            try await echo.waitForBytes(2 + 5000)
            try await client.waitForBytes(2 + 5000, within: .seconds(10))
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(500))
            #expect(elapsed < .seconds(5))
            #expect(client.reads >= 1 + 3)  // a trickle of 1000-byte pieces, not one read

            proxy.removeAllToxics()
            let fast = ContinuousClock.now
            try await client.send(payload + payload)  // 1 s at rate 10
            try await client.waitForBytes(2 + 15_000)
            #expect(ContinuousClock.now - fast < .milliseconds(1000))
        }
    }

    @Test("an upstream bandwidth limits what reaches the server")
    func liveUpstream() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .bandwidth(rate: 10), stream: .upstream))
            let start = ContinuousClock.now
            try await client.send(Array(repeating: UInt8(ascii: "u"), count: 3000))
            try await echo.waitForBytes(2 + 3000)
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(300))
            #expect(elapsed < .seconds(5))
            try await client.waitForBytes(2 + 3000)
        }
    }
}
