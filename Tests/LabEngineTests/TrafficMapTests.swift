import Testing
@testable import LabEngine

/// The traffic map's words: which edges carried nothing, and where the traffic contradicts the claim.
@Suite("The map that traffic draws")
struct TrafficMapTests {
    private func use(_ edge: String, _ iterations: Int) -> TrafficMap.EdgeUse {
        TrafficMap.EdgeUse(edge: edge, iterations: iterations, connections: iterations, bytes: iterations * 100)
    }

    @Test("an optional edge every iteration used, a critical edge that carried nothing, an edge off the diagram, a silent one")
    func disagreementsAreNamed() {
        let map = TrafficMap(
            lab: "lab",
            claimed: ["storefront->ads": false, "storefront->checkout": true, "checkout->cache": false, "storefront->cache": false],
            journeys: [
                TrafficMap.JourneyUse(journey: "browse", iterations: 4, succeeded: 4,
                                      edges: [use("storefront->ads", 4), use("storefront->checkout", 0), use("checkout->cache", 2)]),
                TrafficMap.JourneyUse(journey: "checkout", iterations: 4, succeeded: 3,
                                      edges: [use("storefront->ads", 4), use("payments->bank", 1)]),
            ],
            edges: ["checkout->cache", "payments->bank", "storefront->ads", "storefront->cache", "storefront->checkout"])

        #expect(map.disagreements == [
            "payments->bank: not on the claimed diagram, carried on 25% of checkout journeys",
            "storefront->ads: claimed optional, carried on 100% of browse and checkout journeys",
            "storefront->checkout: claimed critical, carried nothing in any journey",
        ])
        #expect(map.silent == ["storefront->cache", "storefront->checkout"])
        #expect(map.journeys[0].share(of: "checkout->cache") == 0.5)
        #expect(map.journeys[0].share(of: "nowhere") == 0)
    }
}
