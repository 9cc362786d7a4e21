import Foundation

/// CheckOutcome is what one criterion, or a whole status check, concluded.
public enum CheckOutcome: String, Hashable, Sendable, Codable {
    /// The criterion holds.
    case passed
    /// The criterion does not hold: the system is not in a state to experiment on.
    case failed
    /// It could not be judged (monitoring not running, no data yet, an endpoint the lab may not
    /// reach); the reason says why. An attack behind an inconclusive check does not start either.
    case inconclusive

    /// Several outcomes together: any failure fails, else any inconclusive is inconclusive.
    static func combined(_ outcomes: [CheckOutcome]) -> CheckOutcome {
        if outcomes.contains(.failed) { return .failed }
        if outcomes.contains(.inconclusive) { return .inconclusive }
        return .passed
    }
}

/// CriterionVerdict is one criterion's verdict with its evidence: what was required, what was
/// seen, and when.
public struct CriterionVerdict: Hashable, Sendable, Codable {
    /// The criterion's kind: journey, http, prometheus, alerts, calendar.
    public var kind: String
    /// What was required, in words: "GET {storefront}/healthz: status 200, within 500 ms".
    public var criterion: String
    /// What was seen: "503 in 12 ms", "0.93", "1 alert firing: CheckoutErrors".
    public var observed: String?
    public var outcome: CheckOutcome
    /// Why it failed or could not be judged.
    public var reason: String?
    public var at: Date

    public init(kind: String, criterion: String, observed: String?, outcome: CheckOutcome, reason: String? = nil, at: Date) {
        self.kind = kind
        self.criterion = criterion
        self.observed = observed
        self.outcome = outcome
        self.reason = reason
        self.at = at
    }
}

/// CheckVerdict is a whole status check's verdict: every criterion's, and all of them together.
public struct CheckVerdict: Hashable, Sendable, Codable {
    /// The status check's name in the lab.
    public var name: String
    public var outcome: CheckOutcome
    public var criteria: [CriterionVerdict]
    public var at: Date

    public init(name: String, criteria: [CriterionVerdict], at: Date) {
        self.name = name
        self.criteria = criteria
        self.outcome = CheckOutcome.combined(criteria.map(\.outcome))
        self.at = at
    }

    public var passed: Bool { outcome == .passed }

    /// Every criterion with what was seen, in one line: "status check site-up passed: GET … (seen: 200 in 3 ms); …".
    public var evidence: String {
        "status check \(name) \(outcome.rawValue): " + criteria.map { criterion in
            criterion.criterion + (criterion.observed.map { " (seen: \($0))" } ?? "") + (criterion.outcome == .passed ? "" : " ✗")
        }.joined(separator: "; ")
    }

    /// The first criterion that did not hold, in one line: "site-up: GET … — 503 in 12 ms".
    public var reason: String? {
        guard let first = criteria.first(where: { $0.outcome != .passed }) else { return nil }
        let seen = first.observed.map { " (seen: \($0))" } ?? ""
        let why = first.reason.map { ": \($0)" } ?? ""
        return "status check '\(name)' \(outcome.rawValue): \(first.criterion)\(seen)\(why)"
    }
}
