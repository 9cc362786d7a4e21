import FaultProxy
import Foundation
import Testing

@Suite("Proxy lifecycle")
struct ProxyLifecycleTests {
    // MARK: Going down and up

    @Test("disable() closes open connections and refuses new ones; enable() listens again on the same port")
    func disableEnable() async throws {
        try await withEdge { proxy, _ in
            let port = proxy.listenPort
            let client = try await proxy.connectedClient()
            await proxy.disable()
            #expect(!proxy.isEnabled)
            #expect(!proxy.isListening)
            try await client.waitForEnd(within: .seconds(5))
            try await waitUntil(within: .seconds(5), "no open connections") { proxy.openConnectionCount == 0 }
            #expect(await connectionRefused(port: port))
            #expect(proxy.activeFaults.map(\.id) == ["down"])
            #expect(proxy.activeFaults.first?.kind == .refuse)

            try await proxy.enable()
            #expect(proxy.isEnabled)
            #expect(proxy.isListening)
            #expect(proxy.listenPort == port)
            let fresh = try await proxy.connectClient()
            _ = try await fresh.roundTrip("back")
            #expect(proxy.activeFaults.isEmpty)
        }
    }

    @Test("a refuse fault takes the proxy down until it is removed")
    func refuseUntilRemoved() async throws {
        try await withEdge { proxy, _ in
            let port = proxy.listenPort
            let client = try await proxy.connectedClient()
            let fault = try await proxy.addFault(.refuse, ttl: .seconds(30))
            #expect(fault.id == "refuse-1")
            try await client.waitForEnd(within: .seconds(5))
            #expect(await connectionRefused(port: port))
            #expect(proxy.isEnabled)  // down by a fault, not disabled
            #expect(!proxy.isListening)
            try await proxy.enable()  // a refuse fault keeps it down
            #expect(!proxy.isListening)

            #expect(await proxy.removeFault(id: fault.id))
            #expect(proxy.isListening)
            #expect(proxy.listenPort == port)
            _ = try await proxy.connectClient().roundTrip("again")
        }
    }

    @Test("a refuse fault ends with its TTL")
    func refuseTTL() async throws {
        try await withEdge { proxy, _ in
            let port = proxy.listenPort
            let start = ContinuousClock.now
            let fault = try await proxy.addFault(.refuse, ttl: .seconds(1))
            #expect(abs(try #require(fault.expiresAt).timeIntervalSince(fault.appliedAt) - 1) < 0.001)
            #expect(!proxy.isListening)
            #expect(await connectionRefused(port: port))
            try await waitUntil(within: .seconds(5), "TTL expiry") { proxy.isListening }
            #expect(ContinuousClock.now - start >= .seconds(1))
            #expect(proxy.activeFaults.isEmpty)
            _ = try await proxy.connectClient().roundTrip("flows")
        }
    }

    @Test("stop() closes the listener and every connection, and removes every fault")
    func stopClosesEverything() async throws {
        let echo = try await EchoServer.start()
        let proxy = FaultProxy(name: "storefront-cache", upstreamPort: echo.port)
        try await proxy.start()
        let port = proxy.listenPort
        #expect(port != 0)
        #expect(proxy.listenAddress == "127.0.0.1:\(port)")
        let client = try await proxy.connectedClient()
        try proxy.addToxic(Toxic(kind: .latency(latency: 1000, jitter: 0)))
        try await proxy.addFault(.blackhole, ttl: .seconds(60))

        await proxy.stop()
        try await client.waitForEnd(within: .seconds(5))
        #expect(proxy.openConnectionCount == 0)
        #expect(proxy.activeFaults.isEmpty)
        #expect(proxy.toxics.isEmpty)
        #expect(!proxy.isListening)
        #expect(await connectionRefused(port: port))
        await #expect(throws: FaultProxyError.alreadyStarted(edge: "storefront-cache")) { try await proxy.start() }
        await echo.stop()
    }

    @Test("starting on a taken port throws addressInUse naming the edge and the address")
    func portTaken() async throws {
        try await withEdge { holder, _ in
            let port = holder.listenPort
            let proxy = FaultProxy(name: "storefront-checkout", listenPort: port, upstreamPort: 1)
            let expected = FaultProxyError.addressInUse(edge: "storefront-checkout", address: "127.0.0.1:\(port)")
            await #expect(throws: expected) { try await proxy.start() }
            #expect(expected.description.hasPrefix("edge storefront-checkout: cannot listen on 127.0.0.1:\(port): address already in use"))
            #expect(!proxy.isListening)
            _ = try await holder.connectClient().roundTrip("holder still works")
        }
    }

    @Test("a proxy disabled before start() stays down until enabled")
    func disabledBeforeStart() async throws {
        let echo = try await EchoServer.start()
        let proxy = FaultProxy(name: "storefront-ads", upstreamPort: echo.port)
        await proxy.disable()
        try await proxy.start()
        #expect(!proxy.isListening)
        try await proxy.enable()
        #expect(proxy.isListening)
        _ = try await proxy.connectClient().roundTrip("up")
        await proxy.stop()
        await echo.stop()
    }

    // MARK: Toxic API errors

    @Test("a duplicate name throws toxicExists; updating a missing one throws toxicNotFound")
    func nameErrors() throws {
        let proxy = FaultProxy(name: "storefront-ads", upstreamPort: 1)
        try proxy.addToxic(Toxic(kind: .latency(latency: 10, jitter: 0)))
        #expect(throws: FaultProxyError.toxicExists(edge: "storefront-ads", name: "latency_downstream")) {
            try proxy.addToxic(Toxic(kind: .latency(latency: 20, jitter: 0)))
        }
        try proxy.addToxic(Toxic(kind: .latency(latency: 20, jitter: 0), stream: .upstream))  // another name
        #expect(throws: FaultProxyError.toxicNotFound(edge: "storefront-ads", name: "missing")) {
            try proxy.updateToxic(named: "missing", kind: .noop, toxicity: 1)
        }
        let updated = try proxy.updateToxic(named: "latency_downstream", kind: .latency(latency: 30, jitter: 5), toxicity: 0.5)
        #expect(updated.toxic.kind == .latency(latency: 30, jitter: 5))
        #expect(updated.toxic.toxicity == 0.5)
        #expect(proxy.toxic(named: "latency_downstream") == updated)
        #expect(proxy.toxics.map(\.toxic.name) == ["latency_downstream", "latency_upstream"])
        #expect(!proxy.removeToxic(named: "missing"))
        #expect(proxy.removeAllToxics() == 2)
    }

    @Test("bad values throw ToxicError and change nothing")
    func badValues() throws {
        let proxy = FaultProxy(name: "storefront-ads", upstreamPort: 1)
        let bad: [Toxic] = [
            Toxic(kind: .slicer(averageSize: 0, sizeVariation: 0, delay: 0)),
            Toxic(kind: .slicer(averageSize: 10, sizeVariation: 10, delay: 0)),
            Toxic(kind: .latency(latency: -1, jitter: 0)),
            Toxic(kind: .latency(latency: 10, jitter: -5)),
            Toxic(kind: .latency(latency: 3_600_001, jitter: 0)),
            Toxic(kind: .bandwidth(rate: 0)),
            Toxic(kind: .timeout(timeout: -1)),
            Toxic(kind: .limitData(bytes: -1)),
            Toxic(kind: .noop, toxicity: 1.5),
            Toxic(kind: .noop, toxicity: -0.1),
            Toxic(name: "", kind: .noop),
        ]
        for toxic in bad {
            #expect(throws: ToxicError.self, "\(toxic)") { try proxy.addToxic(toxic) }
        }
        #expect(proxy.toxics.isEmpty)
        try proxy.addToxic(Toxic(kind: .noop))
        #expect(throws: ToxicError.self) { try proxy.updateToxic(named: "noop_downstream", kind: .noop, toxicity: 1.5) }
        #expect(throws: ToxicError.self) { try proxy.updateToxic(named: "noop_downstream", kind: .bandwidth(rate: 0), toxicity: 1) }
        #expect(proxy.toxic(named: "noop_downstream")?.toxic == Toxic(kind: .noop))

        #expect(throws: ToxicError.self) { try ToxicKind(type: "jitter", attributes: [:]) }
        #expect(throws: ToxicError.self) { try ToxicKind(type: "slicer", attributes: ["average_size": 0]) }
        #expect(try ToxicKind(type: "latency", attributes: ["latency": 100]) == .latency(latency: 100, jitter: 0))
        #expect(throws: ToxicError.self) { try FaultKind(name: "latency", attributes: ["latency": -3]) }
    }

    // MARK: TTLs and the fault list

    @Test("a toxic's TTL removes it, and forwarding is restored")
    func toxicTTL() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectedClient()
            let entry = try proxy.addToxic(Toxic(kind: .latency(latency: 10_000, jitter: 0)), ttl: .milliseconds(300))
            #expect(abs(try #require(entry.expiresAt).timeIntervalSince(entry.appliedAt) - 0.3) < 0.001)
            try await client.send("held")
            try await waitUntil(within: .seconds(5), "TTL expiry") { proxy.toxics.isEmpty }
            try await client.waitForBytes(2 + 4, within: .seconds(5))  // released well before 10 s
            #expect(proxy.activeFaults.isEmpty)
            #expect(try await client.roundTrip("fast") < .seconds(5))
        }
    }

    @Test("activeFaults lists lab faults (a blackhole once) and API toxics; fault ids count per type")
    func activeFaultsList() async throws {
        let proxy = FaultProxy(name: "storefront-ads", upstreamPort: 1)
        let blackhole = try await proxy.addFault(.blackhole, ttl: .seconds(30))
        let latency = try await proxy.addFault(.latency(latency: .milliseconds(250), jitter: .milliseconds(10)), ttl: .seconds(5))
        let second = try await proxy.addFault(.toxic(.bandwidth(rate: 5), stream: .upstream), ttl: .seconds(5))
        try proxy.addToxic(Toxic(name: "mine", kind: .slowClose(delay: 100)))
        #expect([blackhole.id, latency.id, second.id] == ["blackhole-1", "latency-1", "bandwidth-1"])
        #expect(proxy.toxics.count == 5)  // the blackhole is two toxics

        let faults = proxy.activeFaults
        #expect(faults.map(\.id) == ["blackhole-1", "latency-1", "bandwidth-1", "mine"])
        #expect(faults[0].kind == .blackhole)
        #expect(faults[1].kind == .toxic(.latency(latency: 250, jitter: 10), stream: .downstream))
        #expect(faults[2].kind.stream == .upstream)
        #expect(faults[3].kind == .toxic(.slowClose(delay: 100), stream: .downstream))
        #expect(faults[3].expiresAt == nil)

        // Encoded in Toxiproxy's style, and back.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(latency), as: UTF8.self)
        #expect(json.contains(#""attributes":{"jitter":10,"latency":250}"#))
        #expect(json.contains(#""type":"latency""#))
        #expect(json.contains(#""expires_at":"#))
        #expect(try JSONDecoder().decode(ActiveFault.self, from: encoder.encode(latency)) == latency)

        #expect(await proxy.removeFault(id: "blackhole-1"))
        #expect(proxy.toxics.count == 3)
        #expect(await proxy.removeFault(id: "mine"))
        #expect(!(await proxy.removeFault(id: "mine")))
        #expect(proxy.activeFaults.map(\.id) == ["latency-1", "bandwidth-1"])
        await proxy.stop()
    }

    @Test("removeAllFaults() clears toxics, faults and refusals, and brings a disabled proxy back up")
    func removeAllFaults() async throws {
        try await withEdge { proxy, _ in
            let port = proxy.listenPort
            try proxy.addToxic(Toxic(kind: .latency(latency: 10_000, jitter: 0)))
            try await proxy.addFault(.blackhole, ttl: .seconds(30))
            try await proxy.addFault(.refuse, ttl: .seconds(30))
            await proxy.disable()
            #expect(proxy.activeFaults.map(\.id).sorted() == ["blackhole-1", "down", "latency_downstream", "refuse-1"])
            #expect(await connectionRefused(port: port))

            #expect(await proxy.removeAllFaults() == 4)
            #expect(proxy.activeFaults.isEmpty)
            #expect(proxy.toxics.isEmpty)
            #expect(proxy.isEnabled)
            #expect(proxy.isListening)
            #expect(proxy.listenPort == port)
            let client = try await proxy.connectClient()
            #expect(try await client.roundTrip("clean") < .seconds(5))  // not 10 s
        }
    }

    // MARK: Stats

    @Test("stats count connections and bytes each way")
    func stats() async throws {
        try await withEdge { proxy, echo in
            #expect(proxy.stats.totalConnections == 0)
            let first = try await proxy.connectClient()
            _ = try await first.roundTrip("12345")
            let second = try await proxy.connectClient()
            _ = try await second.roundTrip("abc")
            try await waitUntil(within: .seconds(5)) { proxy.stats.totalConnections == 2 }
            #expect(proxy.openConnectionCount == 2)
            #expect(proxy.stats.upstreamBytes == 8)
            #expect(proxy.stats.downstreamBytes == 8)

            // A downstream limit: the upstream's answer is read (and counted) in full,
            // though only part of it reaches the client.
            try proxy.addToxic(Toxic(kind: .limitData(bytes: 2)))
            try await first.send("xyzw")
            try await echo.waitForBytes(12)
            try await first.waitForEnd()
            try await waitUntil(within: .seconds(5), "downstream count") { proxy.stats.downstreamBytes == 12 }
            #expect(proxy.stats.upstreamBytes == 12)
            #expect(first.text == "12345xy")
        }
    }
}
