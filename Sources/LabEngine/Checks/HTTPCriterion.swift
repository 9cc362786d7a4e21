import Foundation

/// HTTPCriterion asks any endpoint and judges the answer, like Gremlin's health checks and
/// Chaos Toolkit's tolerances:
///
/// ```yaml
/// - kind: http
///   url: "{storefront}/api/products"     # {service} and {lab} name this workspace's addresses
///   method: GET
///   status: 200-299                      # a code, a list [200, 204], or a range
///   max_ms: 500
///   json: { path: "$.products.length", expect: ">= 1" }   # or equals: "ok"
///   matches: "Widget"                    # a regular expression the body must contain
/// ```
/// Endpoints on this machine are allowed; others only when the lab server was started with
/// `--allow-remote-proxies`.
public struct HTTPCriterion: Hashable, Sendable {
    public var method: String
    /// The URL as written: may start with `{service}` or `{lab}`.
    public var url: String
    public var headers: [String: String]
    public var body: String?
    public var status: StatusExpectation
    public var maxMs: Double?
    public var json: [JSONExpectation]
    /// A regular expression the body must match somewhere.
    public var matches: String?
    public var timeout: Duration

    public init(method: String = "GET", url: String, headers: [String: String] = [:], body: String? = nil,
                status: StatusExpectation = .range(200...299), maxMs: Double? = nil, json: [JSONExpectation] = [],
                matches: String? = nil, timeout: Duration = .seconds(2)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.status = status
        self.maxMs = maxMs
        self.json = json
        self.matches = matches
        self.timeout = timeout
    }

    /// What is required, in words.
    public var summary: String {
        var parts = ["status \(status)"]
        if let maxMs { parts.append("within \(formattedNumber(maxMs)) ms") }
        parts += json.map(\.description)
        if let matches { parts.append("body matches /\(matches)/") }
        return "\(method) \(url): " + parts.joined(separator: ", ")
    }

    /// The `{name}` placeholders of the URL (services, or `lab`).
    var placeholders: [String] {
        guard url.hasPrefix("{"), let close = url.firstIndex(of: "}") else { return [] }
        return [String(url[url.index(after: url.startIndex)..<close])]
    }

    func evaluate(_ ports: StatusCheckPorts, now: @Sendable () -> Date) async -> CriterionVerdict {
        func verdict(_ outcome: CheckOutcome, observed: String?, reason: String? = nil) -> CriterionVerdict {
            CriterionVerdict(kind: "http", criterion: summary, observed: observed, outcome: outcome, reason: reason, at: now())
        }
        var resolved = url
        if let name = placeholders.first {
            let base = name == "lab" ? ports.environment.labServerURL : await ports.environment.serviceURL(name)
            guard let base else {
                return verdict(.failed, observed: nil, reason: name == "lab" ? "the lab server's address is not known" : "\(name) is not running")
            }
            resolved = base + url.dropFirst(name.count + 2)
        }
        guard let host = URLComponents(string: resolved)?.host else {
            return verdict(.inconclusive, observed: nil, reason: "'\(resolved)' is not a URL")
        }
        if !ports.environment.allowRemote, !isLoopbackHost(host) {
            return verdict(.inconclusive, observed: nil,
                           reason: "\(host) is not on this machine; start the lab server with --allow-remote-proxies to check it")
        }
        let request = CheckHTTPRequest(method: method, url: resolved, headers: headers, body: body)
        switch await ports.client.fetch(request, timeout: timeout) {
        case .failed(let reason, let elapsed):
            return verdict(.failed, observed: "no answer after \(Int(elapsed.rounded())) ms", reason: reason)
        case .answered(let code, let text, let elapsed):
            let observed = "\(code) in \(Int(elapsed.rounded())) ms"
            if !status.accepts(code) { return verdict(.failed, observed: observed, reason: "status \(code) is not \(status)") }
            if let maxMs, elapsed > maxMs {
                return verdict(.failed, observed: observed, reason: "slower than \(formattedNumber(maxMs)) ms")
            }
            if !json.isEmpty {
                guard let document = JSONDocument.parse(text) else {
                    return verdict(.failed, observed: observed + ", body not JSON", reason: "the body is not JSON")
                }
                for expectation in json {
                    let value = expectation.path.value(in: document)
                    if !expectation.holds(for: value) {
                        return verdict(.failed, observed: observed + ", \(expectation.path) = \(value?.description ?? "nothing")",
                                       reason: "\(expectation) does not hold")
                    }
                }
            }
            if let matches, let regex = try? Regex(matches), (try? regex.firstMatch(in: text)) == nil {
                return verdict(.failed, observed: observed, reason: "the body does not match /\(matches)/")
            }
            return verdict(.passed, observed: observed)
        }
    }
}

/// StatusExpectation is the status codes an HTTP criterion accepts.
public enum StatusExpectation: Hashable, Sendable, CustomStringConvertible {
    case codes([Int])
    case range(ClosedRange<Int>)

    public func accepts(_ code: Int) -> Bool {
        switch self {
        case .codes(let codes): codes.contains(code)
        case .range(let range): range.contains(code)
        }
    }

    public var description: String {
        switch self {
        case .codes(let codes): codes.map(String.init).joined(separator: " or ")
        case .range(let range): "\(range.lowerBound)-\(range.upperBound)"
        }
    }

    /// `200`, `"200-299"` or `"2xx"`; nil when it is none of these.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let code = Int(trimmed), (100...599).contains(code) {
            self = .codes([code])
        } else if trimmed.count == 3, trimmed.hasSuffix("xx"), let hundreds = Int(trimmed.prefix(1)), (1...5).contains(hundreds) {
            self = .range((hundreds * 100)...(hundreds * 100 + 99))
        } else {
            let bounds = trimmed.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low <= high,
                  (100...599).contains(low), (100...599).contains(high) else { return nil }
            self = .range(low...high)
        }
    }
}

/// JSONExpectation is one value of a JSON body: equal to a value, or compared with a number.
public struct JSONExpectation: Hashable, Sendable, CustomStringConvertible {
    public var path: JSONPath
    public var equals: JSONDocument?
    public var compare: Comparison?

    public init(path: JSONPath, equals: JSONDocument? = nil, compare: Comparison? = nil) {
        self.path = path
        self.equals = equals
        self.compare = compare
    }

    func holds(for value: JSONDocument?) -> Bool {
        guard let value else { return false }
        if let equals, value != equals { return false }
        if let compare { return value.number.map(compare.holds) ?? false }
        return true
    }

    public var description: String {
        if let equals { return "\(path) == \(equals)" }
        if let compare { return "\(path) \(compare)" }
        return "\(path) present"
    }
}

/// True for 127.0.0.0/8, ::1 and localhost.
func isLoopbackHost(_ host: String) -> Bool {
    let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
    return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
}
