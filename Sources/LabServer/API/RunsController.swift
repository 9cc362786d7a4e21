import Foundation
import Hummingbird
import LabDomain
import LabEngine
import NIOCore

/// A run of a lab on one workspace, the same routes for the default workspace and a team's:
/// start, hypothesis, fix, status check, attack, scenario, diagram, finish, summary.
struct RunsController {
    let resolver: WorkspaceResolver
    let catalog: LabCatalog

    func addRoutes(to api: RouterGroup<LabRequestContext>) {
        let catalog = catalog
        let resolve: @Sendable (LabRequestContext, TeamAction) async throws -> RunCoordinator = { [resolver] context, action in
            try await resolver.workspace(context, action).coordinator
        }
        api.post("runs") { request, context -> EditedResponse<API.RunInfo> in
            let coordinator = try await resolve(context, .run)
            let body = try await request.decodeJSON(API.NewRun.self)
            return EditedResponse(status: .created, response: try await coordinator.startRun(body))
        }
        api.put("runs/:run/exercises/:exercise/hypothesis") { request, context -> HTTPResponse.Status in
            let coordinator = try await resolve(context, .run)
            let hypothesis = try await request.decodeJSON(API.Hypothesis.self)
            try await coordinator.recordHypothesis(
                run: try context.parameters.require("run"), exercise: try context.parameters.require("exercise"), hypothesis)
            return .noContent
        }
        api.put("runs/:run/exercises/:exercise/fix") { request, context -> HTTPResponse.Status in
            let coordinator = try await resolve(context, .run)
            let fix = try await request.decodeJSON([String: [String: KnobValue]].self)
            try await coordinator.recordFix(run: try context.parameters.require("run"), exercise: try context.parameters.require("exercise"), fix)
            return .noContent
        }
        api.post("runs/:run/exercises/:exercise/attack") { request, context -> Response in
            let coordinator = try await resolve(context, .attack)
            let (run, exercise) = (try context.parameters.require("run"), try context.parameters.require("exercise"))
            return try await Self.streamed({ try await coordinator.beginAttack(run: run, exercise: exercise, events: $0) }) {
                API.AttackLine(result: $0)
            }
        }
        api.post("runs/:run/exercises/:exercise/status-check") { request, context -> Response in
            let coordinator = try await resolve(context, .run)
            let (run, exercise) = (try context.parameters.require("run"), try context.parameters.require("exercise"))
            return try await Self.streamed({ try await coordinator.beginStatusCheck(run: run, exercise: exercise, events: $0) }) {
                API.AttackLine(statusCheck: $0)
            }
        }
        // A game-day scenario of the run's lab, streamed like an attack; it ends with {"scenario": …}.
        api.post("runs/:run/scenarios/:scenario") { request, context -> Response in
            let coordinator = try await resolve(context, .attack)
            let (run, scenario) = (try context.parameters.require("run"), try context.parameters.require("scenario"))
            return try await Self.streamed({ try await coordinator.beginScenario(run: run, scenario: scenario, events: $0) }) {
                API.AttackLine(scenario: $0)
            }
        }
        api.put("runs/:run/diagram") { request, context -> HTTPResponse.Status in
            let coordinator = try await resolve(context, .run)
            let answer = try await request.decodeJSON(API.DiagramAnswer.self)
            try await coordinator.recordDiagram(run: try context.parameters.require("run"), answer)
            return .noContent
        }
        api.post("runs/:run/finish") { request, context in
            try await resolve(context, .run).finish(run: try context.parameters.require("run"))
        }
        // The map that traffic draws for a lab's journeys: `{"lab": ID, "iterations": 5}`.
        api.post("map") { request, context -> TrafficMap in
            let body = try await request.decodeJSON(API.MapRequest.self)
            return try await resolve(context, .run).drawMap(lab: body.lab, iterations: body.iterations ?? 5)
        }
        // The map for a run's lab, kept with the run: `{"iterations": 5}` or no body.
        api.post("runs/:run/map") { request, context -> TrafficMap in
            let body = try await request.decodeJSONIfAny(API.RunMapRequest.self)
            return try await resolve(context, .run).drawMap(
                run: try context.parameters.require("run"), iterations: body?.iterations ?? 5,
                prediction: body?.prediction.map(MapPrediction.init(journeys:)))
        }
        // Ends a run before its last step, graded on what was done; its experiment is halted.
        api.post("runs/:run/abandon") { request, context in
            try await resolve(context, .run).abandon(run: try context.parameters.require("run"))
        }
        // The learner's runs that were started and not finished, with how far each got.
        api.get("learners/:name/open-runs") { request, context -> [API.OpenRun] in
            let name = try context.parameters.require("name")
            return try await resolve(context, .read).openRuns(learner: name.removingPercentEncoding ?? name)
        }
        api.get("runs/:run/summary") { request, context in
            let coordinator = try await resolve(context, .read)
            let run = try context.parameters.require("run")
            let builder = RunSummaryBuilder(store: coordinator.store, catalog: catalog)
            if run == "latest" {
                guard let latest = try await coordinator.store.latestRun() else {
                    throw LabError.notFound("no runs yet; take a lab with chaoslab run LAB")
                }
                return try await builder.summary(runID: latest.id)
            }
            return try await builder.summary(runID: run)
        }
    }

    /// Starts an experiment or a status check and streams it as newline-delimited JSON: one
    /// `{"event": …}` per engine event as it happens, then the closing line that `last`
    /// makes of its result (`{"result": …}` or `{"status_check": …}`). Refusals (a 404, a
    /// 409) are thrown before anything is streamed. Cancelling the experiment's task halts it
    /// (the runner rolls back: the fault removed, the fixed services reset).
    private static func streamed<Result: Sendable>(
        _ begin: (@escaping @Sendable (RunEvent) -> Void) async throws -> Task<Result, Never>,
        last: @escaping @Sendable (Result) -> API.AttackLine
    ) async throws -> Response {
        let (lines, sink) = AsyncStream.makeStream(of: API.AttackLine.self)
        let work = try await begin { sink.yield(API.AttackLine(event: $0)) }
        let finished = Task<Void, Never> {
            sink.yield(last(await work.value))
            sink.finish()
        }
        // A client that disconnects halts what it started: nobody watches, and a fault must not
        // stay in force for the rest of the window.
        return ndjsonResponse(lines, after: finished, clientGone: { work.cancel() })
    }
}
