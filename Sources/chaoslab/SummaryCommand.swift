import ArgumentParser
import LabDomain
import LabServer

struct SummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Show the scored summary of a run (the latest by default).")
    @OptionGroup var server: ServerOptions
    @Argument(help: "Run id; the latest run when left out.") var run: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let summary: RunSummary = try await LabClient(server).get("/api/runs/\(run ?? "latest")/summary")
        if json { return try printJSON(summary) }
        printSummary(summary)
    }
}

func printSummary(_ summary: RunSummary) {
    say("")
    say("══ \(summary.labTitle) — \(summary.learner) — score \(summary.score)/100 (\(summary.earned) of \(summary.maxPoints) points) ══")
    say("run \(summary.run), \(summary.status)\(summary.quick ? ", quick mode" : "")")
    let done = summary.exercises.filter(\.judged).count
    if summary.status == "abandoned" {
        say("abandoned after \(done) of \(summary.exercises.count) exercises: scored on what was done, what was not reached counts with 0")
    } else if summary.finishedAt == nil {
        say("not finished: \(done) of \(summary.exercises.count) exercises done; continue with chaoslab run \(summary.lab) --resume")
    }
    say("")
    for exercise in summary.exercises {
        say("\(exercise.id) [\(exercise.kind)] \(exercise.points)/\(exercise.maxPoints) points — \(exercise.status)")
        if exercise.status == "not_run" {
            say(summary.finishedAt == nil ? "  not yet run" : "  not reached: the run ended before it")
            continue
        }
        let predicted = exercise.hypothesis?.rawValue ?? "no prediction"
        for (journey, expected) in exercise.expected.sorted(by: { $0.key < $1.key }) {
            let observed = exercise.observed[journey]?.rawValue ?? "not observed"
            var line = "  \(journey): you predicted \(predicted), observed \(observed) (the lab expects \(expected.rawValue))"
            if let m = exercise.measurements[journey] {
                line += String(format: " — %.0f%% success, %d journeys", m.successRate * 100, m.requests)
                if m.successRate > 0 { line += String(format: ", p95 %.0f ms", m.p95Ms) } else if m.requests > 0 { line += ", none succeeded" }
            }
            say(line)
        }
        if let answer = exercise.observedPrediction, answer == .refused || exercise.alert != nil {
            say("  you predicted \(predicted), observed \(answer.rawValue)\(exercise.alert.map { ": \($0.summary)" } ?? "")")
        }
        if let contact = exercise.faultContact { say("  the fault met \(contact.summary)") }
        if let reason = exercise.reason { say("  note: \(reason)") }
        if let halted = exercise.haltedBy { say("  halted by \(halted)") }
        for check in exercise.checks ?? [] { say("  \(check.evidence)") }
    }
    say("")
    say("diagram                  claimed     discovered  your answer")
    for edge in summary.diagram.claimed.keys.sorted() {
        let claimed = label(summary.diagram.claimed[edge])
        let truth: Bool? = summary.diagram.discovered[edge] ?? nil
        let discovered = label(truth)
        let answered = summary.diagram.answered[edge].map { label($0) } ?? "-"
        let mark = truth != nil && truth != summary.diagram.claimed[edge] ? "  ← the claim was wrong" : ""
        say("  \(edge.padded(22)) \(claimed.padded(11)) \(discovered.padded(11)) \(answered)\(mark)")
    }
    if let map = summary.map, !map.disagreements.isEmpty {
        say("")
        say("the map that traffic drew, where it questions the claim:")
        for line in map.disagreements { say("  \(line)") }
    }
    if let comparison = summary.mapComparison {
        say("")
        say("your prediction of the map: \(comparison.right) of \(comparison.total) journey-and-edge cells right")
        for line in comparison.surprises { say("  ✗ \(line)") }
    }
    say("")
    for line in summary.breakdown { say("  · \(line)") }
}

private func label(_ critical: Bool?) -> String {
    switch critical {
    case true?: return "critical"
    case false?: return "optional"
    case nil: return "untested"
    }
}
