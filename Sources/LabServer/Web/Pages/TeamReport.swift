import Foundation
import LabDomain

/// A team's game-day report, for someone who was not there: the team and its roles, the
/// timeline of notes, user reports and action items, then every run the team took (each
/// hypothesis beside its outcome with the numbers, the claimed and discovered diagrams, the
/// events, the score). Markdown, and HTML made from it.
enum TeamReport {
    static func markdown(team: String, members: [TeamMember], timeline: [TimelineEntry], runs: [SummaryPage],
                         generatedAt: Date, forHTML: Bool = false) -> String {
        let t: (String) -> String = { forHTML ? escape($0) : $0 }
        let clock = DateFormatter()
        clock.dateFormat = "yyyy-MM-dd HH:mm:ss"
        clock.timeZone = TimeZone(identifier: "UTC")
        var lines = ["# Game-day report: team \(t(team))", ""]
        let scores = runs.filter(\.finished).map(\.summary.score)
        lines.append("Generated \(clock.string(from: generatedAt)) UTC · \(runs.count) run\(runs.count == 1 ? "" : "s")"
            + (scores.isEmpty ? "" : " · best score **\(scores.max()!)**"))
        lines += ["", "## The team", ""]
        if members.isEmpty {
            lines.append("Nobody joined with the team's code; the team acted through its API token.")
        } else {
            lines += ["| name | role | joined (UTC) |", "| --- | --- | --- |"]
            lines += members.map { "| \(t($0.name)) | \($0.role.rawValue) | \(clock.string(from: $0.joinedAt)) |" }
        }
        let actionItems = timeline.filter { $0.kind == .actionItem }
        lines += ["", "## Action items", ""]
        lines += actionItems.isEmpty ? ["None written."] : actionItems.map { "- \(t($0.text)) (\(t($0.author)))" }
        lines += ["", "## Timeline: notes and user reports", ""]
        let notes = timeline.filter { $0.kind != .actionItem }
        lines += notes.isEmpty ? ["Nothing written."] : notes.map { entry in
            let what = entry.kind == .note ? "note" : "user report"
            return "- `\(clock.string(from: entry.at))` \(what) by \(t(entry.author)) (\(t(entry.role))): \(t(entry.text))"
        }
        for page in runs {
            lines += ["", "---", ""]
            // Each run's own report, one heading level down.
            lines += ReportRenderer.markdown(page, forHTML: forHTML).split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("#") ? "#" + $0 : String($0) }
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
