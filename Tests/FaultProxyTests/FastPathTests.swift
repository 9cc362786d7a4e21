import FaultProxy
import Testing

/// The fast path (no toxic in force: sockets forwarded by a lane, outside NIO's pipeline) and
/// the switch of open connections to the toxic chain and back, on real TCP through the proxy.
@Suite("Fast path")
struct FastPathTests {
    @Test("an open connection moves to the toxic chain when a downstream toxic is added, and back when it is removed")
    func switchDownstream() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectedClient()
            #expect(proxy.fastPathConnectionCount == 1)

            try proxy.addToxic(Toxic(name: "slow", kind: .latency(latency: 300, jitter: 0)))
            // The very next byte meets the toxic, whichever path noticed first.
            #expect(try await client.roundTrip("a") >= .milliseconds(300))
            #expect(proxy.fastPathConnectionCount == 0)

            #expect(proxy.removeToxic(named: "slow"))
            try await waitUntil(within: .seconds(5), "back on the fast path") { proxy.fastPathConnectionCount == 1 }
            #expect(try await client.roundTrip("b") < .milliseconds(300))
            #expect(client.text == "hiab")
            #expect(proxy.openConnectionCount == 1)
            await client.close()
        }
    }

    @Test("an upstream toxic moves the connection too, from its next byte")
    func switchUpstream() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(name: "slow-up", kind: .latency(latency: 300, jitter: 0), stream: .upstream))
            #expect(try await client.roundTrip("x") >= .milliseconds(300))
            #expect(proxy.removeAllToxics() == 1)
            try await waitUntil(within: .seconds(5), "back on the fast path") { proxy.fastPathConnectionCount == 1 }
            #expect(try await client.roundTrip("y") < .milliseconds(300))
            #expect(echo.receivedBytes == 4)  // "hi", "x", "y"
            await client.close()
        }
    }

    @Test("an idle connection on the fast path meets a timeout toxic without sending a byte")
    func idleConnectionMeetsTimeout() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(kind: .timeout(timeout: 100)))
            // The timeout toxic closes the connection 100 ms after it reached it, idle or not.
            try await client.waitForEnd(within: .seconds(5))
            try await waitUntil(within: .seconds(5), "connection gone") { proxy.openConnectionCount == 0 }
        }
    }

    @Test("bytes sent right after a toxic's removal returns are never swallowed, over many switches")
    func nothingSwallowedAcrossSwitches() async throws {
        try await withEdge { proxy, echo in
            let client = try await proxy.connectedClient()
            var expected = "hi"
            for round in 0..<40 {
                try proxy.addToxic(Toxic(name: "lag", kind: .latency(latency: 5, jitter: 0)))
                let during = "d\(round)."
                try await client.send(during)
                #expect(proxy.removeToxic(named: "lag"))
                let after = "a\(round)."
                try await client.send(after)
                expected += during + after
            }
            try await client.waitForBytes(expected.utf8.count, within: .seconds(10))
            #expect(client.text == expected)
            #expect(echo.receivedBytes == expected.utf8.count)
            #expect(proxy.stats.upstreamBytes == expected.utf8.count)
            #expect(proxy.stats.downstreamBytes == expected.utf8.count)
            await client.close()
        }
    }

    @Test("8 MB in flight crosses fast path and chain back and forth intact, with exact counts")
    func bulkAcrossSwitches() async throws {
        try await withEdge { proxy, _ in
            let payload = randomBytes(count: 8_000_000)
            let client = try await TestClient.connect(port: proxy.listenPort)
            try await waitUntil(within: .seconds(5), "on the fast path") { proxy.fastPathConnectionCount == 1 }
            let sending = Task { try await client.send(payload) }
            for round in 0..<20 {
                try proxy.addToxic(Toxic(name: "pass", kind: .latency(latency: 1, jitter: 0)))
                try await waitUntil(within: .seconds(5), "round \(round): on the chain") { proxy.fastPathConnectionCount == 0 }
                proxy.removeAllToxics()
                try await waitUntil(within: .seconds(5), "round \(round): back on the fast path") { proxy.fastPathConnectionCount == 1 }
            }
            try await sending.value
            try await client.halfClose()
            try await client.waitForEnd(within: .seconds(20))
            #expect(client.bytes.count == payload.count)
            #expect(checksum(client.bytes) == checksum(payload))
            #expect(proxy.stats.upstreamBytes == payload.count)
            #expect(proxy.stats.downstreamBytes == payload.count)
        }
    }

    @Test("a half-closed connection on the fast path takes a toxic on its open direction")
    func halfClosedThenToxic() async throws {
        try await withEdge { proxy, echo in
            let client = try await TestClient.connect(port: proxy.listenPort, reading: false, receiveBuffer: 8192)
            let payload = randomBytes(count: 1_000_000)
            try await client.send(payload)
            try await client.halfClose()
            try await waitUntil(within: .seconds(10), "upstream closed") { echo.closedConnections == 1 }
            // The proxy holds part of the echo for the slow client; a toxic now takes the rest.
            try proxy.addToxic(Toxic(kind: .latency(latency: 50, jitter: 0)))
            try await client.startReading()
            try await client.waitForEnd(within: .seconds(10))
            #expect(checksum(client.bytes) == checksum(payload))
        }
    }

    @Test("a toxic with toxicity 0 leaves open and new connections on the fast path; raised to 1, it acts from their next byte")
    func toxicityZeroStaysFast() async throws {
        try await withEdge { proxy, _ in
            let open = try await proxy.connectedClient()
            try proxy.addToxic(Toxic(name: "never", kind: .latency(latency: 300, jitter: 0), toxicity: 0))
            try await proxy.connectionsCaughtUp()  // the open connection has seen it and stayed
            let fresh = try await proxy.connectedClient()
            #expect(try await open.roundTrip("a") < .milliseconds(300))
            #expect(try await fresh.roundTrip("b") < .milliseconds(300))
            #expect(proxy.fastPathConnectionCount == 2)

            try proxy.updateToxic(named: "never", kind: .latency(latency: 300, jitter: 0), toxicity: 1)
            #expect(try await open.roundTrip("c") >= .milliseconds(300))
            #expect(try await fresh.roundTrip("d") >= .milliseconds(300))
            #expect(proxy.fastPathConnectionCount == 0)

            try proxy.updateToxic(named: "never", kind: .latency(latency: 300, jitter: 0), toxicity: 0)
            try await waitUntil(within: .seconds(5), "back on the fast path") { proxy.fastPathConnectionCount == 2 }
            #expect(open.text == "hiac" && fresh.text == "hibd")
            await open.close()
            await fresh.close()
        }
    }

    @Test("the lane dials the upstream: one that refuses ends the client's connection, accepted but never proxied")
    func refusedUpstream() async throws {
        let gone = try await EchoServer.start()
        let closedPort = gone.port
        await gone.stop()  // nothing listens there now
        let proxy = FaultProxy(name: "refused", upstreamPort: closedPort, seed: 1)
        try await proxy.start()
        for _ in 0..<3 {
            let client = try await proxy.connectClient()
            try await client.waitForEnd(within: .seconds(5))
        }
        try await waitUntil(within: .seconds(5), "connections forgotten") { proxy.openConnectionCount == 0 }
        #expect(proxy.stats.totalConnections == 0)
        await proxy.stop()
    }

    @Test(
        "an upstream that does not answer ends the client's connection after the connect timeout, on either path",
        arguments: [true, false])
    func unansweredUpstream(fastPath: Bool) async throws {
        let silent = try FullListener()
        defer { silent.close() }
        let proxy = FaultProxy(
            name: "silent", upstreamPort: silent.port, seed: 1, fastPath: fastPath, connectTimeout: .milliseconds(300))
        try await proxy.start()
        let started = ContinuousClock.now
        let client = try await proxy.connectClient()
        if fastPath {
            // The lane holds both sockets while it dials: the proxy knows the connection (and would close it on stop).
            try await waitUntil(within: .seconds(5), "connection known") { proxy.openConnectionCount == 1 }
        }
        try await client.waitForEnd(within: .seconds(5))
        #expect(ContinuousClock.now - started >= .milliseconds(290))
        try await waitUntil(within: .seconds(5), "connection forgotten") { proxy.openConnectionCount == 0 }
        #expect(proxy.stats.totalConnections == 0)
        await proxy.stop()
    }

    @Test("an upstream named by host name is dialed through NIO and forwarded on the fast path")
    func upstreamByName() async throws {
        let echo = try await EchoServer.start()
        let proxy = FaultProxy(name: "by-name", upstreamHost: "localhost", upstreamPort: echo.port, seed: 1)
        try await proxy.start()
        let client = try await proxy.connectedClient()
        #expect(proxy.fastPathConnectionCount == 1)
        _ = try await client.roundTrip("z")
        #expect(client.text == "hiz")
        await client.close()
        await proxy.stop()
        await echo.stop()
    }

    @Test("going down closes connections on the fast path")
    func downClosesFastConnections() async throws {
        try await withEdge { proxy, _ in
            let client = try await proxy.connectedClient()
            #expect(proxy.fastPathConnectionCount == 1)
            await proxy.disable()
            try await client.waitForEnd(within: .seconds(5))
            try await waitUntil(within: .seconds(5), "connection gone") { proxy.openConnectionCount == 0 }
        }
    }

    @Test("with the fast path off, connections run through the chain only")
    func fastPathOff() async throws {
        let echo = try await EchoServer.start()
        let proxy = FaultProxy(name: "chain-only", upstreamPort: echo.port, seed: 1, fastPath: false)
        try await proxy.start()
        let client = try await proxy.connectedClient()
        #expect(proxy.fastPathConnectionCount == 0)
        #expect(proxy.openConnectionCount == 1)
        _ = try await client.roundTrip("z")
        #expect(client.text == "hiz")
        await client.close()
        await proxy.stop()
        await echo.stop()
    }
}
