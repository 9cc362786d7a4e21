import Foundation

/// StatusCheckDefinition is one named status check of a lab: a list of criteria that must all
/// hold. It takes the temperature of the whole system — is the site up, how is the SLI doing, is
/// an incident already open, is today a day we must not touch — before, between and during attacks.
///
/// ```yaml
/// status_checks:
///   site-up:
///     - kind: http
///       url: "{storefront}/healthz"
///       status: 200
///       max_ms: 500
///   no-incident:
///     - kind: alerts
///       matching: { severity: page }
/// ```
public struct StatusCheckDefinition: Hashable, Sendable {
    /// Kebab-case, unique among the lab's status checks.
    public var name: String
    public var criteria: [CheckCriterion]

    public init(name: String, criteria: [CheckCriterion]) {
        self.name = name
        self.criteria = criteria
    }

    /// True when a criterion needs the lab's Prometheus or Alertmanager.
    public var needsMonitoring: Bool {
        criteria.contains { criterion in
            switch criterion {
            case .prometheus, .alerts: true
            default: false
            }
        }
    }
}

/// CheckCriterion is one thing a status check requires; each kind lives in a file of its own.
public enum CheckCriterion: Hashable, Sendable {
    /// Drive a journey for a while; it must work (today's pre-flight probe).
    case journey(JourneyCriterion)
    /// Ask any endpoint: status code, response time, body.
    case http(HTTPCriterion)
    /// A PromQL instant query against the lab's Prometheus, compared with a threshold.
    case prometheus(PrometheusCriterion)
    /// No alert firing in the lab's Alertmanager that matches these labels.
    case alerts(AlertsCriterion)
    /// Not inside an event of a calendar, and no other experiment running.
    case calendar(CalendarCriterion)

    /// The kind's name, as in the lab file.
    public var kind: String {
        switch self {
        case .journey: "journey"
        case .http: "http"
        case .prometheus: "prometheus"
        case .alerts: "alerts"
        case .calendar: "calendar"
        }
    }

    /// The kinds a lab file may use.
    public static let kinds = ["journey", "http", "prometheus", "alerts", "calendar"]
}

/// ContinuousCheck keeps checking while an attack runs and halts it on the first failure.
public struct ContinuousCheck: Hashable, Sendable {
    /// Names of the lab's status checks polled during the attack.
    public var checks: [String]
    /// How often they are polled (`every:`, default 1 s).
    public var interval: Duration

    public init(checks: [String], interval: Duration = .seconds(1)) {
        self.checks = checks
        self.interval = interval
    }
}
