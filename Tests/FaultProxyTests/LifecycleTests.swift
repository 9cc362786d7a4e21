import FaultProxy
import Foundation
import Testing

@Suite("Lifecycle")
struct LifecycleTests {
    @Test("a fault is removed when its TTL expires, and traffic flows again")
    func ttlExpiryRestoresForwarding() async throws {
        try await withEdge { proxy, _ in
            let fault = proxy.addFault(.refuse, ttl: .milliseconds(300))
            #expect(proxy.activeFaults == [fault])
            #expect(abs(fault.expiresAt.timeIntervalSince(fault.appliedAt) - 0.3) < 0.001)
            try await waitUntil(within: .seconds(3), "TTL expiry") { proxy.activeFaults.isEmpty }
            let client = try await proxy.connectClient()
            _ = try await client.roundTrip("flows")
        }
    }

    @Test("starting on a taken port throws an error naming the edge and the address")
    func portTaken() async throws {
        try await withEdge { holder, _ in
            let port = holder.listenPort
            let proxy = FaultProxy(name: "storefront-checkout", listenPort: port, upstreamPort: 1)
            await #expect(throws: FaultProxyError.addressInUse(edge: "storefront-checkout", address: "127.0.0.1:\(port)")) {
                try await proxy.start()
            }
            let error = FaultProxyError.addressInUse(edge: "storefront-checkout", address: "127.0.0.1:\(port)")
            #expect(error.description.hasPrefix("edge storefront-checkout: cannot listen on 127.0.0.1:\(port): address already in use"))
        }
    }

    @Test("stop() closes open connections and removes faults")
    func stopClosesConnections() async throws {
        let echo = try await EchoServer.start()
        let proxy = FaultProxy(name: "storefront-cache", upstreamPort: echo.port)
        try await proxy.start()
        #expect(proxy.listenPort != 0)
        #expect(proxy.listenAddress == "127.0.0.1:\(proxy.listenPort)")
        let client = try await proxy.connectClient()
        _ = try await client.roundTrip("hi")
        proxy.addFault(.latency(latency: .seconds(1), jitter: .zero), ttl: .seconds(60))

        await proxy.stop()
        try await client.waitForEnd(within: .seconds(1))
        #expect(proxy.openConnectionCount == 0)
        #expect(proxy.activeFaults.isEmpty)
        await echo.stop()
    }

    @Test("ids are unique per proxy and faults encode in Toxiproxy's style")
    func idsAndCoding() async throws {
        let proxy = FaultProxy(name: "storefront-ads", upstreamPort: 1)
        let first = proxy.addFault(.latency(latency: .milliseconds(250), jitter: .milliseconds(10)), ttl: .seconds(5))
        let second = proxy.addFault(.latency(latency: .milliseconds(1), jitter: .zero), ttl: .seconds(5))
        #expect([first.id, second.id] == ["latency-1", "latency-2"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(first), as: UTF8.self)
        #expect(json.contains(#""attributes":{"jitter":10,"latency":250}"#))
        #expect(json.contains(#""type":"latency""#))
        #expect(json.contains(#""expires_at":"#))
        #expect(try JSONDecoder().decode(ActiveFault.self, from: encoder.encode(first)) == first)
        proxy.removeAllFaults()
        #expect(proxy.activeFaults.isEmpty)
        await proxy.stop()
    }
}
