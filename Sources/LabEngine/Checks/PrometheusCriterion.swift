import Foundation

/// PrometheusCriterion runs a PromQL instant query against the lab's Prometheus; every series it
/// returns must satisfy the comparison. No series at all is "no data": inconclusive, never a pass.
/// `$team` in the query is this workspace's `team` label ("default", or a team's name), so that
/// one lab asks about each team's own shop.
///
/// ```yaml
/// - kind: prometheus
///   query: 'shop:checkout_error_ratio:rate15s'
///   expect: "< 0.01"
/// ```
public struct PrometheusCriterion: Hashable, Sendable {
    public var query: String
    public var expect: Comparison

    public init(query: String, expect: Comparison) {
        self.query = query
        self.expect = expect
    }

    public var summary: String { "\(query) \(expect)" }

    func evaluate(_ ports: StatusCheckPorts, now: @Sendable () -> Date) async -> CriterionVerdict {
        func verdict(_ outcome: CheckOutcome, observed: String?, reason: String? = nil) -> CriterionVerdict {
            CriterionVerdict(kind: "prometheus", criterion: summary, observed: observed, outcome: outcome, reason: reason, at: now())
        }
        guard case .running(let prometheus, _) = ports.environment.monitoring else {
            if case .absent(let reason) = ports.environment.monitoring { return verdict(.inconclusive, observed: nil, reason: reason) }
            return verdict(.inconclusive, observed: nil)
        }
        var components = URLComponents(string: prometheus + "/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: query.replacingOccurrences(of: "$team", with: ports.environment.team))]
        // '+' is a space in a query string: PromQL's own plus signs must travel encoded.
        let url = components.url!.absoluteString.replacingOccurrences(of: "+", with: "%2B")
        switch await ports.client.fetch(CheckHTTPRequest(url: url), timeout: .seconds(3)) {
        case .failed(let reason, _):
            return verdict(.inconclusive, observed: nil, reason: "Prometheus did not answer (\(reason))")
        case .answered(let status, let body, _):
            guard let answer = JSONDocument.parse(body), case .object(let top) = answer else {
                return verdict(.inconclusive, observed: nil, reason: "Prometheus answered \(status) with a body that is not JSON")
            }
            if top["status"] != .string("success") {
                let error = top["error"].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? "status \(status)"
                return verdict(.inconclusive, observed: nil, reason: "Prometheus refused the query: \(error)")
            }
            let samples = Self.samples(in: top["data"])
            guard !samples.isEmpty else {
                return verdict(.inconclusive, observed: "no data",
                               reason: "the query returned no series: is the metric scraped yet, and are its labels right?")
            }
            let observed = samples.prefix(4).map { sample in
                sample.labels.isEmpty ? formattedNumber(sample.value) : "\(formattedNumber(sample.value)) {\(sample.labels)}"
            }.joined(separator: "; ") + (samples.count > 4 ? "; … (\(samples.count) series)" : "")
            if let bad = samples.first(where: { !expect.holds(for: $0.value) }) {
                return verdict(.failed, observed: observed, reason: "\(formattedNumber(bad.value)) is not \(expect)")
            }
            return verdict(.passed, observed: observed)
        }
    }

    /// The values of an instant query's `data`: a vector's samples, or a scalar.
    static func samples(in data: JSONDocument?) -> [(labels: String, value: Double)] {
        guard case .object(let data) = data, case .string(let type) = data["resultType"] else { return [] }
        func value(_ pair: JSONDocument?) -> Double? {
            guard case .array(let pair) = pair, pair.count == 2 else { return nil }
            return pair[1].number
        }
        switch (type, data["result"]) {
        case ("scalar", let result):
            return value(result).map { [("", $0)] } ?? []
        case ("vector", .array(let series)):
            return series.compactMap { sample in
                guard case .object(let members) = sample, let number = value(members["value"]) else { return nil }
                var labels = ""
                if case .object(let metric) = members["metric"] {
                    labels = metric.sorted { $0.key < $1.key }.compactMap { key, value in
                        if case .string(let text) = value, key != "__name__" { "\(key)=\"\(text)\"" } else { nil }
                    }.joined(separator: ",")
                }
                return (labels, number)
            }
        default:
            return []
        }
    }

    /// The mistakes in a query that a lab file can be told about before Prometheus sees it:
    /// empty, unbalanced brackets or quotes. Nil when none.
    public static func syntaxProblem(in query: String) -> String? {
        if query.trimmingCharacters(in: .whitespaces).isEmpty { return "the query is empty" }
        var stack: [Character] = []
        var quote: Character?
        var escaped = false
        let pairs: [Character: Character] = [")": "(", "]": "[", "}": "{"]
        for (offset, char) in query.enumerated() {
            if let open = quote {
                if escaped { escaped = false } else if char == "\\" { escaped = true } else if char == open { quote = nil }
                continue
            }
            switch char {
            case "\"", "'", "`": quote = char
            case "(", "[", "{": stack.append(char)
            case ")", "]", "}":
                guard stack.popLast() == pairs[char] else { return "'\(char)' at character \(offset + 1) closes nothing" }
            default: break
            }
        }
        if let quote { return "a \(quote) quote is never closed" }
        if let open = stack.last { return "'\(open)' is never closed" }
        if let last = query.trimmingCharacters(in: .whitespaces).last, "+-*/%^=<>!,".contains(last) {
            return "the query ends with '\(last)'"
        }
        return nil
    }
}
