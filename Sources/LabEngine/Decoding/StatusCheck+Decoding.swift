import Foundation
import Yams

// Decoding of the lab's named status checks (`status_checks:`) and of their criteria, one kind
// at a time; and of the references to them from exercises and scenarios.

/// One named check's list of criteria.
struct CriteriaList: Decodable {
    let criteria: [CheckCriterion]

    init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        guard var list = try? decoder.unkeyedContainer() else {
            throw decoder.report("a status check is a list of criteria, like `- { kind: http, url: \"{storefront}/healthz\" }`")
        }
        var criteria: [CheckCriterion] = []
        while !list.isAtEnd {
            if let attempt = try? list.decode(Attempt<CheckCriterion>.self), let value = attempt.value { criteria.append(value) }
        }
        if criteria.isEmpty, decoder.problemLog.entries.count == before {
            throw decoder.report("a status check needs at least one criterion; kinds: \(CheckCriterion.kinds.joined(separator: ", "))")
        }
        guard decoder.problemLog.entries.count == before else { throw AlreadyReported() }
        self.criteria = criteria
    }
}

extension CheckCriterion: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case kind, journey, window = "for"
        case url, method, headers, body, status, maxMs = "max_ms", json, matches, timeout
        case query, expect, matching, file, others
    }

    /// The fields each kind takes besides `kind`.
    private static let fields: [String: [Keys]] = [
        "journey": [.journey, .window],
        "http": [.url, .method, .headers, .body, .status, .maxMs, .json, .matches, .timeout],
        "prometheus": [.query, .expect],
        "alerts": [.matching],
        "calendar": [.file, .others],
    ]

    public init(from decoder: any Decoder) throws {
        let log = decoder.problemLog
        let before = log.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        guard let kind: String = c.required(.kind, in: decoder, example: "http") else { throw AlreadyReported() }
        guard let allowed = Self.fields[kind] else {
            throw decoder.report("unknown status check kind '\(kind)'; kinds: \(Self.kinds.joined(separator: ", "))")
        }
        for key in Keys.allCases where key != .kind && c.contains(key) && !allowed.contains(key) {
            log.report("field '\(key.stringValue)' does not belong to a \(kind) criterion; its fields: "
                       + allowed.map(\.stringValue).joined(separator: ", "), at: c.mark(of: key, in: decoder))
        }
        decoder.reportUnknownKeys(Keys.self)
        let criterion: CheckCriterion?
        switch kind {
        case "journey": criterion = Self.journey(c, decoder).map(CheckCriterion.journey)
        case "http": criterion = Self.http(c, decoder).map(CheckCriterion.http)
        case "prometheus": criterion = Self.prometheus(c, decoder).map(CheckCriterion.prometheus)
        case "alerts": criterion = Self.alerts(c, decoder).map(CheckCriterion.alerts)
        default: criterion = Self.calendar(c, decoder).map(CheckCriterion.calendar)
        }
        guard log.entries.count == before, let criterion else { throw AlreadyReported() }
        self = criterion
    }

    private static func journey(_ c: KeyedDecodingContainer<Keys>, _ decoder: any Decoder) -> JourneyCriterion? {
        guard let journey: String = c.required(.journey, in: decoder, example: "checkout") else { return nil }
        checkJourney(journey, declaredIn: decoder, what: "status check", at: c.mark(of: .journey, in: decoder))
        guard let window = c.duration(.window, fallback: .seconds(5), in: decoder) else { return nil }
        return JourneyCriterion(journey: journey, window: window)
    }

    private static func http(_ c: KeyedDecodingContainer<Keys>, _ decoder: any Decoder) -> HTTPCriterion? {
        let log = decoder.problemLog
        guard let url: String = c.required(.url, in: decoder, example: "\"{storefront}/healthz\"") else { return nil }
        var criterion = HTTPCriterion(url: url)
        let services = log.topology?.services
        let placeName = "{" + ((services ?? ["SERVICE"]) + ["lab"]).joined(separator: "}, {") + "}"
        if url.hasPrefix("{") {
            let name = criterion.placeholders.first ?? ""
            if let services, !services.contains(name), name != "lab" {
                let hint = NameSuggestion.didYouMean(name, among: services + ["lab"])
                log.report("unknown service '\(name)' in url\(hint); a url may start with \(placeName)", at: c.mark(of: .url, in: decoder))
            }
        } else if !(url.hasPrefix("http://") || url.hasPrefix("https://")) || URLComponents(string: url)?.host == nil {
            log.report("url '\(url)' must start with http://, https:// or a service such as \(placeName)", at: c.mark(of: .url, in: decoder))
        }
        if let method: String = c.optional(.method, in: decoder) {
            criterion.method = method.uppercased()
            if !["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].contains(criterion.method) {
                log.report("unknown HTTP method '\(method)'; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS", at: c.mark(of: .method, in: decoder))
            }
        }
        criterion.headers = c.optional(.headers, in: decoder) ?? [:]
        criterion.body = c.optional(.body, in: decoder)
        if c.contains(.status) {
            if let status = statusExpectation(c, decoder) { criterion.status = status }
        }
        if let maxMs: Double = c.optional(.maxMs, in: decoder) {
            if maxMs > 0 { criterion.maxMs = maxMs } else {
                log.report("max_ms must be a positive number of milliseconds, like 500", at: c.mark(of: .maxMs, in: decoder))
            }
        }
        criterion.json = jsonExpectations(c, decoder)
        if let pattern: String = c.optional(.matches, in: decoder) {
            do {
                _ = try Regex(pattern)
                criterion.matches = pattern
            } catch {
                log.report("matches: '\(pattern)' is not a regular expression (\(error))", at: c.mark(of: .matches, in: decoder))
            }
        }
        if let timeout = c.duration(.timeout, fallback: .seconds(2), in: decoder) { criterion.timeout = timeout }
        return criterion
    }

    private static func statusExpectation(_ c: KeyedDecodingContainer<Keys>, _ decoder: any Decoder) -> StatusExpectation? {
        let hint = "status takes a code (200), a list ([200, 204]) or a range (\"200-299\", \"2xx\")"
        if let code = try? c.decode(Int.self, forKey: .status), let status = StatusExpectation(parsing: String(code)) { return status }
        if let codes = try? c.decode([Int].self, forKey: .status), !codes.isEmpty, codes.allSatisfy({ (100...599).contains($0) }) {
            return .codes(codes)
        }
        if let text = try? c.decode(String.self, forKey: .status), let status = StatusExpectation(parsing: text) { return status }
        decoder.problemLog.report(hint, at: c.mark(of: .status, in: decoder))
        return nil
    }

    private static func jsonExpectations(_ c: KeyedDecodingContainer<Keys>, _ decoder: any Decoder) -> [JSONExpectation] {
        guard c.contains(.json) else { return [] }
        let items: [Attempt<JSONExpectationSection>]
        if let many = try? c.decode([Attempt<JSONExpectationSection>].self, forKey: .json) {
            items = many
        } else if let one = try? c.decode(Attempt<JSONExpectationSection>.self, forKey: .json) {
            items = [one]
        } else {
            decoder.problemLog.report("json takes `{ path: \"$.status\", equals: \"ok\" }` or a list of them", at: c.mark(of: .json, in: decoder))
            return []
        }
        return items.compactMap { $0.value?.expectation }
    }

    private static func prometheus(_ c: KeyedDecodingContainer<Keys>, _ decoder: any Decoder) -> PrometheusCriterion? {
        let query: String? = c.required(.query, in: decoder, example: "'shop:request_success_ratio:rate15s{route=\"/checkout\"}'")
        if let query, let problem = PrometheusCriterion.syntaxProblem(in: query) {
            decoder.problemLog.report("malformed PromQL query: \(problem)", at: c.mark(of: .query, in: decoder))
        }
        let expect = comparison(.expect, c, decoder)
        guard let query, let expect else { return nil }
        return PrometheusCriterion(query: query, expect: expect)
    }

    private static func comparison(_ key: Keys, _ c: KeyedDecodingContainer<Keys>, _ decoder: any Decoder) -> Comparison? {
        guard let text: String = c.required(key, in: decoder, example: "\"< 0.01\"") else { return nil }
        guard let comparison = Comparison(parsing: text) else {
            decoder.problemLog.report("\(key.stringValue): '\(text)' is not a comparison; \(Comparison.syntaxHint)", at: c.mark(of: key, in: decoder))
            return nil
        }
        return comparison
    }

    private static func alerts(_ c: KeyedDecodingContainer<Keys>, _ decoder: any Decoder) -> AlertsCriterion? {
        guard c.contains(.matching) else { return AlertsCriterion() }
        guard let matching: [String: String] = c.optional(.matching, in: decoder) else { return nil }
        return AlertsCriterion(matching: matching)
    }

    private static func calendar(_ c: KeyedDecodingContainer<Keys>, _ decoder: any Decoder) -> CalendarCriterion? {
        var criterion = CalendarCriterion()
        if let others: String = c.optional(.others, in: decoder) {
            guard let value = CalendarCriterion.Others(rawValue: others) else {
                decoder.problemLog.report("others: '\(others)' is not sandbox, anywhere or ignore", at: c.mark(of: .others, in: decoder))
                return nil
            }
            criterion.others = value
        }
        if let file: String = c.optional(.file, in: decoder) {
            let base = decoder.problemLog.directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let path = file.hasPrefix("/") ? file : base.appendingPathComponent(file).standardizedFileURL.path
            do {
                _ = try ICalendar.load(path: path)
            } catch {
                decoder.problemLog.report("calendar file '\(file)': \(error)", at: c.mark(of: .file, in: decoder))
                return nil
            }
            criterion.file = path
        }
        return criterion
    }
}

/// `{ path: "$.status", equals: "ok" }` or `{ path: "$.items.length", expect: ">= 1" }`.
struct JSONExpectationSection: Decodable {
    let expectation: JSONExpectation

    private enum Keys: String, CodingKey, CaseIterable { case path, equals, expect }

    init(from decoder: any Decoder) throws {
        let before = decoder.problemLog.entries.count
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let text: String? = c.required(.path, in: decoder, example: "\"$.status\"")
        var path: JSONPath?
        if let text {
            do {
                path = try JSONPath(parsing: text)
            } catch {
                decoder.problemLog.report("unknown JSONPath '\(text)': \(error)", at: c.mark(of: .path, in: decoder))
            }
        }
        let equals: JSONDocument? = c.contains(.equals) ? (try? c.decode(JSONDocument.self, forKey: .equals)) ?? .null : nil
        var compare: Comparison?
        if let expect: String = c.optional(.expect, in: decoder) {
            compare = Comparison(parsing: expect)
            if compare == nil {
                decoder.problemLog.report("expect: '\(expect)' is not a comparison; \(Comparison.syntaxHint)", at: c.mark(of: .expect, in: decoder))
            }
        }
        guard decoder.problemLog.entries.count == before, let path else { throw AlreadyReported() }
        expectation = JSONExpectation(path: path, equals: equals, compare: compare)
    }
}

/// `status_checks:` — named checks, each a list of criteria.
func decodeStatusChecks<Keys: CodingKey>(_ key: Keys, in c: KeyedDecodingContainer<Keys>, decoder: any Decoder) -> [String: StatusCheckDefinition]? {
    guard let entries = c.entries(key, of: CriteriaList.self, in: decoder) else { return c.contains(key) ? nil : [:] }
    var checks: [String: StatusCheckDefinition] = [:]
    for entry in entries {
        if !isKebabCase(entry.key) {
            decoder.problemLog.report("status check name '\(entry.key)' is not kebab-case, like site-up", at: entry.mark)
        }
        if let list = entry.value { checks[entry.key] = StatusCheckDefinition(name: entry.key, criteria: list.criteria) }
    }
    return checks.count == entries.count ? checks : nil
}

/// A reference to a named status check from an exercise or a scenario.
func checkStatusCheckName(_ name: String, in decoder: any Decoder, what: String, at mark: Mark?) {
    let declared = decoder.problemLog.declaredChecks
    guard !declared.contains(name) else { return }
    let known = declared.isEmpty ? "this lab declares none under status_checks" : "status checks of this lab: " + declared.sorted().joined(separator: ", ")
    decoder.problemLog.report("unknown status check '\(name)' in \(what)\(NameSuggestion.didYouMean(name, among: Array(declared))); \(known)", at: mark)
}
