/// Placeholders that a run fills into a lab's texts, so that what a learner reads names their
/// own setting and the numbers that were measured, not the author's guess:
///
/// - `{fix.SERVICE.KNOB}` in a fix exercise's question, choices and debriefs: the value the
///   learner chose for that knob, or the lab's (`300`; a flag reads `on` or `off`);
/// - `{measured.JOURNEY.FIELD}` in debriefs: what the attack measured on that journey, one of
///   `success` (`97%`), `p50` and `p95` (`310 ms`, or `no successful request`), `requests`
///   and `timed_out` (`100%`).
public enum LessonText {
    /// One placeholder in a text: its kind (`fix` or `measured`), the service or journey, the knob or field.
    public struct Placeholder: Hashable, Sendable {
        public var kind: String
        public var name: String
        public var field: String

        /// As written in the lab: `{fix.storefront.ads_timeout_ms}`.
        public var text: String { "{\(kind).\(name).\(field)}" }
    }

    public static let measuredFields = ["success", "p50", "p95", "requests", "timed_out"]

    nonisolated(unsafe) private static let pattern = #/\{(fix|measured)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}/#

    /// Every placeholder in `text`, in order.
    public static func placeholders(in text: String) -> [Placeholder] {
        text.matches(of: pattern).map { Placeholder(kind: String($0.1), name: String($0.2), field: String($0.3)) }
    }

    /// `text` with each placeholder replaced by `value(placeholder)`; one left as written where it gives nil.
    public static func replacing(in text: String, _ value: (Placeholder) -> String?) -> String {
        text.replacing(pattern) { match in
            let placeholder = Placeholder(kind: String(match.1), name: String(match.2), field: String(match.3))
            return value(placeholder) ?? String(match.0)
        }
    }

    /// `text` with the fix's settings and, where given, the attack's measurements filled in.
    public static func fill(_ text: String, fix: [String: [String: KnobValue]]?,
                            measurements: [String: JourneyMeasurement]? = nil) -> String {
        replacing(in: text) { value(of: $0, fix: fix, measurements: measurements) }
    }

    public static func value(of placeholder: Placeholder, fix: [String: [String: KnobValue]]?,
                             measurements: [String: JourneyMeasurement]?) -> String? {
        switch placeholder.kind {
        case "fix":
            return fix?[placeholder.name]?[placeholder.field].map(describe)
        default:
            guard let m = measurements?[placeholder.name] else { return nil }
            return describe(m, field: placeholder.field)
        }
    }

    /// A knob's value as a sentence reads it: `300`, `on`, `off`.
    public static func describe(_ value: KnobValue) -> String {
        switch value {
        case .bool(let on): on ? "on" : "off"
        case .int(let number): String(number)
        case .double(let number): number == number.rounded() ? String(Int(number)) : String(number)
        case .string(let text): text
        }
    }

    /// One measured field in words; nil for a field that does not exist.
    public static func describe(_ m: JourneyMeasurement, field: String) -> String? {
        func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
        let noLatency = m.requests == 0 ? "no journey finished" : "no successful request"
        switch field {
        case "success": return percent(m.successRate)
        case "p50": return m.successes > 0 ? "\(Int(m.p50Ms.rounded())) ms" : noLatency
        case "p95": return m.successes > 0 ? "\(Int(m.p95Ms.rounded())) ms" : noLatency
        case "requests": return String(m.requests)
        case "timed_out": return percent(m.timedOutShare)
        default: return nil
        }
    }

    /// What is wrong with the placeholders of `text` in `exercise`: a `fix` placeholder outside a
    /// fix exercise or naming a knob its fix does not set, a `measured` one outside a debrief, on
    /// a journey the exercise does not judge, or of an unknown field. Empty when all is well.
    public static func problems(in text: String, exercise fix: [String: [String: KnobValue]]?,
                                journeys: Set<String>, isDebrief: Bool) -> [String] {
        placeholders(in: text).compactMap { placeholder in
            switch placeholder.kind {
            case "fix":
                guard let fix else { return "\(placeholder.text): only a fix exercise has settings to name" }
                guard fix[placeholder.name]?[placeholder.field] != nil else {
                    let knobs = fix.flatMap { service, knobs in knobs.keys.map { "{fix.\(service).\($0)}" } }.sorted()
                    return "\(placeholder.text): the fix sets no such knob; it has \(knobs.joined(separator: ", "))"
                }
                return nil
            default:
                guard isDebrief else { return "\(placeholder.text): measurements exist only after the attack; use them in the debrief" }
                guard journeys.contains(placeholder.name) else {
                    return "\(placeholder.text): the exercise judges no journey '\(placeholder.name)'; journeys: \(journeys.sorted().joined(separator: ", "))"
                }
                guard measuredFields.contains(placeholder.field) else {
                    return "\(placeholder.text): unknown field '\(placeholder.field)'; fields: \(measuredFields.joined(separator: ", "))"
                }
                return nil
            }
        }
    }
}
