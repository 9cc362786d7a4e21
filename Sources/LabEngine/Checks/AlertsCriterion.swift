import Foundation

/// AlertsCriterion asks the lab's Alertmanager: is an incident already in progress? It holds
/// while no alert that matches every given label is firing (active, not silenced, not inhibited).
///
/// ```yaml
/// - kind: alerts
///   matching: { severity: page }
/// ```
public struct AlertsCriterion: Hashable, Sendable {
    /// Labels an alert must all carry to count; empty counts every alert.
    public var matching: [String: String]

    public init(matching: [String: String] = [:]) {
        self.matching = matching
    }

    public var summary: String {
        let labels = matching.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ")
        return labels.isEmpty ? "no alert firing" : "no alert firing with \(labels)"
    }

    func evaluate(_ ports: StatusCheckPorts, now: @Sendable () -> Date) async -> CriterionVerdict {
        func verdict(_ outcome: CheckOutcome, observed: String?, reason: String? = nil) -> CriterionVerdict {
            CriterionVerdict(kind: "alerts", criterion: summary, observed: observed, outcome: outcome, reason: reason, at: now())
        }
        guard case .running(_, let alertmanager) = ports.environment.monitoring else {
            if case .absent(let reason) = ports.environment.monitoring { return verdict(.inconclusive, observed: nil, reason: reason) }
            return verdict(.inconclusive, observed: nil)
        }
        switch await Self.firing(at: alertmanager, matching: matching, client: ports.client) {
        case .failure(let problem):
            return verdict(.inconclusive, observed: nil, reason: problem.reason)
        case .success(let alerts) where alerts.isEmpty:
            return verdict(.passed, observed: "none firing")
        case .success(let alerts):
            let names = alerts.map(\.name)
            return verdict(.failed, observed: "\(alerts.count) firing: " + names.joined(separator: ", "),
                           reason: "an incident is already in progress; experiment once it is resolved")
        }
    }

    /// One alert as Alertmanager reports it.
    public struct FiringAlert: Hashable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var startsAt: String
    }

    public struct AlertmanagerProblem: Error, Hashable, Sendable { public var reason: String }

    /// The alerts firing now that match `matching`, from Alertmanager's API v2.
    public static func firing(at alertmanager: String, matching: [String: String],
                              client: any CheckHTTPClient) async -> Result<[FiringAlert], AlertmanagerProblem> {
        var components = URLComponents(string: alertmanager + "/api/v2/alerts")!
        components.queryItems = [
            URLQueryItem(name: "active", value: "true"), URLQueryItem(name: "silenced", value: "false"),
            URLQueryItem(name: "inhibited", value: "false"),
        ] + matching.sorted { $0.key < $1.key }.map { URLQueryItem(name: "filter", value: "\($0.key)=\"\($0.value)\"") }
        switch await client.fetch(CheckHTTPRequest(url: components.url!.absoluteString), timeout: .seconds(3)) {
        case .failed(let reason, _):
            return .failure(AlertmanagerProblem(reason: "Alertmanager did not answer (\(reason))"))
        case .answered(let status, let body, _):
            guard status == 200, case .array(let alerts)? = JSONDocument.parse(body) else {
                return .failure(AlertmanagerProblem(reason: "Alertmanager answered \(status): \(body.prefix(200))"))
            }
            return .success(alerts.compactMap { alert in
                guard case .object(let members) = alert, case .object(let labelValues)? = members["labels"] else { return nil }
                var labels: [String: String] = [:]
                for (key, value) in labelValues { if case .string(let text) = value { labels[key] = text } }
                // The filter already matched; checking again keeps a fake or an older Alertmanager honest.
                guard matching.allSatisfy({ labels[$0.key] == $0.value }) else { return nil }
                var startsAt = ""
                if case .string(let text)? = members["startsAt"] { startsAt = text }
                return FiringAlert(name: labels["alertname"] ?? "alert", labels: labels, startsAt: startsAt)
            })
        }
    }
}
