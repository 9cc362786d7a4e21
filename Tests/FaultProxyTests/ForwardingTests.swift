import FaultProxy
import Testing

@Suite("Forwarding")
struct ForwardingTests {
    @Test("bytes round trip through the proxy")
    func roundTrip() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectClient()
            _ = try await client.roundTrip("hello")
            _ = try await client.roundTrip(" world")
            #expect(client.text == "hello world")
            try await waitUntil(within: .seconds(2)) { proxy.openConnectionCount == 1 }
            await client.close()
            try await waitUntil(within: .seconds(2), "connection count 0") { proxy.openConnectionCount == 0 }
        }
    }

    @Test("20 MB with half-close arrives intact both ways")
    func bulkTransferWithHalfClose() async throws {
        try await withEdge { proxy, _ in
            let payload = randomBytes(count: 20_000_000)
            let client = try await TestClient.connect(port: proxy.listenPort, reading: false)

            try await client.send(payload)
            try await client.halfClose()
            try await client.startReading()
            try await client.waitForEnd(within: .seconds(10))

            let echoed = client.bytes
            #expect(echoed.count == payload.count)
            #expect(checksum(echoed) == checksum(payload))
        }
    }

    @Test("the upstream's end of stream waits for bytes still queued for a slow client (half-close on the fast path)")
    func halfCloseKeepsQueuedBytes() async throws {
        try await withEdge { proxy, echo in
            // The echo's send buffer has room for all of it, the client's tiny receive buffer
            // for almost nothing: the upstream finishes and closes while the proxy still
            // holds megabytes the client has not read.
            let payload = randomBytes(count: 4_000_000)
            let client = try await TestClient.connect(port: proxy.listenPort, reading: false, receiveBuffer: 8192)
            // No toxic: the half-close below goes through the fast path.
            try await waitUntil(within: .seconds(5), "on the fast path") { proxy.fastPathConnectionCount == 1 }
            try await client.send(payload)
            try await client.halfClose()
            try await waitUntil(within: .seconds(5), "upstream closed") { echo.closedConnections == 1 }

            try await client.startReading()
            try await client.waitForEnd(within: .seconds(5))
            #expect(client.bytes.count == payload.count)
            #expect(checksum(client.bytes) == checksum(payload))
            try await waitUntil(within: .seconds(5), "connection gone") { proxy.openConnectionCount == 0 }
        }
    }

    @Test("4 MB with half-close through a holding toxic keeps every byte, in order, under backpressure")
    func bulkThroughToxics() async throws {
        try await withEdge { proxy, _ in
            try proxy.addToxic(Toxic(kind: .latency(latency: 20, jitter: 10)))
            try proxy.addToxic(Toxic(kind: .latency(latency: 5, jitter: 5), stream: .upstream))
            let payload = randomBytes(count: 4_000_000)
            let client = try await TestClient.connect(port: proxy.listenPort, reading: false, receiveBuffer: 65536)
            try await client.send(payload)
            try await client.halfClose()
            try await client.startReading()
            try await client.waitForEnd(within: .seconds(20))
            #expect(client.bytes.count == payload.count)
            #expect(checksum(client.bytes) == checksum(payload))
            #expect(proxy.stats.upstreamBytes == payload.count)
            #expect(proxy.stats.downstreamBytes == payload.count)
        }
    }

    @Test("a connection is closed when the upstream is unset or unreachable")
    func noUpstream() async throws {
        let proxy = FaultProxy(name: "checkout-cache", upstreamPort: nil)
        try await proxy.start()
        #expect(proxy.upstream == "")
        let client = try await proxy.connectClient()
        try await client.waitForEnd(within: .seconds(2))

        let echo = try await EchoServer.start()
        proxy.setUpstream(host: "127.0.0.1", port: echo.port)
        #expect(proxy.upstream == "127.0.0.1:\(echo.port)")
        let second = try await proxy.connectClient()
        _ = try await second.roundTrip("after setUpstream")
        await proxy.stop()
        await echo.stop()
    }
}
