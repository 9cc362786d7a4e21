import Foundation
import LabDomain
import LabEngine
import Sandbox

// What the templates show. Mustache reads these structs' stored properties by name
// (through reflection: computed properties are invisible to it, so flags are stored);
// every text is escaped by the template unless it is HTML made here (fields ending in
// `HTML` or `SVG`).

/// The frame of every page: title, navigation, the halt bar and the storefront link.
struct Layout {
    var title: String
    /// `home`, `run`, `summary`, `sandbox`, `facilitator`, `join`, `team`: which script the page loads.
    var page: String
    /// The page's own script in `Assets`, after `common.js` (and `chart.js` where it draws the live chart).
    var scripts: [String]
    var faultCount: Int
    var storefrontURL: String?
    var faultsActive: Bool
    var isHome: Bool
    var isSandbox: Bool
    var isMap: Bool
    /// Where the page's script sends its API calls: `/api`, or a team's `/api/teams/NAME`.
    var apiBase: String
    /// The prefix of the pages' own links: empty, or a team's `/teams/NAME`.
    var pageBase: String
    /// The home of these pages: the labs (`/`), or the team's page.
    var homeURL: String
    /// A team's page: the navigation leads to the team, not to the default sandbox.
    var team: String?
    /// No navigation (the join page: its visitors have no session yet).
    var bare: Bool

    init(title: String, page: String, faultCount: Int, storefrontURL: String?, team: String? = nil, bare: Bool = false) {
        self.bare = bare
        self.title = title
        self.page = page
        self.faultCount = faultCount
        self.storefrontURL = storefrontURL
        self.faultsActive = faultCount > 0
        self.isHome = page == "home" || page == "team"
        self.isSandbox = page == "sandbox"
        self.isMap = page == "map"
        self.team = team
        apiBase = team.map { "/api/teams/\($0)" } ?? "/api"
        pageBase = team.map { "/teams/\($0)" } ?? ""
        homeURL = team.map { "/teams/\($0)" } ?? "/"
        scripts = Self.scripts[page] ?? []
    }

    /// What each page loads after `common.js`.
    static let scripts: [String: [String]] = [
        "home": ["home.js"], "run": ["chart.js", "run.js"], "sandbox": ["sandbox.js"],
        "facilitator": ["facilitator.js"], "join": ["join.js"], "team": ["chart.js", "team.js"], "map": ["map.js"],
    ]
}

/// The traffic map's page: the labs to choose from; the map itself is drawn by its script.
struct MapPage {
    struct LabChoice {
        var id: String
        var title: String
        var selected: Bool
    }

    var layout: Layout
    var labs: [LabChoice]
}

struct HomePage {
    var layout: Layout
    var labs: [LabCard]
    var services: [ServiceRow]
    var faults: [FaultRow]
    var hasFaults: Bool
    var monitoring: MonitoringLinks?
    /// Why there is no monitoring, when there is none.
    var monitoringNote: String?
}

/// The lab's Prometheus and Alertmanager, and Prometheus' graph of a workspace's SLI.
struct MonitoringLinks {
    var prometheus: String
    var alertmanager: String
    var graph: String

    /// The links for the workspace whose series carry `team`; nil (with the reason) without monitoring.
    static func of(_ monitoring: CheckEnvironment.Monitoring, team: String) -> (links: MonitoringLinks?, note: String?) {
        switch monitoring {
        case .running(let prometheus, let alertmanager):
            var graph = URLComponents(string: prometheus + "/graph")!
            graph.queryItems = [
                URLQueryItem(name: "g0.expr", value: "shop:request_success_ratio:rate15s{team=\"\(team)\", service=\"storefront\"}"),
                URLQueryItem(name: "g0.tab", value: "0"), URLQueryItem(name: "g0.range_input", value: "15m"),
            ]
            return (MonitoringLinks(prometheus: prometheus, alertmanager: alertmanager, graph: graph.url?.absoluteString ?? prometheus), nil)
        case .absent(let reason):
            return (nil, reason)
        }
    }
}

struct LabCard {
    var id: String
    var title: String
    var summaryHTML: String
    /// "About 15 minutes", if the lab says.
    var minutes: String?
    var exercises: [String]
    var objectives: [String]
    /// The first lab of the path: the one a newcomer should take first.
    var startHere = false
}

struct ServiceRow {
    var name: String
    var healthy: Bool
    var state: String
    var pid: String
    var url: String
    var restarts: Int
    var faults: String
    var logLines: [String]
}

struct FaultRow {
    var target: String
    var id: String
    var description: String
    var expires: String
}

struct RunPage {
    var layout: Layout
    var run: String
    var labID: String
    var labTitle: String
    var learner: String
    var quick: Bool
    var steps: [StepItem]
    var exercise: ExerciseView?
    var diagram: DiagramStep?
    /// How the run is scored, from the grader.
    var scoring: String = ""
}

/// One line of the run's progress list.
struct StepItem {
    var title: String
    var done: Bool
    var current: Bool
}

struct ExerciseView {
    var id: String
    var number: Int
    var total: Int
    var title: String
    var isFix: Bool
    /// The first exercise offers the map that traffic draws, before any fault.
    var isFirst: Bool = false
    /// With it, the prediction of the map: per journey, a box for each edge.
    var mapPrediction: [PredictionRow] = []
    var fixText: String?
    /// The fix's knobs as a form, filled with the learner's last choice or the lab's values.
    var fixKnobs: [FixKnob]
    var briefHTML: String
    var diagramSVG: String
    /// The question and the choices' texts, as HTML: a fix exercise's placeholders name the chosen settings.
    var questionHTML: String
    var choices: [Choice]
    var hasHypothesis: Bool
    var attackText: String
    var attackSeconds: Int
    var journey: String
    var sloSuccessPercent: Int
    var sloP95Ms: Int
    var debriefHTML: String
    var hintsHTML: [String]
    var hasHints: Bool
    /// The last attempt was inconclusive or errored: say so, the learner may try again.
    var previousAttempt: String?
    /// The debriefs per observed outcome, where the lab gives them: the page shows the one that happened.
    var debriefVariants: [DebriefVariant] = []
}

struct FixKnob {
    var service: String
    var knob: String
    /// "bool", "int", "double" or "string": how the script reads the input.
    var type: String
    var isBool: Bool
    var checked: Bool
    var value: String
}

struct Choice {
    var value: String
    var label: String
    var textHTML: String
    var checked: Bool
}

struct DiagramStep {
    var question: String
    var diagramSVG: String
    var edges: [DiagramEdgeChoice]
}

struct DiagramEdgeChoice {
    var key: String
    var from: String
    var to: String
    var checked: Bool
    /// The team's claim and what this run's experiments showed: "claimed not critical; your experiments: critical".
    var evidence: String
}

struct SummaryPage {
    var layout: Layout
    var summary: RunSummary
    var finished: Bool
    /// "abandoned after 1 of 3 exercises …" for a run ended before its last step.
    var abandonedNote: String?
    var exercises: [SummaryExercise]
    var breakdown: [String]
    var claimedSVG: String
    var discoveredSVG: String
    var answeredSVG: String
    var wrongClaims: [String]
    var hasWrongClaims: Bool
    var timeline: [TimelineRow]
    /// The map that traffic drew in the run, if one was drawn.
    var map: MapView?
}

/// One journey of the map's prediction: a box per edge ("will browse use gateway->reviews?").
struct PredictionRow {
    struct Box {
        var edge: String
        var id: String
    }
    var journey: String
    var boxes: [Box]
}

/// A `TrafficMap` as the summary and the report show it: one row per journey and edge.
struct MapView {
    struct Row {
        var journey: String
        var edge: String
        var claim: String
        var carried: String
    }

    var rows: [Row]
    var questions: [String]
    var silent: String?
    /// How the learner's prediction met the map: "Your prediction: 3 of 4 journey-and-edge cells right."
    var prediction: String?
    var surprises: [String] = []
    var hasSurprises: Bool { !surprises.isEmpty }

    init(_ map: TrafficMap, prediction: MapPrediction? = nil) {
        rows = map.journeys.flatMap { journey in
            map.edges.map { edge in
                let share = journey.share(of: edge)
                let use = journey.edges.first { $0.edge == edge }
                return Row(journey: journey.journey, edge: edge,
                           claim: map.claimed[edge].map { $0 ? "critical" : "optional" } ?? "not on the diagram",
                           carried: share == 0 ? "nothing"
                               : "on \(Int((share * 100).rounded()))% of \(journey.iterations) iterations (\(FaultContact.size(use?.bytes ?? 0)))")
            }
        }
        questions = map.disagreements
        silent = map.silent.isEmpty ? nil : "Carried nothing in any journey: " + map.silent.joined(separator: ", ") + "."
        if let comparison = prediction?.compared(with: map) {
            self.prediction = "Your prediction before the map: \(comparison.right) of \(comparison.total) journey-and-edge cells right."
            surprises = comparison.surprises
        }
    }
}

struct SummaryExercise {
    var title: String
    var hypothesis: String
    var observed: String
    var verdict: String
    var correct: Bool
    var measurements: [String]
    var points: Int
    var maxPoints: Int
    var status: String
    var reason: String?
}

struct TimelineRow {
    var time: String
    var exercise: String
    var text: String
}

struct SandboxPage {
    var layout: Layout
    var services: [ServiceRow]
    var edges: [EdgeRow]
    var faults: [FaultRow]
    var hasFaults: Bool
    var targets: [String]
    var faultTypes: [String]
}

struct EdgeRow {
    var name: String
    var listen: String
    var upstream: String
    var faults: String
}

/// One debrief of an exercise, for one observed outcome.
struct DebriefVariant {
    var outcome: String
    var html: String
}
