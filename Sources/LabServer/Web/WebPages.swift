import Foundation
import Hummingbird
import LabDomain
import LabEngine
import LabStore
import Sandbox

/// The lab in the browser: server-rendered pages (Mustache) over the same coordinator,
/// store and fault board as the lab API; the pages' script acts through the lab API
/// only, so grading and every check stay on the server.
///
/// - `/`: the labs, the learner's name and best scores, the sandbox at a glance;
/// - `/runs/{run}`: a run, one exercise at a time, then the diagram question;
/// - `/runs/{run}/summary` and its report as Markdown, HTML and JSON;
/// - `/sandbox`: services, logs, edges and a fault playground;
/// - `/assets/{file}`: the style sheet and the script.
struct WebPages {
    let templates: PageTemplates
    let coordinator: RunCoordinator
    let sandbox: Sandbox
    let catalog: LabCatalog
    let board: FaultBoard

    /// The team whose pages these are (under `/teams/NAME`, acting on its API); nil for the default workspace.
    var team: String? = nil

    init(templates: PageTemplates, workspace: Workspace, catalog: LabCatalog, team: String? = nil) {
        self.templates = templates
        coordinator = workspace.coordinator
        sandbox = workspace.sandbox
        self.catalog = catalog
        board = workspace.board
        self.team = team
    }

    /// The default workspace's pages: the group carries `FacilitatorOnly` on a group server.
    func addRoutes(to router: RouterGroup<LabRequestContext>) {
        router.get("/") { _, _ in try templates.page("home", await homePage()) }
        let pages = self
        Self.addRunPages(to: router.group("runs")) { _, _ in pages }
        router.get("sandbox") { _, _ in try templates.page("sandbox", await sandboxPage()) }
    }

    /// The pages' style sheet and scripts, open to everyone.
    static func addAssetRoutes(to router: RouterGroup<LabRequestContext>, templates: PageTemplates) {
        router.get("assets/:file") { _, context -> Response in
            let name = try context.parameters.require("file")
            guard let asset = templates.assets[name] else { throw LabError.notFound("no asset '\(name)'") }
            return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "max-age=300"], body: .init(byteBuffer: asset.body))
        }
        router.get("favicon.ico") { _, _ in Response(status: .noContent) }
    }

    /// A run's pages under `group` (`runs/{run}`, its summary and reports), on the pages `resolve` finds per request.
    static func addRunPages(
        to group: RouterGroup<LabRequestContext>, resolve: @escaping @Sendable (Request, LabRequestContext) async throws -> WebPages
    ) {
        group.get(":run") { request, context -> Response in
            let pages = try await resolve(request, context)
            let run = try context.parameters.require("run")
            if let page = try await pages.runPage(run) { return try pages.templates.page("run", page) }
            return Response(status: .seeOther, headers: [.location: "\(pages.layoutBase)/runs/\(run)/summary"])
        }
        group.get(":run/summary") { request, context in
            let pages = try await resolve(request, context)
            return try pages.templates.page("summary", try await pages.summaryPage(try context.parameters.require("run")))
        }
        group.get(":run/report.md") { request, context in
            let pages = try await resolve(request, context)
            let summary = try await pages.summaryPage(try context.parameters.require("run"))
            return download(ReportRenderer.markdown(summary), type: "text/markdown; charset=utf-8", name: "chaoslab-\(summary.summary.run).md")
        }
        group.get(":run/report.html") { request, context in
            let pages = try await resolve(request, context)
            let summary = try await pages.summaryPage(try context.parameters.require("run"))
            let body = Markdown.html(ReportRenderer.markdown(summary, forHTML: true))
            let html = pages.templates.render("report", ReportRenderer.Report(title: "chaoslab report: \(summary.summary.labTitle)", bodyHTML: body))
            return download(html, type: "text/html; charset=utf-8", name: "chaoslab-\(summary.summary.run).html")
        }
        group.get(":run/report.json") { request, context in
            let pages = try await resolve(request, context)
            let summary = try await pages.summaryPage(try context.parameters.require("run")).summary
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            return download(String(decoding: try encoder.encode(summary), as: UTF8.self), type: "application/json", name: "chaoslab-\(summary.run).json")
        }
    }

    /// The prefix of these pages' links: empty, or `/teams/NAME`.
    var layoutBase: String { team.map { "/teams/\($0)" } ?? "" }

    // MARK: Pages

    func layout(_ title: String, page: String) async -> Layout {
        let storefront = if let team { TeamPage.shopPath(team) } else { await sandbox.url(of: "storefront") }
        return Layout(title: title, page: page, faultCount: await board.list().count, storefrontURL: storefront, team: team)
    }

    func homePage() async -> HomePage {
        let cards = catalog.labs.map { lab in
            LabCard(
                id: lab.id, title: lab.title, summaryHTML: Markdown.html(lab.summary), minutes: lab.estimatedMinutes.map { "About \($0) minutes" },
                exercises: lab.exercises.map(\.title), objectives: lab.objectives)
        }
        let faults = await faultRows()
        return HomePage(
            layout: await layout("Labs", page: "home"), labs: cards,
            services: await serviceRows(logLines: 0), faults: faults, hasFaults: !faults.isEmpty)
    }

    func sandboxPage() async -> SandboxPage {
        let status = await sandbox.status()
        let edges = status.edges.map { edge in
            EdgeRow(
                name: edge.name, listen: edge.listen, upstream: edge.upstream.isEmpty ? "–" : edge.upstream,
                faults: edge.faults.isEmpty ? "none" : edge.faults.map(\.description).joined(separator: "; "))
        }
        let faults = await faultRows()
        return SandboxPage(
            layout: await layout("Sandbox", page: "sandbox"), services: await serviceRows(logLines: 20), edges: edges,
            faults: faults, hasFaults: !faults.isEmpty, targets: ShopTopology.edges.map(\.name) + ShopTopology.services,
            faultTypes: FaultCatalog.names(.edge)
                + ServiceFaultKind.types)
    }

    private func serviceRows(logLines: Int) async -> [ServiceRow] {
        var rows: [ServiceRow] = []
        for service in await sandbox.status().services {
            let faults = await board.services.faults(of: service.name)
            let lines = logLines > 0 ? ((try? await sandbox.logs(of: service.name, last: logLines)) ?? []) : []
            rows.append(ServiceRow(
                name: service.name, healthy: service.healthy, state: service.healthy ? "up" : "down (\(service.state))",
                pid: service.pid.map(String.init) ?? "–", url: service.url ?? "", restarts: service.restarts,
                faults: faults.map(\.description).joined(separator: "; "), logLines: lines))
        }
        return rows
    }

    private func faultRows() async -> [FaultRow] {
        await board.list().map { fault in
            FaultRow(
                target: fault.target, id: fault.fault.id, description: fault.fault.description,
                expires: fault.fault.expiresInMs.map { "\(($0 + 999) / 1000) s left" } ?? "until removed")
        }
    }

    /// The run page, or nil when the run is closed (its summary is the page to show).
    func runPage(_ runID: String) async throws -> RunPage? {
        let summary = try await RunSummaryBuilder(store: coordinator.store, catalog: catalog).summary(runID: runID)
        guard summary.finishedAt == nil, let lab = catalog.labs.first(where: { $0.id == summary.lab }) else { return nil }
        let done = Set(summary.exercises.filter { $0.status == "completed" }.map(\.id))
        let current = lab.exercises.firstIndex { !done.contains($0.id) }
        var steps = lab.exercises.enumerated().map { index, exercise in
            StepItem(title: exercise.title, done: done.contains(exercise.id), current: index == current)
        }
        steps.append(StepItem(title: "The diagram", done: false, current: current == nil))
        var page = RunPage(
            layout: await layout(lab.title, page: "run"), run: runID, labID: lab.id, labTitle: lab.title,
            learner: summary.learner, quick: summary.quick, steps: steps)
        if let current {
            let exercise = lab.exercises[current]
            let state = summary.exercises.first { $0.id == exercise.id }
            var view = exerciseView(exercise, lab: lab, number: current + 1, state: state, quick: summary.quick)
            view.fixKnobs = try await fixKnobs(exercise, runID: runID)
            page.exercise = view
        } else {
            page.diagram = diagramStep(lab, answered: summary.diagram.answered)
        }
        return page
    }

    private func exerciseView(_ exercise: Exercise, lab: Lab, number: Int, state: ExerciseSummary?, quick: Bool) -> ExerciseView {
        let detail = API.ExerciseDetail(exercise)
        let order: [Outcome] = [.works, .degraded, .broken]
        let choices = order.compactMap { outcome in
            exercise.hypothesis.choices[outcome].map {
                Choice(value: outcome.rawValue, label: outcome.rawValue, text: $0, checked: state?.hypothesis == outcome)
            }
        }
        let edges = lab.architecture.map {
            DiagramSVG.Edge(key: $0.edge.key, from: $0.edge.from, to: $0.edge.to, critical: $0.critical, underAttack: exercise.attack.target.edges.contains($0.edge))
        }
        let slo = lab.journeys[exercise.primaryJourney]?.slo
        var previous: String?
        if let state, state.status == "inconclusive" || state.status == "errored" {
            previous = "The last attempt was \(state.status): \(state.reason ?? "no reason given"). Run the status check and try again."
        }
        return ExerciseView(
            id: exercise.id, number: number, total: lab.exercises.count, title: exercise.title,
            isFix: exercise.kind == .fix, fixText: detail.fix, fixKnobs: [], briefHTML: Markdown.html(exercise.brief),
            diagramSVG: DiagramSVG(edges: edges, title: "The claimed architecture; the attacked edge is marked").render(),
            question: exercise.hypothesis.question, choices: choices, hasHypothesis: state?.hypothesis != nil,
            attackText: quick ? detail.attack + " (at most 3 s in quick mode)" : detail.attack, attackSeconds: detail.attackSeconds, journey: exercise.primaryJourney,
            sloSuccessPercent: Int(((slo?.successRate ?? 0) * 100).rounded()), sloP95Ms: Int(slo?.p95Ms ?? 0),
            debriefHTML: Markdown.html(exercise.debrief), hintsHTML: exercise.hints.map(Markdown.html), hasHints: !exercise.hints.isEmpty,
            previousAttempt: previous)
    }

    /// The knobs of a fix exercise, with the learner's stored choice where there is one.
    private func fixKnobs(_ exercise: Exercise, runID: String) async throws -> [FixKnob] {
        guard let labFix = exercise.fix else { return [] }
        let stored = try await coordinator.store.answers(runID: runID)
            .first { $0.kind == .fix && $0.exerciseID == exercise.id }
            .flatMap { try? JSONDecoder().decode([String: [String: KnobValue]].self, from: $0.value) }
        return labFix.sorted { $0.key < $1.key }.flatMap { service, knobs in
            knobs.sorted { $0.key < $1.key }.map { knob, labValue in
                let value = stored?[service]?[knob] ?? labValue
                return switch value {
                case .bool(let on): FixKnob(service: service, knob: knob, type: "bool", isBool: true, checked: on, value: "")
                case .int(let number): FixKnob(service: service, knob: knob, type: "int", isBool: false, checked: false, value: String(number))
                case .double(let number): FixKnob(service: service, knob: knob, type: "double", isBool: false, checked: false, value: String(number))
                case .string(let text): FixKnob(service: service, knob: knob, type: "string", isBool: false, checked: false, value: text)
                }
            }
        }
    }

    private func diagramStep(_ lab: Lab, answered: [String: Bool]) -> DiagramStep {
        let edges = lab.architecture.map {
            DiagramSVG.Edge(key: $0.edge.key, from: $0.edge.from, to: $0.edge.to, critical: answered[$0.edge.key] ?? false)
        }
        return DiagramStep(
            question: lab.diagramQuestion ?? "For each edge of the diagram: is it critical for the user?",
            diagramSVG: DiagramSVG(edges: edges, title: "Your diagram: press an edge to mark it critical", interactive: true).render(),
            edges: lab.architecture.map {
                DiagramEdgeChoice(key: $0.edge.key, from: $0.edge.from, to: $0.edge.to, checked: answered[$0.edge.key] ?? false)
            })
    }

    func summaryPage(_ runID: String) async throws -> SummaryPage {
        let builder = RunSummaryBuilder(store: coordinator.store, catalog: catalog)
        let summary = try await builder.summary(runID: runID)
        let lab = catalog.labs.first { $0.id == summary.lab }
        let exercises = summary.exercises.map { exercise in
            let observed = exercise.observed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }.joined(separator: ", ")
            let primary = lab?.exercise(exercise.id)?.primaryJourney
            let correct = exercise.hypothesis != nil && primary.flatMap { exercise.observed[$0] } == exercise.hypothesis
            return SummaryExercise(
                title: exercise.title, hypothesis: exercise.hypothesis?.rawValue ?? "none",
                observed: observed.isEmpty ? "not observed" : observed,
                verdict: exercise.status != "completed" ? "– not judged" : correct ? "✓ as predicted" : "✗ not as predicted",
                correct: correct,
                measurements: exercise.measurements.sorted { $0.key < $1.key }.map { name, m in
                    let latency = m.successRate > 0 ? "p50 \(Int(m.p50Ms)) ms, p95 \(Int(m.p95Ms)) ms" : "none succeeded"
                    return "\(name): \(Int((m.successRate * 100).rounded()))% success over \(m.requests), \(latency)"
                },
                points: exercise.points, maxPoints: exercise.maxPoints, status: exercise.status, reason: exercise.reason)
        }
        let keys = (lab?.architecture.map(\.edge) ?? [])
        func edges(_ critical: (String) -> Bool?, wrong: Set<String> = []) -> [DiagramSVG.Edge] {
            keys.map { DiagramSVG.Edge(key: $0.key, from: $0.from, to: $0.to, critical: critical($0.key), claimWrong: wrong.contains($0.key)) }
        }
        let wrong = Set(summary.diagram.claimed.compactMap { key, claimed -> String? in
            guard let found = summary.diagram.discovered[key] ?? nil else { return nil }
            return found == claimed ? nil : key
        })
        let timeline = try await coordinator.store.events(runID: runID).compactMap { TimelineRow($0, start: summary.startedAt) }
        return SummaryPage(
            layout: await layout("Summary: \(summary.labTitle)", page: "summary"), summary: summary,
            finished: summary.finishedAt != nil, exercises: exercises, breakdown: summary.breakdown,
            claimedSVG: DiagramSVG(edges: edges({ summary.diagram.claimed[$0] }, wrong: wrong), title: "Claimed by the team").render(),
            discoveredSVG: DiagramSVG(edges: edges({ summary.diagram.discovered[$0] ?? nil }, wrong: wrong), title: "Discovered by experiment").render(),
            answeredSVG: DiagramSVG(edges: edges({ summary.diagram.answered[$0] }), title: "Your answer").render(),
            wrongClaims: wrong.sorted(), hasWrongClaims: !wrong.isEmpty, timeline: timeline)
    }
}

extension TimelineRow {
    /// A stored event in words, at seconds since the run started; nil for noise.
    init?(_ event: EventRecord, start: Date) {
        let seconds = max(0, event.at.timeIntervalSince(start))
        self.time = String(format: "+%d:%02d", Int(seconds) / 60, Int(seconds) % 60)
        self.exercise = event.exerciseID ?? ""
        let decoded = try? JSONDecoder().decode(RunEvent.self, from: event.payload)
        switch decoded {
        case .exerciseStarted(_, let kind, let hypothesis)?:
            text = "\(kind == .fix ? "fix" : "experiment") started; hypothesis: \(hypothesis?.rawValue ?? "none")"
        case .fixApplied(let service, let settings)?:
            text = "fix applied to \(service): " + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        case .statusCheckStarted(let journey, _)?: text = "status check of \(journey) started"
        case .statusCheckPassed(let measurement)?: text = "steady state holds: \(measurement.summary)"
        case .statusCheckFailed(_, let reason)?: text = reason
        case .faultInjected(let target, let fault, _, _)?: text = "fault injected: \(fault.summary) on \(target.key)"
        case .guardrailTripped(let reason)?: text = reason.hasPrefix("guardrail") ? reason : "guardrail: \(reason)"
        case .faultRemoved(let target, _)?: text = "fault removed from \(target.key)"
        case .exerciseFinished(let result)?:
            let observed = result.observed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }.joined(separator: ", ")
            text = "finished: \(result.status.rawValue)" + (observed.isEmpty ? "" : "; observed \(observed)")
        case .probeSample?: return nil
        case nil:
            switch event.kind {
            case "run_started": text = "run started"
            case "hypothesis_recorded":
                let outcome = (try? JSONDecoder().decode(API.Hypothesis.self, from: event.payload))?.outcome.rawValue
                text = "hypothesis recorded: \(outcome ?? "?")"
            case "diagram_answered": text = "diagram answered"
            case "run_finished": text = "run finished and graded"
            default: text = event.kind.replacingOccurrences(of: "_", with: " ")
            }
        }
    }
}
