import Foundation
import LabDomain
import LabEngine
import LabServer

/// Walks a learner through a lab in the terminal: texts, prompts, live progress.
struct Guide {
    let client: LabClient
    let run: String
    let answers: AnswerFile?
    let toStandardError: Bool
    /// Quick mode caps the attack window at 3 s.
    let answersQuick: Bool

    func write(_ text: String = "", terminator: String = "\n") {
        let data = Data((text + terminator).utf8)
        (toStandardError ? FileHandle.standardError : FileHandle.standardOutput).write(data)
    }

    /// A lab's Markdown as the terminal shows it: styled on a terminal (unless `NO_COLOR` or
    /// `TERM=dumb`), plain text otherwise.
    func markdown(_ text: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        let styled = isatty(toStandardError ? 2 : 1) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        return TerminalMarkdown.render(text.trimmingCharacters(in: .whitespacesAndNewlines), styled: styled)
    }

    func intro(_ lab: API.LabDetail, run: API.RunInfo) {
        write("══ \(lab.title) ══")
        if let summary = lab.summary { write(markdown(summary)) }
        if let scoring = lab.scoring { write(scoring) }
        let who = run.learner == "anonymous" ? "(no name: pass --learner NAME to keep your scores under it)" : "for \(run.learner)"
        write("run \(run.run) \(who)\(run.quick ? " (quick mode: windows of at most 3 s)" : "")")
    }

    /// Before any fault: the learner predicts which edges each journey uses (on a terminal, or
    /// from the answers file's `map:`), then sees the map that traffic draws, kept with the run.
    /// A map that cannot be drawn (a fault in force) is said, and the run goes on.
    func showMap(_ lab: API.LabDetail) async {
        write("\n── The map that traffic draws, before any fault ──\n")
        do {
            let prediction = try predictMap(lab)
            let map: TrafficMap = try await client.send("POST", "/api/runs/\(run)/map",
                                                        body: API.RunMapRequest(iterations: 3, prediction: prediction))
            if let prediction {
                let comparison = MapPrediction(journeys: prediction).compared(with: map)
                write("Your prediction: \(comparison.right) of \(comparison.total) journey-and-edge cells right")
                for surprise in comparison.surprises { write("  ✗ \(surprise)") }
            }
            for journey in map.journeys {
                let used = map.edges.filter { journey.share(of: $0) > 0 }
                write("\(journey.journey) uses: \(used.isEmpty ? "no edge" : used.joined(separator: ", "))")
            }
            if !map.silent.isEmpty { write("carried nothing: \(map.silent.joined(separator: ", "))") }
            if !map.disagreements.isEmpty {
                write("Where the traffic questions the claim (an edge in use is not yet proven critical: the experiments show that):")
                for line in map.disagreements { write("  · \(line)") }
            }
        } catch {
            write("no map: \(error)")
        }
    }

    /// The edges each journey will use, as the learner predicts them; nil when an answers file says nothing of the map.
    private func predictMap(_ lab: API.LabDetail) throws -> [String: [String]]? {
        if let answers { return answers.map }
        let edges = lab.edges.map(\.edge)
        guard let journeys = lab.journeys, !journeys.isEmpty, !edges.isEmpty else { return nil }
        write("First, predict it: which edges will each journey use?")
        for (number, edge) in edges.enumerated() { write("  [\(number + 1)] \(edge)") }
        var prediction: [String: [String]] = [:]
        for journey in journeys {
            while prediction[journey] == nil {
                write("  \(journey) uses (numbers separated by spaces, Enter for none): ", terminator: "")
                guard let line = readLine() else {
                    throw CLIError("no answer on standard input; pass --answers FILE to run without prompts")
                }
                let numbers = line.split(whereSeparator: { $0 == " " || $0 == "," }).map { Int($0) }
                if numbers.allSatisfy({ $0.map { (1...edges.count).contains($0) } ?? false }) {
                    prediction[journey] = numbers.compactMap { $0 }.map { edges[$0 - 1] }
                } else {
                    write("  (numbers from 1 to \(edges.count), like 1 2)")
                }
            }
        }
        write("")
        return prediction
    }

    func take(_ exercise: API.ExerciseDetail) async throws {
        write("\n── \(exercise.title) (\(exercise.id)) ──\n")
        write(markdown(exercise.brief))
        var applied: [String: [String: KnobValue]]?
        if let settings = exercise.fixSettings {
            // The same choice as the browser's: the lab's values, or the learner's own.
            let chosen = try answers.map { answers in
                settings.merging(answers.fixes[exercise.id] ?? [:]) { lab, own in lab.merging(own) { $1 } }
            } ?? askFix(settings)
            if chosen != settings {
                try await client.send("PUT", "/api/runs/\(run)/exercises/\(exercise.id)/fix", body: chosen, as: NoContent.self)
            }
            applied = chosen
            write("\nThe fix applied for this experiment: \(describeFix(chosen))\(chosen == settings ? " (the lab's)" : " (yours)")")
        } else if let fix = exercise.fix {
            write("\nThe fix applied for this experiment: \(markdown(fix))")
        }
        write("\nThe experiment: \(exercise.attack)")
        let hypothesis = try answers?.hypotheses[exercise.id] ?? ask(exercise, settings: applied)
        write("Your hypothesis: \(hypothesis.rawValue)")
        try await client.send("PUT", "/api/runs/\(run)/exercises/\(exercise.id)/hypothesis",
                              body: API.Hypothesis(outcome: hypothesis), as: NoContent.self)
        var result: ExerciseResult?
        let attackSeconds = answersQuick ? min(exercise.attackSeconds, 3) : exercise.attackSeconds
        var progress = ProgressLine(attackSeconds: attackSeconds, write: write)
        try await client.stream("POST", "/api/runs/\(run)/exercises/\(exercise.id)/attack", body: Optional<String>.none) { data in
            guard let line = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
            if let event = line["event"] as? [String: Any] { progress.show(event) }
            if line["result"] != nil { result = try JSONDecoder().decode(API.AttackLine.self, from: data).result }
            if let error = line["error"] as? String { throw CLIError(error) }
        }
        progress.end()
        guard let result else { throw CLIError("the lab server ended the experiment without a result") }
        report(result, exercise: exercise, hypothesis: hypothesis, settings: applied)
    }

    private func report(_ result: ExerciseResult, exercise: API.ExerciseDetail, hypothesis: Outcome,
                        settings: [String: [String: KnobValue]]?) {
        write("")
        for (journey, outcome) in result.observed.sorted(by: { $0.key < $1.key }) {
            var line = "Observed: \(journey) \(outcome.rawValue.uppercased())"
            if let m = result.measurements[journey] {
                line += String(format: " — %.0f%% of %d journeys succeeded", m.successRate * 100, m.requests)
                if m.successes > 0 {
                    line += String(format: ", p95 %.0f ms", m.p95Ms)
                } else if m.requests > 0 {
                    line += String(format: ", no latency to show (%.0f%% timed out)", m.timedOutShare * 100)
                }
                if let error = m.errors.max(by: { $0.value < $1.value }) { line += " (most common failure: \(error.key))" }
            }
            write(line)
        }
        if let contact = result.faultContact { write("The fault met \(contact.summary).") }
        if let reason = result.reason { write("Note: \(reason)") }
        if let halted = result.haltedBy { write("Halted by \(halted)") }
        if let alert = result.alert { write("Alert: \(alert.summary)") }
        let primary = result.observedPrediction
        if primary == nil || primary == .inconclusive {
            write("Inconclusive: this experiment is not graded against you.")
        } else if primary == hypothesis {
            write("✓ Your prediction (\(hypothesis.rawValue)) matched.")
        } else {
            write("✗ You predicted \(hypothesis.rawValue).")
            for hint in exercise.hints { write("  hint: \(markdown(hint))") }
        }
        let debrief = result.observedPrediction.flatMap { exercise.debriefs?[$0.rawValue] } ?? exercise.debrief
        if !debrief.isEmpty { write("\n" + markdown(LessonText.fill(debrief, fix: settings, measurements: result.measurements))) }
    }

    /// Each knob of the fix, with the lab's value as the default: Enter keeps it.
    private func askFix(_ settings: [String: [String: KnobValue]]) throws -> [String: [String: KnobValue]] {
        write("\nThe fix sets these knobs. Press Enter to keep the lab's value, or type your own:")
        var chosen = settings
        for (service, knobs) in settings.sorted(by: { $0.key < $1.key }) {
            for (knob, value) in knobs.sorted(by: { $0.key < $1.key }) {
                while true {
                    write("  \(service).\(knob) [\(value)]: ", terminator: "")
                    guard let line = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else {
                        throw CLIError("no answer on standard input; pass --answers FILE to run without prompts")
                    }
                    if line.isEmpty { break }
                    if let typed = KnobValue(typed: line, like: value) {
                        chosen[service]?[knob] = typed
                        break
                    }
                    write(value.isBool ? "Please answer true or false." : "Please answer a whole number, 0 or more.")
                }
            }
        }
        return chosen
    }

    private func ask(_ exercise: API.ExerciseDetail, settings: [String: [String: KnobValue]]?) throws -> Outcome {
        write("\n\(markdown(LessonText.fill(exercise.question, fix: settings)))")
        let order = Outcome.allCases.filter { exercise.choices[$0.rawValue] != nil }
        for (index, outcome) in order.enumerated() {
            write("  \(index + 1). \(outcome.rawValue): \(markdown(LessonText.fill(exercise.choices[outcome.rawValue] ?? "", fix: settings)))")
        }
        let names = order.map(\.rawValue).joined(separator: "/")
        while true {
            write("Your prediction [1-\(order.count) or \(names)]: ", terminator: "")
            guard let line = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else {
                throw CLIError("no answer on standard input; pass --answers FILE to run without prompts")
            }
            if let number = Int(line), order.indices.contains(number - 1) { return order[number - 1] }
            if let outcome = Outcome(rawValue: line), order.contains(outcome) { return outcome }
            write("Please answer a number from 1 to \(order.count), or \(names).")
        }
    }

    func askDiagram(_ lab: API.LabDetail) async throws {
        write("\n── The diagram ──\n\(markdown(lab.diagramQuestion))")
        var edges: [String: Bool] = [:]
        for claim in lab.edges {
            if let answers {
                // Only what the file says: an edge it leaves out is unanswered, not the claim.
                if let answer = answers.diagram?[claim.edge] { edges[claim.edge] = answer }
                continue
            }
            while edges[claim.edge] == nil {
                write("  Is \(claim.edge) critical? (the diagram says \(claim.critical ? "yes" : "no")) [y/n]: ", terminator: "")
                guard let line = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else {
                    throw CLIError("no answer on standard input; pass --answers FILE to run without prompts")
                }
                if ["y", "yes"].contains(line) { edges[claim.edge] = true }
                if ["n", "no"].contains(line) { edges[claim.edge] = false }
            }
        }
        try await client.send("PUT", "/api/runs/\(run)/diagram", body: API.DiagramAnswer(edges: edges), as: NoContent.self)
    }
}

extension KnobValue {
    /// `text` as a value of the same kind as `like`: true/false (yes/no, on/off) for a flag, a
    /// whole number of 0 or more otherwise; nil when it is not one.
    init?(typed text: String, like: KnobValue) {
        switch like {
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on": self = .bool(true)
            case "false", "no", "off": self = .bool(false)
            default: return nil
            }
        default:
            guard let number = Int(text), number >= 0 else { return nil }
            self = .int(number)
        }
    }

    var isBool: Bool { if case .bool = self { true } else { false } }
}
