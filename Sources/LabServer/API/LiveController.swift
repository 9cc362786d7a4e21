import Foundation
import Hummingbird
import LabDomain
import LabEngine
import NIOCore
import ServiceLifecycle

extension API {
    /// What every member of a team sees, the same for all: `GET /api/teams/{name}/state`,
    /// and pushed by `GET /api/teams/{name}/live` (server-sent events) whenever it changes.
    public struct LiveState: Codable, Sendable {
        public var team: String
        public var members: [Member]
        /// Each service's health, by name.
        public var services: [String: Bool]
        /// The faults in force, in words.
        public var faults: [String]
        /// New faults are refused (the facilitator's lock, or a halt with lock).
        public var locked: Bool
        /// What holds the sandbox now: "attack", "status_check" or "scenario"; nil when idle.
        public var activity: String?
        /// The activity in words, e.g. "attack of block-ads".
        public var activityText: String?
        /// The team's latest run.
        public var run: LiveRun?
        /// The latest events of that run, in words, oldest first.
        public var events: [LiveLine]
        /// The team's notes, user reports and action items, oldest first.
        public var timeline: [TimelineLine]

        enum CodingKeys: String, CodingKey {
            case team, members, services, faults, locked, activity, run, events, timeline
            case activityText = "activity_text"
        }
    }

    public struct LiveRun: Codable, Sendable {
        public var id: String
        public var lab: String
        public var labTitle: String
        public var learner: String
        public var quick: Bool
        public var finished: Bool
        public var score: Int?
        /// The first exercise without a completed result; nil once every one has one.
        public var currentExercise: String?
        public var currentTitle: String?
        /// The hypothesis recorded for the current exercise.
        public var hypothesis: String?
        public var exercisesDone: Int
        public var exercises: Int
        /// The latest exercise with a result, in words.
        public var lastResult: String?
        /// The current exercise's journey and its objective, for the live chart.
        public var journey: String?
        public var sloSuccessPercent: Int?
        public var sloP95Ms: Int?

        enum CodingKeys: String, CodingKey {
            case id, lab, learner, quick, finished, score, hypothesis, exercises
            case labTitle = "lab_title", currentExercise = "current_exercise", currentTitle = "current_title"
            case exercisesDone = "exercises_done", lastResult = "last_result", journey
            case sloSuccessPercent = "slo_success_percent", sloP95Ms = "slo_p95_ms"
        }
    }

    /// A run event in words, at its time since the run started.
    public struct LiveLine: Codable, Sendable {
        public var time: String
        public var exercise: String
        public var text: String
    }

    /// A service of a team's sandbox, for the observer: health, restarts and its latest log lines.
    public struct ServiceView: Codable, Sendable {
        public var name: String
        public var healthy: Bool
        public var state: String
        public var restarts: Int
        public var faults: [String]
        public var log: [String]
    }
}

extension API.LiveState: ResponseEncodable {}
extension API.ServiceView: ResponseEncodable {}

/// What a team watches, under `/api/teams/{team}`: its state now (`GET state`), the same
/// pushed live (`GET live`, server-sent events), and its services for the observer (`GET services`).
struct LiveController {
    let access: GroupAccess
    let catalog: LabCatalog

    var teams: TeamRegistry { access.teams }

    func addRoutes(to team: RouterGroup<LabRequestContext>) {
        team.get("state") { _, context in await liveState(try await reader(context)) }
        team.get("live") { _, context in liveStream(try await reader(context)) }
        team.get("services") { _, context in await serviceViews(try await reader(context), logLines: 15) }
    }

    private func reader(_ context: LabRequestContext) async throws -> Team {
        try await context.actor(onTeam: try context.parameters.require("team"), for: .read, access: access).team
    }

    /// The team's state now, as every member sees it.
    func liveState(_ team: Team) async -> API.LiveState {
        let workspace = team.workspace
        let status = await workspace.sandbox.status()
        let activity = await workspace.coordinator.activity
        var state = API.LiveState(
            team: team.name, members: await teams.members(of: team.name).map(API.Member.init),
            services: Dictionary(uniqueKeysWithValues: status.services.map { ($0.name, $0.healthy) }),
            faults: await workspace.board.list().map { "\($0.fault.description) on \($0.target)" },
            locked: await workspace.board.locked,
            activity: activity?.kind.rawValue,
            activityText: activity.map { $0.kind.prefix + $0.label },
            run: nil, events: [], timeline: await teams.timeline(of: team.name).suffix(50).map(API.TimelineLine.init))
        let store = workspace.coordinator.store
        guard let latest = try? await store.latestRun(),
              let summary = try? await RunSummaryBuilder(store: store, catalog: catalog).summary(runID: latest.id)
        else { return state }
        let current = summary.exercises.first { $0.status != "completed" }
        let last = summary.exercises.last { $0.status != "not_run" }
        let lab = catalog.labs.first { $0.id == summary.lab }
        let journey = (current.flatMap { lab?.exercise($0.id) } ?? lab?.exercises.last)?.primaryJourney
        let slo = journey.flatMap { lab?.journeys[$0]?.slo }
        state.run = API.LiveRun(
            id: summary.run, lab: summary.lab, labTitle: summary.labTitle, learner: summary.learner, quick: summary.quick,
            finished: summary.finishedAt != nil, score: summary.finishedAt != nil ? summary.score : nil,
            currentExercise: current?.id, currentTitle: current?.title, hypothesis: current?.hypothesis?.rawValue,
            exercisesDone: summary.exercises.count(where: \.judged), exercises: summary.exercises.count,
            lastResult: last.map { exercise in
                let observed = exercise.observed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }.joined(separator: ", ")
                return "\(exercise.title): \(exercise.status)" + (observed.isEmpty ? "" : ", observed \(observed)")
                    + (exercise.hypothesis.map { ", predicted \($0.rawValue)" } ?? "")
            },
            journey: journey, sloSuccessPercent: slo.map { Int(($0.successRate * 100).rounded()) }, sloP95Ms: slo.map { Int($0.p95Ms) })
        let events = (try? await store.latestEvents(runID: summary.run, limit: 20, excluding: "probe_sample")) ?? []
        state.events = events.compactMap { TimelineRow($0, start: summary.startedAt) }
            .map { API.LiveLine(time: $0.time, exercise: $0.exercise, text: $0.text) }
        return state
    }

    /// `GET /api/teams/{name}/live`: server-sent events. First the state (`event: state`),
    /// then each engine event as it happens (`event: run`, the same `{"event": …}` as a
    /// streamed attack's lines), and the state again whenever it changes: at once after a
    /// change the server knows of, within 2 s of any other (a fault added through the
    /// Toxiproxy API, a service restarting). The stream ends when the team is removed or
    /// the server stops; browsers reconnect by themselves.
    func liveStream(_ team: Team) -> Response {
        let feed = team.workspace.feed
        let body = ResponseBody { writer in
            let (id, messages) = feed.subscribe()
            enum Item { case message(LiveFeed.Message), tick }
            let (items, sink) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingNewest(512))
            let forward = Task {
                for await message in messages { sink.yield(.message(message)) }
                sink.finish()
            }
            let ticks = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(2))
                    sink.yield(.tick)
                }
            }
            defer {
                forward.cancel()
                ticks.cancel()
                feed.unsubscribe(id)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            var sent = Data()
            /// Sends the state when it changed (or `always`); tells whether it sent it.
            @discardableResult
            func sendState(always: Bool) async throws -> Bool {
                // One build per change (or per second) for all of the team's open pages.
                let data = try await team.workspace.liveState.value(version: feed.version) { try encoder.encode(await liveState(team)) }
                guard always || data != sent else { return false }
                sent = data
                try await writer.write(ByteBuffer(string: "event: state\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                return true
            }
            try await withGracefulShutdownHandler {
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                try await sendState(always: true)
                for await item in items {
                    switch item {
                    case .message(.event(_, let event)):
                        let line = try encoder.encode(API.AttackLine(event: event))
                        try await writer.write(ByteBuffer(string: "event: run\ndata: \(String(decoding: line, as: UTF8.self))\n\n"))
                        if event.isPerSecond { continue }
                        try await sendState(always: false)
                    case .message(.changed):
                        try await sendState(always: false)
                    case .tick:
                        // A comment when nothing changed: a client that went away is noticed
                        // at once, and idle connections stay open through proxies.
                        if try await !sendState(always: false) { try await writer.write(ByteBuffer(string: ": idle\n\n")) }
                    }
                }
            } onGracefulShutdown: {
                feed.unsubscribe(id)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: body)
    }

    /// The team's services for the observer: health, restarts, faults and the last lines of each log.
    func serviceViews(_ team: Team, logLines: Int) async -> [API.ServiceView] {
        let workspace = team.workspace
        var views: [API.ServiceView] = []
        for service in await workspace.sandbox.status().services {
            views.append(API.ServiceView(
                name: service.name, healthy: service.healthy, state: service.healthy ? "up" : "down (\(service.state))",
                restarts: service.restarts, faults: await workspace.board.services.faults(of: service.name).map(\.description),
                log: (try? await workspace.sandbox.logs(of: service.name, last: logLines)) ?? []))
        }
        return views
    }
}
