import LabEngine

// The map that traffic draws: each journey of a lab walked on its own, before any fault,
// with what every edge carried. It takes the sandbox's experiment slot: a probe or a fault
// beside it would draw itself into the map.
extension RunCoordinator {
    package func drawMap(lab labID: String, iterations: Int = 5) async throws -> TrafficMap {
        let lab = try lab(labID)
        guard (1...50).contains(iterations) else {
            throw LabError.invalid("iterations must be between 1 and 50, got \(iterations)")
        }
        if await faultsInForce() {
            throw LabError.conflict("a fault is in force: the map would show the fault, not the system; halt first (chaoslab halt)")
        }
        let mapper = TrafficMapper(lab: lab, client: ports.client, meter: ports.meter)
        let task = try occupySlot(run: "-", label: lab.id, kind: .map) {
            await mapper.draw(iterations: iterations)
        }
        return await task.value
    }
}

extension RunCoordinator {
    /// Draws the map for an open run's lab and keeps it in the run's journal: the summary and
    /// the reports show it beside the experiments. A prediction the learner made first (the
    /// edges each journey will use) is kept before the drawing, and set beside the map.
    package func drawMap(run runID: String, iterations: Int = 5, prediction: MapPrediction? = nil) async throws -> TrafficMap {
        let (run, _) = try await openRun(runID)
        if let prediction {
            let lab = try lab(run.labID)
            let edges = Set(lab.architecture.map(\.edge.key)).union(await ports.meter.carried().keys.map(\.key)).sorted()
            if let problem = prediction.problems(journeys: Array(lab.journeys.keys), edges: edges).first {
                throw LabError.invalid(problem)
            }
            try await store.appendEvent(runID: runID, kind: RunSummaryBuilder.predictionEvent, exerciseID: nil, payload: try encode(prediction))
        }
        let map = try await drawMap(lab: run.labID, iterations: iterations)
        try await store.appendEvent(runID: runID, kind: RunSummaryBuilder.mapEvent, exerciseID: nil, payload: try encode(map))
        feed.publish(.changed("map drawn"))
        return map
    }
}

/// A meter that sees nothing: for ports without proxies (tests of other parts).
package struct NoTrafficMeter: TrafficMeter {
    package init() {}
    package func carried() async -> [EdgeID: FaultContact] { [:] }
}
