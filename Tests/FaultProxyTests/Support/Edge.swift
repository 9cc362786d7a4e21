import FaultProxy

/// A started proxy in front of an echo server, torn down after `body` whatever happens.
func withEdge(
    name: String = "storefront-ads",
    seed: UInt64 = 42,
    _ body: (FaultProxy, EchoServer) async throws -> Void
) async throws {
    let echo = try await EchoServer.start()
    let proxy = FaultProxy(name: name, upstreamPort: echo.port, seed: seed)
    do {
        try await proxy.start()
        try await body(proxy, echo)
    } catch {
        await proxy.stop()
        await echo.stop()
        throw error
    }
    await proxy.stop()
    await echo.stop()
}

extension FaultProxy {
    /// A new client connection through this proxy.
    func connectClient(reading: Bool = true) async throws -> TestClient {
        try await TestClient.connect(port: self.listenPort, reading: reading)
    }

    /// A client connection that is proxied (registered, data flows) before it returns,
    /// so that a toxic added next meets an open connection.
    func connectedClient() async throws -> TestClient {
        let before = self.stats.totalConnections
        let client = try await TestClient.connect(port: self.listenPort)
        _ = try await client.roundTrip("hi")
        try await waitUntil(within: .seconds(5), "connection registered") { self.stats.totalConnections > before }
        return client
    }
}
