import NIOCore
import Testing

@testable import FaultProxy

@Suite("Toxic: slicer")
struct SlicerToxicTests {
    // MARK: Virtual time

    @Test("cuts a chunk into average_size pieces `delay` µs apart, the first at once")
    func fixedSizePieces() {
        var chain = ToxicChain.running([Toxic(kind: .slicer(averageSize: 10, sizeVariation: 0, delay: 1000))])
        let payload = digits(35)
        let first = chain.receive(payload, at: ms(0))
        #expect(first.map(\.byteCount) == [10])
        #expect(chain.nextDue == micros(1000))
        #expect(chain.takeDue(now: micros(999)).isEmpty)
        let second = chain.takeDue(now: micros(1000))
        let third = chain.takeDue(now: micros(2000))
        let last = chain.takeDue(now: micros(3000))
        #expect([second, third, last].map { $0.map(\.byteCount) } == [[10], [10], [5]])
        #expect((first + second + third + last).texts.joined() == payload)
        #expect(chain.nextDue == nil)
    }

    @Test("sizes stay within average_size ± size_variation, add up, and repeat for a seed")
    func sizesWithinVariation() {
        var slicer = SlicerToxic(averageSize: 10, sizeVariation: 3, delay: .zero, rng: SplitMix64(seed: 5))
        var again = slicer
        let sizes = slicer.pieceSizes(total: 1000)
        #expect(sizes.reduce(0, +) == 1000)
        #expect(sizes.dropLast().allSatisfy { (7...13).contains($0) })
        #expect((1...13).contains(sizes.last!))
        #expect(Set(sizes.dropLast()).count > 3)  // it does vary
        #expect(again.pieceSizes(total: 1000) == sizes)
    }

    @Test("a chunk within average_size + size_variation passes whole")
    func smallChunkWhole() {
        var chain = ToxicChain.running([Toxic(kind: .slicer(averageSize: 10, sizeVariation: 3, delay: 1000))])
        #expect(chain.receive(digits(13), at: ms(0)).map(\.byteCount) == [13])
        #expect(chain.nextDue == nil)
    }

    @Test("delay 0 lets all pieces out at once, still cut")
    func zeroDelay() {
        var chain = ToxicChain.running([Toxic(kind: .slicer(averageSize: 4, sizeVariation: 0, delay: 0))])
        #expect(chain.receive("abcdefghij", at: ms(0)).texts == ["abcd", "efgh", "ij"])
    }

    @Test("the next chunk waits behind the pieces of the one before")
    func nextChunkQueues() {
        var chain = ToxicChain.running([Toxic(kind: .slicer(averageSize: 2, sizeVariation: 0, delay: 1000))])
        #expect(chain.receive("aabbcc", at: ms(0)).texts == ["aa"])
        #expect(chain.receive("dd", at: micros(500)).isEmpty)
        #expect(chain.takeDue(now: micros(1000)).texts == ["bb"])
        var rest: [String] = []
        for t in stride(from: Int64(1500), through: 5000, by: 500) {
            let out = chain.takeDue(now: micros(t)).texts
            if t < 2000 { #expect(out.isEmpty) }
            rest += out
        }
        #expect(rest == ["cc", "dd"])
    }

    @Test("through a connection on virtual time")
    func pipelineOnVirtualTime() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(kind: .slicer(averageSize: 4, sizeVariation: 0, delay: 500)))
        #expect(try edge.fromUpstream("abcdefghij") == "abcd")
        edge.loop.advanceTime(by: .microseconds(499))
        #expect(try edge.toClient() == "")
        edge.loop.advanceTime(by: .microseconds(1))
        #expect(try edge.chunksToClient() == ["efgh"])
        edge.loop.advanceTime(by: .microseconds(500))
        #expect(try edge.chunksToClient() == ["ij"])
    }

    // MARK: Real TCP

    @Test("on an open connection the client gets the same bytes in many reads")
    func liveSlicer() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            let readsBefore = client.reads
            try proxy.addToxic(Toxic(kind: .slicer(averageSize: 100, sizeVariation: 20, delay: 10_000)))
            let payload = digits(2000)
            try await client.send(payload)
            try await echo.waitForBytes(2 + 2000)
            try await client.waitForBytes(2 + 2000)
            #expect(client.text == "hi" + payload)
            #expect(client.reads - readsBefore >= 5)
        }
    }
}
