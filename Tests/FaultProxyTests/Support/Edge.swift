import FaultProxy

/// A proxy in front of an echo server, torn down after `body` whatever happens.
func withEdge(
    name: String = "storefront-ads",
    _ body: (FaultProxy, EchoServer) async throws -> Void
) async throws {
    let echo = try await EchoServer.start()
    let proxy = FaultProxy(name: name, upstreamPort: echo.port, seed: 42)
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
    func connectClient() async throws -> TestClient {
        try await TestClient.connect(port: self.listenPort)
    }
}
