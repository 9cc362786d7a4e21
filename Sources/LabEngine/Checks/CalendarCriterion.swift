import Foundation

/// CalendarCriterion refuses an experiment at times the organisation has said no to: inside any
/// event of an iCalendar file (a sale-day change freeze), and while another experiment or game-day
/// scenario runs in the same sandbox — or, with `others: anywhere`, in any team's.
///
/// ```yaml
/// - kind: calendar
///   file: ../monitoring/calendars/sale-day-freeze.ics   # relative to the lab file
///   others: sandbox                                     # sandbox (default), anywhere, or ignore
/// ```
public struct CalendarCriterion: Hashable, Sendable {
    public enum Others: String, Hashable, Sendable, CaseIterable {
        case sandbox, anywhere, ignore
    }

    /// The calendar file's absolute path, if the check names one.
    public var file: String?
    public var others: Others

    public init(file: String? = nil, others: Others = .sandbox) {
        self.file = file
        self.others = others
    }

    public var summary: String {
        var parts: [String] = []
        if let file { parts.append("outside every event of \(URL(fileURLWithPath: file).lastPathComponent)") }
        switch others {
        case .sandbox: parts.append("no other experiment in this sandbox")
        case .anywhere: parts.append("no other experiment in any sandbox")
        case .ignore: break
        }
        return parts.isEmpty ? "any time" : parts.joined(separator: ", ")
    }

    func evaluate(_ ports: StatusCheckPorts, now: @Sendable () -> Date) async -> CriterionVerdict {
        let moment = now()
        func verdict(_ outcome: CheckOutcome, observed: String?, reason: String? = nil) -> CriterionVerdict {
            CriterionVerdict(kind: "calendar", criterion: summary, observed: observed, outcome: outcome, reason: reason, at: moment)
        }
        if let file {
            let calendar: ICalendar
            do {
                calendar = try ICalendar.load(path: file)
            } catch {
                return verdict(.inconclusive, observed: nil, reason: "the calendar cannot be read: \(error)")
            }
            if let (event, start, end) = calendar.event(at: moment) {
                let format = Date.FormatStyle(date: .abbreviated, time: .shortened)
                return verdict(.failed, observed: "inside '\(event.summary)' (\(start.formatted(format)) – \(end.formatted(format)))",
                               reason: "the calendar says no experiments now")
            }
        }
        if others != .ignore, let activity = await ports.environment.otherActivity(others == .anywhere) {
            return verdict(.failed, observed: activity, reason: "wait until it has finished: two experiments at once judge neither")
        }
        return verdict(.passed, observed: file == nil ? "nothing else running" : "no event now, nothing else running")
    }
}
