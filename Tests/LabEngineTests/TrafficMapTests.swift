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

    @Test("a prediction meets the map cell by cell: the surprises in words, unknown journeys and edges refused")
    func aPredictionMeetsTheMap() {
        let map = TrafficMap(
            lab: "lab", claimed: ["front->back": false, "front->cache": false],
            journeys: [TrafficMap.JourneyUse(journey: "look", iterations: 4, succeeded: 4, edges: [use("front->back", 4)])],
            edges: ["front->back", "front->cache"])
        let prediction = MapPrediction(journeys: ["look": ["front->cache"]])
        #expect(prediction.compared(with: map) == MapPrediction.Comparison(right: 0, total: 2, surprises: [
            "look used front->back (100% of iterations); you did not expect it",
            "look never used front->cache, which you expected it to",
        ]))
        #expect(MapPrediction(journeys: ["look": ["front->back"]]).compared(with: map).right == 2)
        #expect(MapPrediction(journeys: ["lok": ["front->nowhere"]]).problems(journeys: ["look"], edges: map.edges) == [
            "unknown journey 'lok' in the prediction; journeys: look",
            "unknown edge 'front->nowhere' in the prediction of lok; edges: front->back, front->cache",
        ])
    }
}
