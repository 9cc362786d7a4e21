import Yams

// Decoding of the lab's top level. Every reader reports to the ProblemLog and goes on; a value
// that carried a problem throws `AlreadyReported` at the end of its initializer.

extension Lab: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case id, system, title, summary, estimatedMinutes = "estimated_minutes", objectives, architecture
        case journeys, probe, exercises, diagram, scenarios, statusChecks = "status_checks"
    }

    public init(from decoder: any Decoder) throws {
        let log = decoder.problemLog
        let before = log.entries.count
        guard let c = try? decoder.container(keyedBy: Keys.self) else {
            throw decoder.report("a lab file must be a mapping with id, title, architecture, journeys and exercises")
        }
        decoder.reportUnknownKeys(Keys.self)
        let system = log.system
        let systemName: String = c.optional(.system, in: decoder) ?? "shop"
        if let system, systemName != system.name {
            log.report("this lab is written for the system '\(systemName)', not '\(system.name)' (\(system.title)); "
                       + "run it on a lab server started with that system's file: chaoslab start --system FILE",
                       at: c.mark(of: .system, in: decoder))
            throw AlreadyReported()  // its names would all be unknown here: one problem says it
        }
        let id: String? = c.required(.id, in: decoder, example: "is-ads-optional")
        if let id, !isKebabCase(id) {
            log.report("lab id '\(id)' is not kebab-case; use lowercase words joined by '-', like is-ads-optional",
                       at: c.mark(of: .id, in: decoder))
        }
        let title: String? = c.required(.title, in: decoder, example: "Is the ad service really optional?")
        let minutes: Int? = c.optional(.estimatedMinutes, in: decoder)
        if let minutes, minutes <= 0 {
            log.report("estimated_minutes must be a positive whole number, like 10", at: c.mark(of: .estimatedMinutes, in: decoder))
        }
        let objectives: [String]? = c.optional(.objectives, in: decoder)
        // Architecture and journeys come from the system unless the lab names its own.
        let systemArchitecture = system.flatMap { $0.architecture.isEmpty ? nil : $0.architecture }
        let architecture: [ClaimedEdge]? = c.contains(.architecture) || systemArchitecture == nil
            ? (c.required(.architecture, in: decoder, example: "{ edges: [...] }") as ArchitectureSection?)?.edges
            : systemArchitecture
        let systemJourneys = system?.journeys ?? [:]
        let journeyEntries: [(key: String, value: Journey?, mark: Mark?)]? = c.contains(.journeys) || systemJourneys.isEmpty
            ? c.entries(.journeys, of: Journey.self, in: decoder)
            : systemJourneys.sorted { $0.key < $1.key }.map { ($0.key, $0.value, nil) }
        if journeyEntries?.isEmpty ?? true, !c.contains(.journeys) || journeyEntries != nil {
            log.report("missing required field 'journeys': name at least one journey with its steps and slo",
                       at: c.contains(.journeys) ? c.mark(of: .journeys, in: decoder) : decoder.mark)
        }
        log.declaredJourneys = Set(journeyEntries?.map(\.key) ?? [])
        let probe: ProbeSettings? = c.optional(.probe, in: decoder)
        if let names = try? c.nestedContainer(keyedBy: AnyKey.self, forKey: .statusChecks) {
            log.declaredChecks = Set(names.allKeys.map(\.stringValue))
        }
        let statusChecks = decodeStatusChecks(.statusChecks, in: c, decoder: decoder)
        let exercises = c.list(.exercises, of: Exercise.self, in: decoder)
        if !c.contains(.exercises) || exercises?.isEmpty == true {
            log.report("missing required field 'exercises': add at least one exercise", at: decoder.mark)
        }
        for (index, exercise) in (exercises ?? []).enumerated() {
            if let first = exercises?[..<index].first(where: { $0.value.id == exercise.value.id }) {
                log.report("duplicate exercise id '\(exercise.value.id)' (first at line \(first.mark?.line ?? 0)); "
                           + "give each exercise its own id", at: exercise.mark)
            }
        }
        let diagram: DiagramSection? = c.optional(.diagram, in: decoder)
        let scenarios = c.list(.scenarios, of: Scenario.self, in: decoder)
        checkScenarios(scenarios ?? [], exercises: Set((exercises ?? []).map(\.value.id)), in: decoder)
        var journeys: [String: Journey] = [:]
        for entry in journeyEntries ?? [] { journeys[entry.key] = entry.value }
        guard log.entries.count == before, let id, let title, let architecture, let exercises,
              scenarios != nil || !c.contains(.scenarios), let statusChecks,
              journeys.count == journeyEntries?.count, !journeys.isEmpty else { throw AlreadyReported() }
        self.init(id: id, system: systemName, title: title, summary: c.optional(.summary, in: decoder) ?? "",
                  estimatedMinutes: minutes, objectives: objectives ?? [], architecture: architecture, journeys: journeys,
                  probe: probe ?? ProbeSettings(), exercises: exercises.map(\.value), diagramQuestion: diagram?.question,
                  scenarios: scenarios?.map(\.value) ?? [], statusChecks: statusChecks)
    }
}

func isKebabCase(_ text: String) -> Bool {
    !text.isEmpty && text.first != "-" && text.last != "-" && !text.contains("--")
        && text.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" }
}

/// `architecture: { edges: [...] }`.
struct ArchitectureSection: Decodable {
    let edges: [ClaimedEdge]

    private enum Keys: String, CodingKey, CaseIterable { case edges }

    init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        guard c.contains(.edges) else { throw decoder.report("missing required field 'edges' in architecture") }
        let edges = c.list(.edges, of: ClaimedEdge.self, in: decoder) ?? []
        for (index, edge) in edges.enumerated() {
            if let first = edges[..<index].first(where: { $0.value.edge == edge.value.edge }) {
                decoder.problemLog.report("duplicate edge '\(edge.value.edge.key)' (first at line \(first.mark?.line ?? 0)); "
                                          + "list each edge once", at: edge.mark)
            }
        }
        guard decoder.problemLog.entries.count == before else { throw AlreadyReported() }
        self.edges = edges.map(\.value)
    }
}

/// Scenario steps name exercises of the lab; scenario ids are unique.
private func checkScenarios(_ scenarios: [(value: Scenario, mark: Mark?)], exercises: Set<String>, in decoder: any Decoder) {
    for (index, scenario) in scenarios.enumerated() {
        if let first = scenarios[..<index].first(where: { $0.value.id == scenario.value.id }) {
            decoder.problemLog.report("duplicate scenario id '\(scenario.value.id)' (first at line \(first.mark?.line ?? 0))", at: scenario.mark)
        }
        for step in scenario.value.steps where !exercises.isEmpty && !exercises.contains(step) {
            decoder.problemLog.report("scenario '\(scenario.value.id)' names unknown exercise '\(step)'; exercises: "
                                      + exercises.sorted().joined(separator: ", "), at: scenario.mark)
        }
    }
}

extension Scenario: Decodable {
    private enum Keys: String, CodingKey, CaseIterable { case id, title, steps }

    public init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let id: String? = c.required(.id, in: decoder, example: "sale-day-drill")
        if let id, !isKebabCase(id) {
            decoder.problemLog.report("scenario id '\(id)' is not kebab-case", at: c.mark(of: .id, in: decoder))
        }
        let title: String? = c.required(.title, in: decoder, example: "The sale-day drill")
        let steps = c.list(.steps, of: ScenarioStepSection.self, in: decoder)
        if !c.contains(.steps) {
            decoder.problemLog.report("missing required field 'steps' in \(decoder.place); add `steps: [ first-exercise, second-exercise ]`",
                                      at: decoder.mark)
        } else if steps?.isEmpty == true {
            decoder.problemLog.report("a scenario needs at least one step: the ids of exercises, in order",
                                      at: c.mark(of: .steps, in: decoder))
        }
        guard decoder.problemLog.entries.count == before, let id, let title, let steps else { throw AlreadyReported() }
        self.init(id: id, title: title, sequence: steps.map(\.value.step))
    }
}

/// `diagram: { question: ... }`.
struct DiagramSection: Decodable {
    let question: String?

    private enum Keys: String, CodingKey, CaseIterable { case question }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        question = c.optional(.question, in: decoder)
    }
}

/// A scenario step: an exercise id, `{ attack: ID }`, or `{ check: NAME }`.
struct ScenarioStepSection: Decodable {
    let step: ScenarioStep

    private enum Keys: String, CodingKey, CaseIterable { case attack, check }

    init(from decoder: any Decoder) throws {
        if let id = try? decoder.singleValueContainer().decode(String.self) {
            step = .attack(id)
            return
        }
        guard let c = try? decoder.container(keyedBy: Keys.self), c.allKeys.count == 1 else {
            throw decoder.report("a scenario step is an exercise id, or `{ check: NAME }` naming one of the lab's status_checks")
        }
        decoder.reportUnknownKeys(Keys.self)
        if let name: String = c.optional(.check, in: decoder) {
            checkStatusCheckName(name, in: decoder, what: "scenario step", at: c.mark(of: .check, in: decoder))
            step = .check(name)
        } else if let id: String = c.optional(.attack, in: decoder) {
            step = .attack(id)
        } else {
            throw AlreadyReported()
        }
    }
}
