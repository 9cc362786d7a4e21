import NIOCore
import Testing

@testable import FaultProxy

/// What every toxic shares: the chain's order, toxicity draws, removal and update.
@Suite("Toxic chain")
struct ToxicChainTests {
    /// Chains as a proxy makes them: one per connection, each from the proxy's seeded generator.
    func connections(_ count: Int, toxic: Toxic, seed: UInt64 = 42) -> [ToxicChain] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            var chain = ToxicChain(rng: rng.split())
            _ = chain.reconfigure(to: [ToxicSetting(toxic: toxic, version: 1)], now: ms(0))
            return chain
        }
    }

    @Test("toxicity 0 never applies: a noop stands in and data passes")
    func toxicityZero() {
        let toxic = Toxic(kind: .latency(latency: 1000, jitter: 0), toxicity: 0)
        var chains = self.connections(200, toxic: toxic)
        #expect(chains.allSatisfy { !$0.stages[0].active })
        #expect(chains.allSatisfy { $0.isIdle }, "a toxic that applies nowhere keeps the fast path")
        #expect(chains.indices.allSatisfy { chains[$0].receive("x", at: ms(0)).texts == ["x"] })
    }

    @Test("toxicity 1 always applies")
    func toxicityOne() {
        let toxic = Toxic(kind: .latency(latency: 1000, jitter: 0), toxicity: 1)
        var chains = self.connections(200, toxic: toxic)
        #expect(chains.allSatisfy { $0.stages[0].active })
        #expect(chains.indices.allSatisfy { chains[$0].receive("x", at: ms(0)).isEmpty })
    }

    @Test("toxicity 0.5 applies to about half the connections, the same ones for a seed")
    func toxicityHalf() {
        let toxic = Toxic(kind: .timeout(timeout: 0), toxicity: 0.5)
        let draws = self.connections(200, toxic: toxic).map { $0.stages[0].active }
        let applied = draws.filter { $0 }.count
        #expect((70...130).contains(applied), "applied to \(applied) of 200")
        #expect(self.connections(200, toxic: toxic).map { $0.stages[0].active } == draws)
        #expect(self.connections(200, toxic: toxic, seed: 43).map { $0.stages[0].active } != draws)

        let quarter = self.connections(400, toxic: Toxic(kind: .noop, toxicity: 0.25)).filter { $0.stages[0].active }.count
        #expect((60...140).contains(quarter), "applied to \(quarter) of 400")
    }

    @Test("toxics act in the order they were added; a new one joins at the end")
    func chainOrder() {
        // limit_data then latency: the close comes after the delayed data.
        var chain = ToxicChain.running([
            Toxic(kind: .limitData(bytes: 3)),
            Toxic(kind: .latency(latency: 100, jitter: 0)),
        ])
        #expect(chain.receive("abcdef", at: ms(0)).isEmpty)
        #expect(chain.takeDue(now: ms(100)).texts == ["abc", "<close>"])
        #expect(chain.stages.map(\.name) == ["limit_data_downstream", "latency_downstream"])

        let settings = [
            ToxicSetting(toxic: Toxic(kind: .limitData(bytes: 3)), version: 1),
            ToxicSetting(toxic: Toxic(kind: .latency(latency: 100, jitter: 0)), version: 2),
            ToxicSetting(toxic: Toxic(kind: .noop), version: 3),
        ]
        _ = chain.reconfigure(to: settings, now: ms(200))
        #expect(chain.stages.map(\.name) == ["limit_data_downstream", "latency_downstream", "noop_downstream"])
    }

    @Test("removing a toxic in the middle passes what it holds on to the next one")
    func removalMidChain() {
        let latency = ToxicSetting(toxic: Toxic(kind: .latency(latency: 1000, jitter: 0)), version: 1)
        let bandwidth = ToxicSetting(toxic: Toxic(kind: .bandwidth(rate: 1)), version: 2)
        var chain = ToxicChain(rng: SplitMix64(seed: 1))
        _ = chain.reconfigure(to: [latency, bandwidth], now: ms(0))
        _ = chain.receive(digits(150), at: ms(0))
        #expect(chain.nextDue == ms(1000))
        let (output, close) = chain.reconfigure(to: [bandwidth], now: ms(10))
        #expect(output.isEmpty && !close)  // now in the bandwidth toxic
        #expect(chain.nextDue == ms(110))
        #expect(chain.takeDue(now: ms(110)).map(\.byteCount) == [100])
        #expect(chain.takeDue(now: ms(160)).map(\.byteCount) == [50])
    }

    @Test("an unchanged toxic keeps its state across a reconfigure; an updated one restarts")
    func unchangedKeepsState() {
        let latency = ToxicSetting(toxic: Toxic(kind: .latency(latency: 100, jitter: 0)), version: 1)
        var chain = ToxicChain(rng: SplitMix64(seed: 1))
        _ = chain.reconfigure(to: [latency], now: ms(0))
        _ = chain.receive("a", at: ms(0))
        let noop = ToxicSetting(toxic: Toxic(kind: .noop, stream: .downstream), version: 2)
        #expect(chain.reconfigure(to: [latency, noop], now: ms(10)).output.isEmpty)
        #expect(chain.nextDue == ms(100))  // still held

        var faster = latency
        faster.toxic.kind = .latency(latency: 10, jitter: 0)
        faster.version = 3
        // The update lets the held chunk go on at once, then the new values apply.
        #expect(chain.reconfigure(to: [faster, noop], now: ms(20)).output.texts == ["a"])
        _ = chain.receive("b", at: ms(20))
        #expect(chain.nextDue == ms(30))
    }

    @Test("a removed toxic stops acting on an open connection (virtual time)")
    func removalRestoresForwarding() throws {
        let edge = try EmbeddedEdge()
        try edge.proxy.addToxic(Toxic(name: "slow", kind: .latency(latency: 100, jitter: 0)))
        #expect(try edge.fromUpstream("held") == "")
        #expect(edge.proxy.removeToxic(named: "slow"))
        #expect(try edge.fromUpstream(",direct") == "held,direct")
        #expect(edge.connection.upstreamSide.chain.isIdle)
        #expect(!edge.proxy.removeToxic(named: "slow"))
    }

    @Test("toxicity on real connections: 0 leaves them alone, 1 slows every one")
    func liveToxicity() async throws {
        try await withEdge { proxy, _ in
            try proxy.addToxic(Toxic(name: "never", kind: .latency(latency: 2000, jitter: 0), toxicity: 0))
            for _ in 0..<3 {
                let client = try await proxy.connectClient()
                #expect(try await client.roundTrip("x") < .milliseconds(2000))
                await client.close()
            }
            try proxy.updateToxic(named: "never", kind: .latency(latency: 300, jitter: 0), toxicity: 1)
            for _ in 0..<3 {
                let client = try await proxy.connectClient()
                #expect(try await client.roundTrip("x") >= .milliseconds(300))
                await client.close()
            }
        }
    }
}
