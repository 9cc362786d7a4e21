import LabEngine

extension API.LabDetail {
    /// What a guided run shows of a lab.
    package init(_ lab: Lab) {
        self.init(
            id: lab.id, title: lab.title, summary: lab.summary.isEmpty ? nil : lab.summary,
            edges: lab.architecture.map { API.EdgeClaim(edge: $0.edge.key, critical: $0.critical) },
            diagramQuestion: lab.diagramQuestion ?? "For each edge of the diagram: is it critical for the user?",
            exercises: lab.exercises.map(API.ExerciseDetail.init))
    }
}

extension API.ExerciseDetail {
    package init(_ exercise: Exercise) {
        var choices: [String: String] = [:]
        for (outcome, text) in exercise.hypothesis.choices { choices[outcome.rawValue] = text }
        let attack = "\(exercise.attack.fault.summary) on \(exercise.attack.target.key) for \(DurationParser.format(exercise.attack.duration)), "
            + "while driving the \(exercise.expect.keys.sorted().joined(separator: " and ")) journey"
        self.init(
            id: exercise.id, title: exercise.title, kind: exercise.kind.rawValue, brief: exercise.brief,
            question: exercise.hypothesis.question, choices: choices, primaryJourney: exercise.primaryJourney, attack: attack,
            attackSeconds: Int(exercise.attack.duration.components.seconds),
            fix: exercise.fix.map(describeFix), debrief: exercise.debrief, hints: exercise.hints)
    }
}

private func describeFix(_ fix: [String: [String: KnobValue]]) -> String {
    fix.sorted { $0.key < $1.key }.map { service, knobs in
        "\(service): " + knobs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }.joined(separator: "; ")
}
