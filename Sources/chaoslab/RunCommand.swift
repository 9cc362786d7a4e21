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
            compares what happened with what you said. A fix exercise shows its knobs with the lab's \
            values: press Enter to keep each one, or type your own, as in the browser. Ctrl-C halts \
            the experiment and removes the fault; the run stays open.

            An interrupted run continues from its next step with --resume (or in the browser, from \
            the home page). Starting the same lab afresh ends the unfinished run as abandoned, scored \
            on what was done; `chaoslab abandon LAB` does so without starting again.

            The run begins before any fault: you predict which edges each journey uses, then it \
            draws the map that traffic draws and sets your prediction beside it.

            Without prompts, from an answers file (YAML); `fixes` is optional (the lab's values \
            otherwise), `map` too (no prediction then):

              hypotheses: { block-ads: broken, fix-ads: works }
              map: { checkout: [ "storefront->checkout", "checkout->cache" ], browse: [] }
              fixes: { fix-ads: { storefront: { ads_timeout_ms: 300, ads_fallback: false } } }
              diagram: { "storefront->ads": true, "storefront->checkout": true, "storefront->cache": false, "checkout->cache": true }
            """)

    @OptionGroup var server: ServerOptions
    @Argument(help: "The lab id, e.g. is-ads-optional (see chaoslab labs).") var lab: String
    @Option(help: "Your name, shown in the summary and kept with your scores.") var learner: String?
    @Option(help: "Answer from this YAML file instead of prompting.") var answers: String?
    @Flag(help: "Shorten every window to at most 3 s (measurements stay real).") var quick = false
    @Flag(help: "Print the final summary as JSON (the narrative goes to standard error).") var json = false
    @Flag(help: "Continue your unfinished run of this lab from its next step (in the mode it was started in).") var resume = false

    func run() async throws {
        let answerFile = try answers.map(AnswerFile.load)
        let client = LabClient(server)
        let detail: API.LabDetail = try await client.get("/api/labs/\(lab)/guide")
        if let answerFile { try answerFile.check(against: detail) }
        // Without --learner, the login name; without one, an anonymous learner the intro says how to name.
        let learnerName = learner ?? ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "anonymous"
        let unfinished = try await client.openRuns(of: learnerName).first { $0.lab == lab }
        if resume && unfinished == nil {
            throw CLIError("\(learnerName) has no unfinished run of \(lab); start one with chaoslab run \(lab)")
        }
        let resuming = unfinished.flatMap { shouldResume($0, prompting: answerFile == nil) ? $0 : nil }
        let run: API.RunInfo
        var done: Set<String> = []
        if let resuming {
            run = API.RunInfo(run: resuming.run, lab: lab, learner: learnerName, quick: resuming.quick)
            let progress: RunSummary = try await client.get("/api/runs/\(resuming.run)/summary")
            done = Set(progress.exercises.filter(\.judged).map(\.id))
        } else {
            run = try await client.send("POST", "/api/runs", body: API.NewRun(lab: lab, learner: learnerName, quick: quick))
            for id in run.abandoned ?? [] {
                FileHandle.standardError.write(Data("your unfinished run \(id) of \(lab) ended as abandoned (see chaoslab summary \(id))\n".utf8))
            }
        }
        let guide = Guide(client: client, run: run.run, answers: answerFile, toStandardError: json, answersQuick: run.quick)
        let again = learner.map { " --learner '\($0)'" } ?? ""
        let halter = HaltOnInterrupt(client: client, afterHalt: "run \(run.run) stays open: continue it with "
                                     + "`chaoslab run \(lab) --resume\(again)`, or end it with `chaoslab abandon \(lab)\(again)`")
        defer { halter.disarm() }

        guide.intro(detail, run: run)
        if resuming != nil {
            guide.write("continuing: \(done.count) of \(detail.exercises.count) exercises done")
        } else {
            await guide.showMap(detail)
        }
        for exercise in detail.exercises where !done.contains(exercise.id) {
            try await guide.take(exercise)
        }
        try await guide.askDiagram(detail)
        let summary: RunSummary = try await client.send("POST", "/api/runs/\(run.run)/finish", body: Optional<String>.none)
        if json { try printJSON(summary) } else { printSummary(summary) }
    }
}

extension RunCommand {
    /// Whether to continue `open`, the learner's unfinished run of this lab: with --resume, yes;
    /// on a terminal, the learner says; from an answers file, no (a new run replaces it).
    private func shouldResume(_ open: API.OpenRun, prompting: Bool) -> Bool {
        if resume { return true }
        guard prompting, isatty(0) == 1 else { return false }
        let when = open.startedAt.formatted(date: .abbreviated, time: .shortened)
        say("You have an unfinished run of \(open.labTitle), started \(when): \(open.done) of \(open.total) exercises done, next: \(open.next).")
        while true {
            FileHandle.standardOutput.write(Data("Continue it? (no starts again and ends it as abandoned) [Y/n]: ".utf8))
            guard let line = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
            if ["", "y", "yes"].contains(line) { return true }
            if ["n", "no"].contains(line) { return false }
        }
    }
}

extension LabClient {
    /// The learner's unfinished runs, newest first.
    func openRuns(of learner: String) async throws -> [API.OpenRun] {
        let name = learner.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? learner
        return try await get("/api/learners/\(name)/open-runs")
    }
}

/// Answers for a run without prompts.
struct AnswerFile {
    var hypotheses: [String: Outcome]
    var diagram: [String: Bool]?
    /// A fix exercise's own settings (`fixes: { fix-ads: { storefront: { ads_fallback: false } } }`),
    /// merged over the lab's; an exercise not named here gets the lab's.
    var fixes: [String: [String: [String: KnobValue]]] = [:]
    /// The prediction of the map (`map: { browse: [gateway->catalog] }`): the edges each journey will use.
    var map: [String: [String]]?

    /// Reads an answers file; every mistake is `FILE:LINE:COL: message`, as for labs.
    static func load(_ path: String) throws -> AnswerFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError("cannot read the answers file \(path)")
        }
        func problem(_ mark: Mark?, _ message: String) -> CLIError {
            CLIError("\(path):\(mark?.line ?? 1):\(mark?.column ?? 1): \(message)")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let message, let mark, _), .parser(_, let message, let mark, _), .composer(_, let message, let mark, _):
                throw problem(mark, "not YAML: \(message)")
            default:
                throw problem(nil, "not YAML: \(error)")
            }
        }
        guard let mapping = root?.mapping else {
            throw problem(root?.mark, "an answers file is a mapping: hypotheses: {EXERCISE: works|degraded|broken} and diagram: {\"from->to\": true|false}")
        }
        var file = AnswerFile(hypotheses: [:], diagram: nil)
        for (key, value) in mapping {
            switch key.string {
            case "hypotheses":
                guard let entries = value.mapping else { throw problem(value.mark, "hypotheses: a mapping of exercise ids to works, degraded or broken") }
                for (exercise, outcome) in entries {
                    guard let id = exercise.string, let answer = outcome.string.flatMap(Outcome.init(rawValue:)), answer != .inconclusive else {
                        throw problem(outcome.mark, "the hypothesis for '\(exercise.string ?? "?")' must be an outcome (works, degraded, broken, refused, alerted, silent), not '\(outcome.string ?? "?")'")
                    }
                    file.hypotheses[id] = answer
                }
            case "diagram":
                guard let entries = value.mapping else { throw problem(value.mark, "diagram: a mapping of edges (\"from->to\") to true or false") }
                var diagram: [String: Bool] = [:]
                for (edge, critical) in entries {
                    guard let name = edge.string, let answer = critical.bool else {
                        throw problem(critical.mark, "the answer for edge '\(edge.string ?? "?")' must be true (critical) or false, not '\(critical.string ?? "?")'")
                    }
                    diagram[name] = answer
                }
                file.diagram = diagram
            case "fixes":
                guard let entries = value.mapping else {
                    throw problem(value.mark, "fixes: a mapping of fix exercise ids to { SERVICE: { KNOB: VALUE } }")
                }
                for (exercise, services) in entries {
                    guard let id = exercise.string, let services = services.mapping else {
                        throw problem(services.mark, "the fix for '\(exercise.string ?? "?")' is a mapping of services to knobs")
                    }
                    var fix: [String: [String: KnobValue]] = [:]
                    for (service, knobs) in services {
                        guard let name = service.string, let knobs = knobs.mapping else {
                            throw problem(knobs.mark, "the knobs of '\(service.string ?? "?")' are a mapping, like { ads_fallback: false }")
                        }
                        for (knob, setting) in knobs {
                            let value: KnobValue? = setting.bool.map(KnobValue.bool) ?? setting.int.flatMap { $0 >= 0 ? .int($0) : nil }
                            guard let knobName = knob.string, let value else {
                                throw problem(setting.mark, "\(name).\(knob.string ?? "?") takes true or false, or a whole number of 0 or more, "
                                              + "not '\(setting.string ?? "?")'")
                            }
                            fix[name, default: [:]][knobName] = value
                        }
                    }
                    file.fixes[id] = fix
                }
            case "map":
                guard let entries = value.mapping else {
                    throw problem(value.mark, "map: a mapping of journeys to the edges each will use, like { browse: [\"gateway->catalog\"] }")
                }
                var prediction: [String: [String]] = [:]
                for (journey, edges) in entries {
                    guard let name = journey.string, let list = edges.sequence else {
                        throw problem(edges.mark, "the prediction for journey '\(journey.string ?? "?")' is a list of edges, like [\"gateway->catalog\"] (or [] for none)")
                    }
                    prediction[name] = list.compactMap(\.string)
                }
                file.map = prediction
            default:
                throw problem(key.mark, "unknown key '\(key.string ?? "?")'; an answers file has hypotheses, fixes, map and diagram")
            }
        }
        return file
    }

    func check(against lab: API.LabDetail) throws {
        let exercises = Set(lab.exercises.map(\.id))
        if let unknown = hypotheses.keys.first(where: { !exercises.contains($0) }) {
            throw CLIError("answers file: lab \(lab.id) has no exercise '\(unknown)'; exercises: \(lab.exercises.map(\.id).joined(separator: ", "))")
        }
        for (id, fix) in fixes.sorted(by: { $0.key < $1.key }) {
            guard let settings = lab.exercises.first(where: { $0.id == id })?.fixSettings else {
                throw CLIError("answers file: '\(id)' is not a fix exercise of lab \(lab.id); fix exercises: "
                               + lab.exercises.filter { $0.fixSettings != nil }.map(\.id).joined(separator: ", "))
            }
            for (service, knobs) in fix {
                for knob in knobs.keys where settings[service]?[knob] == nil {
                    throw CLIError("answers file: the fix of \(id) sets no knob \(service).\(knob); its knobs: "
                                   + settings.flatMap { service, knobs in knobs.keys.map { "\(service).\($0)" } }.sorted().joined(separator: ", "))
                }
            }
        }
        for exercise in lab.exercises {
            if let answer = hypotheses[exercise.id], exercise.choices[answer.rawValue] == nil {
                throw CLIError("answers file: the hypothesis for '\(exercise.id)' must be one of "
                               + Outcome.allCases.filter { exercise.choices[$0.rawValue] != nil }.map(\.rawValue).joined(separator: ", ")
                               + ", not \(answer.rawValue)")
            }
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
