import Foundation
import LabEngine
import TestSupport
import Testing

/// The map that traffic draws, on the real shop and proxies: before any fault, each journey
/// of is-ads-optional walked on its own, and what every edge carried set beside the claim.
extension EndToEndTests {
    @Test("chaoslab map shows which edges each journey uses and names the claim it contradicts; refused while a fault is in force")
    func theMapThatTrafficDraws() async throws {
        try await withLabServer { server in
            let drawn = try await server.command(["map", "is-ads-optional", "--iterations", "3", "--json"])
            #expect(drawn.code == 0, "\(drawn.output)")
            let map = try JSONDecoder().decode(TrafficMap.self, from: Data(jsonBlock(in: drawn.output).utf8))
            let checkout = try #require(map.journeys.first { $0.journey == "checkout" })
            #expect(checkout.iterations == 3 && checkout.succeeded == 3, "\(checkout)")
            #expect(checkout.share(of: "storefront->ads") == 1, "every checkout loads the home page and its banner: \(checkout)")
            #expect(checkout.share(of: "checkout->cache") == 1, "every checkout stores its cart: \(checkout)")
            #expect(map.disagreements.contains { $0.hasPrefix("storefront->ads: claimed optional, carried on 100% of ") },
                    "\(map.disagreements)")

            let text = try await server.command(["map", "is-ads-optional", "--iterations", "1"])
            #expect(text.code == 0, "\(text.output)")
            #expect(text.output.contains("Where the traffic questions the claim:"), "\(text.output)")

            let page = try await APIClient(port: server.port).send("GET", "/map?lab=is-ads-optional", body: nil)
            #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains(#"id="draw-map""#))

            let fault = try await server.command(["fault", "add", "storefront->ads", "latency", "latency=50", "--ttl", "30s"])
            #expect(fault.code == 0, "\(fault.output)")
            let refused = try await server.command(["map", "is-ads-optional"])
            #expect(refused.code != 0)
            #expect(refused.output.contains("a fault is in force: the map would show the fault, not the system"), "\(refused.output)")
            _ = try await server.command(["halt"])
        }
    }
}
