import NIOCore
import Testing

@testable import FaultProxy

/// Proof that a fault landed: each toxic counts the connections it acted on and the bytes that
/// went into it, also after it is removed; a toxic its toxicity draw left out counts nothing.
@Suite("What a fault touched")
struct FaultContactTests {
    @Test("a toxic counts a connection once its bytes meet it, and every byte it receives, one direction only; the count outlives it")
    func aToxicCountsWhatItMet() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(name: "slow", kind: .latency(latency: 0, jitter: 0), stream: .upstream))
        edge.loop.run()  // the open connection catches up
        #expect(edge.proxy.contact(ofFault: "slow") == TrafficCount(connections: 0, bytes: 0), "an idle open connection met nothing yet")

        #expect(try edge.fromClient("request") == "request")
        #expect(try edge.fromUpstream("response") == "response", "the other direction is not the toxic's")
        #expect(try edge.fromClient("more") == "more")
        #expect(edge.proxy.contact(ofFault: "slow") == TrafficCount(connections: 1, bytes: 11))

        _ = try edge.proxy.updateToxic(named: "slow", kind: .latency(latency: 0, jitter: 0), toxicity: 1)
        edge.loop.run()
        #expect(try edge.fromClient("again") == "again")
        #expect(edge.proxy.contact(ofFault: "slow") == TrafficCount(connections: 1, bytes: 16), "an update does not count the connection twice")

        #expect(edge.proxy.removeToxic(named: "slow"))
        #expect(edge.proxy.contact(ofFault: "slow") == TrafficCount(connections: 1, bytes: 16), "still readable once removed")
        #expect(edge.proxy.contact(ofFault: "never-added") == nil)
    }

    @Test("toxicity 0 touches nothing: no connection, no byte")
    func toxicityZeroTouchesNothing() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(name: "none", kind: .latency(latency: 1000, jitter: 0), stream: .upstream, toxicity: 0))
        #expect(try edge.fromClient("request") == "request")
        #expect(edge.proxy.contact(ofFault: "none") == TrafficCount(connections: 0, bytes: 0))
    }

    @Test("a fault of two toxics (a blackhole's directions) is one fault: its connections once, the bytes of both directions")
    func aBlackholeIsOneFault() throws {
        let edge = try EmbeddedEdge()
        _ = try edge.proxy.addToxics(ToxicStream.allCases.map { Toxic(name: "blackhole-1-\($0.rawValue)", kind: .timeout(timeout: 0), stream: $0) },
                                     ttl: nil, faultID: "blackhole-1")
        #expect(try edge.fromClient("request") == "", "swallowed")
        #expect(try edge.fromUpstream("resp") == "", "swallowed")
        #expect(edge.proxy.contact(ofFault: "blackhole-1") == TrafficCount(connections: 1, bytes: 11))
        #expect(edge.proxy.removeAllToxics() == 2)
    }
}
