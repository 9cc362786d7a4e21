import Foundation

/// DurationParser reads the durations of lab files: "500ms", "5s", "2m", "1.5s".
///
/// A duration is a non-negative number followed by a unit (`ms`, `s`, `m` or `h`). Whether zero
/// makes sense is for the caller to say: `parse(_:allowZero:)` rejects it unless asked not to.
public enum DurationParser {
    private static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600),
    ]

    /// Parses `text` into a `Duration`; throws a `LabFieldError` that says how to fix it.
    public static func parse(_ text: String, allowZero: Bool = false) throws(LabFieldError) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let hint = "write a number and a unit, like 500ms, 5s or 2m"
        guard let unit = units.first(where: { trimmed.hasSuffix($0.suffix) && number(trimmed, $0.suffix) != nil })
        else {
            if Double(trimmed) != nil {
                throw LabFieldError(message: "duration '\(text)' has no unit; \(hint)")
            }
            throw LabFieldError(message: "'\(text)' is not a duration; \(hint)")
        }
        let value = number(trimmed, unit.suffix)!
        guard value >= 0 else {
            throw LabFieldError(message: "duration '\(text)' is negative; durations must be positive, like 5s")
        }
        guard value > 0 || allowZero else {
            throw LabFieldError(message: "duration '\(text)' is zero; give it a positive length, like 5s")
        }
        let millis = (value * unit.seconds * 1000).rounded()
        guard millis <= 86_400_000 else {
            throw LabFieldError(message: "duration '\(text)' is longer than a day; labs run for seconds or minutes")
        }
        return .milliseconds(Int64(millis))
    }

    private static func number(_ text: String, _ suffix: String) -> Double? {
        let digits = text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
        guard let value = Double(digits), value.isFinite else { return nil }
        return value
    }

    /// Writes a duration back the way a lab file would: "500ms", "5s", "2m", "1.5s".
    public static func format(_ duration: Duration) -> String {
        let millis = duration.milliseconds
        if millis % 60_000 == 0, millis >= 600_000 { return "\(millis / 60_000)m" }
        if millis % 1000 == 0 { return "\(millis / 1000)s" }
        if millis < 1000 { return "\(millis)ms" }
        return "\(Double(millis) / 1000)s"
    }
}

extension Duration {
    /// Whole milliseconds, rounded toward zero.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Seconds as a floating-point number.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
