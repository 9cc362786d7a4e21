import Foundation

/// The report of a run, for taking home: Markdown (also the source of the HTML report).
enum ReportRenderer {
    /// What the HTML report template shows.
    struct Report {
        var page: SummaryPage
        var bodyHTML: String
    }

    static func markdown(_ page: SummaryPage) -> String {
        let summary = page.summary
        var lines: [String] = []
        lines.append("# chaoslab report: \(summary.labTitle)")
        lines.append("")
        lines.append("Learner: \(summary.learner) · run `\(summary.run)` · \(summary.quick ? "quick mode · " : "")"
            + (page.finished ? "score **\(summary.score)** (\(summary.earned) of \(summary.maxPoints) points)" : "not finished"))
        lines.append("")
        lines.append("## Predictions and outcomes")
        lines.append("")
        lines.append("| exercise | predicted | observed | verdict | points |")
        lines.append("| --- | --- | --- | --- | --- |")
        for exercise in page.exercises {
            lines.append("| \(exercise.title) | \(exercise.hypothesis) | \(exercise.observed) | \(exercise.verdict) | \(exercise.points)/\(exercise.maxPoints) |")
        }
        lines.append("")
        for exercise in page.exercises where !exercise.measurements.isEmpty {
            lines.append("- \(exercise.title): " + exercise.measurements.joined(separator: "; "))
        }
        lines.append("")
        lines.append("## The diagram")
        lines.append("")
        lines.append("| edge | claimed | discovered | your answer |")
        lines.append("| --- | --- | --- | --- |")
        func word(_ value: Bool?) -> String { value.map { $0 ? "critical" : "optional" } ?? "not tested" }
        for key in summary.diagram.claimed.keys.sorted() {
            let marker = page.wrongClaims.contains(key) ? " ✗ claim wrong" : ""
            lines.append("| \(key)\(marker) | \(word(summary.diagram.claimed[key])) | \(word(summary.diagram.discovered[key] ?? nil)) | \(word(summary.diagram.answered[key])) |")
        }
        lines.append("")
        if !page.breakdown.isEmpty {
            lines.append("## Score breakdown")
            lines.append("")
            lines += page.breakdown.map { "- \($0)" }
            lines.append("")
        }
        lines.append("## Timeline")
        lines.append("")
        for row in page.timeline {
            lines.append("- `\(row.time)`\(row.exercise.isEmpty ? "" : " \(row.exercise):") \(row.text)")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
