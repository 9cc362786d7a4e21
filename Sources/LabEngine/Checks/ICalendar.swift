import Foundation

/// ICalendar reads the events of an iCalendar (RFC 5545) file: enough of the format to know
/// whether a moment falls inside a change freeze. It reads VEVENTs with DTSTART, DTEND (or a
/// whole day when a date has none), SUMMARY, and a simple RRULE (FREQ=DAILY, WEEKLY or YEARLY,
/// with INTERVAL, COUNT or UNTIL). Dates without a zone are local time; `Z` is UTC; a TZID
/// parameter names the zone.
public struct ICalendar: Hashable, Sendable {
    public struct Event: Hashable, Sendable {
        public var summary: String
        public var start: Date
        public var end: Date
        public var recurrence: Recurrence?

        /// The occurrence that contains `moment`, if one does: its start and end.
        public func occurrence(containing moment: Date) -> (start: Date, end: Date)? {
            let length = end.timeIntervalSince(start)
            guard moment >= start else { return nil }
            guard let recurrence else { return moment < end ? (start, end) : nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = recurrence.timeZone
            // The last occurrence that starts at or before `moment`.
            let elapsed = calendar.dateComponents([recurrence.unit], from: start, to: moment).value(for: recurrence.unit) ?? 0
            var step = (elapsed / recurrence.interval) * recurrence.interval
            for _ in 0..<2 {
                guard step >= 0, let begin = calendar.date(byAdding: recurrence.unit, value: step, to: start) else { return nil }
                if begin <= moment {
                    let index = step / recurrence.interval
                    if let count = recurrence.count, index >= count { return nil }
                    if let until = recurrence.until, begin > until { return nil }
                    let finish = begin.addingTimeInterval(length)
                    return moment < finish ? (begin, finish) : nil
                }
                step -= recurrence.interval
            }
            return nil
        }
    }

    public struct Recurrence: Hashable, Sendable {
        var unit: Calendar.Component
        var interval: Int
        var count: Int?
        var until: Date?
        var timeZone: TimeZone
    }

    public var events: [Event]

    /// The event in force at `moment`, if any, with its occurrence.
    public func event(at moment: Date) -> (event: Event, start: Date, end: Date)? {
        for event in events {
            if let occurrence = event.occurrence(containing: moment) { return (event, occurrence.start, occurrence.end) }
        }
        return nil
    }

    /// Reads a file; the error names the line.
    public static func load(path: String) throws(ICalendarError) -> ICalendar {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ICalendarError(line: 0, message: "cannot read \(path) (\(error.localizedDescription))")
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws(ICalendarError) -> ICalendar {
        // Unfold: a line that starts with a space or a tab continues the one before.
        var lines: [(number: Int, text: String)] = []
        for (index, raw) in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let first = raw.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1].text += raw.dropFirst()
            } else if !raw.isEmpty {
                lines.append((index + 1, String(raw)))
            }
        }
        guard lines.first?.text.uppercased() == "BEGIN:VCALENDAR" else {
            throw ICalendarError(line: lines.first?.number ?? 1, message: "not an iCalendar file: it must start with BEGIN:VCALENDAR")
        }
        var events: [Event] = []
        var current: [String: (params: [String: String], value: String, line: Int)]?
        var eventLine = 0
        for line in lines {
            guard let colon = line.text.firstIndex(of: ":") else {
                throw ICalendarError(line: line.number, message: "expected NAME:VALUE, found '\(line.text)'")
            }
            let head = line.text[..<colon].split(separator: ";").map(String.init)
            let name = head.first?.uppercased() ?? ""
            let value = String(line.text[line.text.index(after: colon)...])
            var params: [String: String] = [:]
            for param in head.dropFirst() {
                let parts = param.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { params[parts[0].uppercased()] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            }
            switch (name, value.uppercased()) {
            case ("BEGIN", "VEVENT"):
                current = [:]
                eventLine = line.number
            case ("END", "VEVENT"):
                guard let fields = current else { throw ICalendarError(line: line.number, message: "END:VEVENT without BEGIN:VEVENT") }
                events.append(try event(from: fields, line: eventLine))
                current = nil
            default:
                if current != nil, current?[name] == nil { current?[name] = (params, value, line.number) }
            }
        }
        if current != nil { throw ICalendarError(line: eventLine, message: "BEGIN:VEVENT is never ended by END:VEVENT") }
        return ICalendar(events: events)
    }

    private static func event(from fields: [String: (params: [String: String], value: String, line: Int)], line: Int) throws(ICalendarError) -> Event {
        guard let startField = fields["DTSTART"] else { throw ICalendarError(line: line, message: "this VEVENT has no DTSTART") }
        let (start, startIsDate, zone) = try moment(startField.value, params: startField.params, line: startField.line)
        var end: Date
        if let endField = fields["DTEND"] {
            end = try moment(endField.value, params: endField.params, line: endField.line).date
        } else {
            end = startIsDate ? start.addingTimeInterval(86_400) : start
        }
        guard end >= start else { throw ICalendarError(line: fields["DTEND"]?.line ?? line, message: "DTEND is before DTSTART") }
        var recurrence: Recurrence?
        if let rule = fields["RRULE"] {
            recurrence = try parseRule(rule.value, line: rule.line, zone: zone)
        }
        let summary = fields["SUMMARY"]?.value.replacingOccurrences(of: "\\,", with: ",") ?? "an event"
        return Event(summary: summary, start: start, end: end, recurrence: recurrence)
    }

    private static func parseRule(_ text: String, line: Int, zone: TimeZone) throws(ICalendarError) -> Recurrence {
        var parts: [String: String] = [:]
        for part in text.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { parts[pair[0].uppercased()] = pair[1] }
        }
        let units: [String: Calendar.Component] = ["DAILY": .day, "WEEKLY": .weekOfYear, "YEARLY": .year]
        guard let freq = parts["FREQ"], let unit = units[freq.uppercased()] else {
            throw ICalendarError(line: line, message: "RRULE '\(text)': only FREQ=DAILY, WEEKLY or YEARLY are supported")
        }
        let unsupported = Set(parts.keys).subtracting(["FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"])
        if let extra = unsupported.sorted().first {
            throw ICalendarError(line: line, message: "RRULE part \(extra) is not supported (only INTERVAL, COUNT and UNTIL)")
        }
        let interval = Int(parts["INTERVAL"] ?? "1") ?? 0
        guard interval >= 1 else { throw ICalendarError(line: line, message: "RRULE INTERVAL must be a whole number of 1 or more") }
        var until: Date?
        if let text = parts["UNTIL"] { until = try moment(text, params: [:], line: line).date }
        return Recurrence(unit: unit, interval: interval, count: parts["COUNT"].flatMap { Int($0) }, until: until, timeZone: zone)
    }

    /// A DATE (`20271126`) or DATE-TIME (`20271126T090000`, `…Z`) value.
    private static func moment(_ text: String, params: [String: String], line: Int) throws(ICalendarError) -> (date: Date, isDate: Bool, zone: TimeZone) {
        var zone = TimeZone.current
        if let id = params["TZID"] {
            guard let named = TimeZone(identifier: id) else { throw ICalendarError(line: line, message: "unknown time zone TZID=\(id)") }
            zone = named
        }
        var value = text.trimmingCharacters(in: .whitespaces)
        if value.hasSuffix("Z") {
            value.removeLast()
            zone = TimeZone(identifier: "UTC")!
        }
        let isDate = !value.contains("T")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = isDate ? "yyyyMMdd" : "yyyyMMdd'T'HHmmss"
        guard let date = formatter.date(from: value) else {
            throw ICalendarError(line: line, message: "'\(text)' is not an iCalendar date (20271126) or date-time (20271126T090000Z)")
        }
        return (date, isDate, zone)
    }
}

public struct ICalendarError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The line in the calendar file (0 when the file could not be read).
    public var line: Int
    public var message: String
    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}
