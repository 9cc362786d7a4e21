import ArgumentParser
import Foundation
import LabDomain
import LabEngine
import LabServer
import Yams

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Take a lab in the terminal: hypothesis, status check, attack, outcome, diagram, score.",
        discussion: """
            Runs against the lab server started with `chaoslab start`. Each exercise asks for your \
            prediction, checks steady state, injects the fault while driving the user journey, and \
            compares what happened with what you said. Ctrl-C halts the experiment and removes the fault.

            Without prompts, from an answers file (YAML):

              hypotheses: { block-ads: broken, fix-ads: works }
              diagram: { "storefront->ads": true, "storefront->checkout": true, "storefront->cache": false, "checkout->cache": true }
            """)

    @OptionGroup var server: ServerOptions
    @Argument(help: "The lab id, e.g. is-ads-optional (see chaoslab labs).") var lab: String
    @Option(help: "Your name, shown in the summary and kept with your scores.") var learner: String?
    @Option(help: "Answer from this YAML file instead of prompting.") var answers: String?
    @Flag(help: "Shorten every window to at most 3 s (measurements stay real).") var quick = false
    @Flag(help: "Print the final summary as JSON (the narrative goes to standard error).") var json = false

    func run() async throws {
        let answerFile = try answers.map(AnswerFile.load)
        let client = LabClient(server)
        let detail: API.LabDetail = try await client.get("/api/labs/\(lab)/guide")
        if let answerFile { try answerFile.check(against: detail) }
        let learnerName = learner ?? ProcessInfo.processInfo.environment["USER"] ?? "learner"
        let run: API.RunInfo = try await client.send("POST", "/api/runs", body: API.NewRun(lab: lab, learner: learnerName, quick: quick))
        let guide = Guide(client: client, run: run.run, answers: answerFile, toStandardError: json, answersQuick: quick)
        let halter = HaltOnInterrupt(client: client)
        defer { halter.disarm() }

        guide.intro(detail, run: run)
        for exercise in detail.exercises {
            try await guide.take(exercise)
        }
        try await guide.askDiagram(detail)
        let summary: RunSummary = try await client.send("POST", "/api/runs/\(run.run)/finish", body: Optional<String>.none)
        if json { try printJSON(summary) } else { printSummary(summary) }
    }
}

/// Answers for a run without prompts.
struct AnswerFile: Decodable {
    var hypotheses: [String: Outcome]
    var diagram: [String: Bool]?

    static func load(_ path: String) throws -> AnswerFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError("cannot read the answers file \(path)")
        }
        do {
            return try YAMLDecoder().decode(AnswerFile.self, from: text)
        } catch {
            throw CLIError("\(path): not a valid answers file (\(error)). Expected hypotheses: {EXERCISE: works|degraded|broken} and diagram: {\"from->to\": true|false}")
        }
    }

    func check(against lab: API.LabDetail) throws {
        let exercises = Set(lab.exercises.map(\.id))
        if let unknown = hypotheses.keys.first(where: { !exercises.contains($0) }) {
            throw CLIError("answers file: lab \(lab.id) has no exercise '\(unknown)'; exercises: \(lab.exercises.map(\.id).joined(separator: ", "))")
        }
        if let (exercise, _) = hypotheses.first(where: { $0.value == .inconclusive }) {
            throw CLIError("answers file: the hypothesis for '\(exercise)' must be works, degraded or broken")
        }
        if let missing = lab.exercises.first(where: { hypotheses[$0.id] == nil }) {
            throw CLIError("answers file: no hypothesis for exercise '\(missing.id)'")
        }
        let edges = Set(lab.edges.map(\.edge))
        if let unknown = diagram?.keys.first(where: { !edges.contains($0) }) {
            throw CLIError("answers file: lab \(lab.id) has no edge '\(unknown)'; edges: \(edges.sorted().joined(separator: ", "))")
        }
    }
}
