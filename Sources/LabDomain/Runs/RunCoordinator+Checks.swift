import LabEngine

// Status checks on their own, outside any run: `chaoslab check` and `POST /api/checks/{lab}`.
extension RunCoordinator {
    /// Judges the named status checks of lab `labID` now (all of them, or the one called `name`),
    /// changing nothing in the sandbox. `notFound` for an unknown lab or check, or a lab without any.
    package func runChecks(lab labID: String, name: String?, quick: Bool = false) async throws(LabError) -> [CheckVerdict] {
        let lab = try lab(labID)
        let names = lab.statusChecks.keys.sorted()
        guard !names.isEmpty else {
            throw .notFound("lab \(lab.id) has no status checks; labs with status_checks: "
                            + catalog.labs.filter { !$0.statusChecks.isEmpty }.map(\.id).joined(separator: ", "))
        }
        if let name, lab.statusChecks[name] == nil {
            throw .notFound("lab \(lab.id) has no status check '\(name)'\(NameSuggestion.didYouMean(name, among: names)); "
                            + "its checks: \(names.joined(separator: ", "))")
        }
        let runner = ExperimentRunner(lab: lab, faults: ports.faults, config: ports.config, client: ports.client, quick: quick,
                                      checks: checkPorts(own: nil))
        var verdicts: [CheckVerdict] = []
        for check in name.map({ [$0] }) ?? names {
            if let verdict = await runner.evaluate(check: check) { verdicts.append(verdict) }
        }
        return verdicts
    }
}
