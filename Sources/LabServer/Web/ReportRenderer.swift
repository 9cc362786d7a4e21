import Foundation
import LabDomain

/// The report of a run, for taking home: Markdown (also the source of the HTML report).
enum ReportRenderer {
    /// What the HTML report template shows.
    struct Report {
        var title: String
        var bodyHTML: String
    }

    /// The report in Markdown. With `forHTML`, every text that comes from a learner or a
    /// run (names, fix values in the timeline, ...) is HTML-escaped: the Markdown parser
    /// passes raw HTML through, and the HTML report is served from the lab's own origin.
    static func markdown(_ page: SummaryPage, forHTML: Bool = false) -> String {
        let t: (String) -> String = { forHTML ? escape($0) : $0 }
        let summary = page.summary
        var lines: [String] = []
        lines.append("# chaoslab report: \(t(summary.labTitle))")
        lines.append("")
        lines.append("Learner: \(t(summary.learner)) · run `\(t(summary.run))` · \(summary.quick ? "quick mode · " : "")"
            + (page.finished ? "score **\(summary.score)** (\(summary.earned) of \(summary.maxPoints) points)" : "not finished"))
        lines.append("")
        lines.append("## Predictions and outcomes")
        lines.append("")
        lines.append("| exercise | predicted | observed | verdict | points |")
        lines.append("| --- | --- | --- | --- | --- |")
        for exercise in page.exercises {
            lines.append("| \(t(exercise.title)) | \(t(exercise.hypothesis)) | \(t(exercise.observed)) | \(t(exercise.verdict)) | \(exercise.points)/\(exercise.maxPoints) |")
        }
        lines.append("")
        for exercise in page.exercises where !exercise.measurements.isEmpty {
            lines.append("- \(t(exercise.title)): " + t(exercise.measurements.joined(separator: "; ")))
        }
        lines.append("")
        lines.append("## The diagram")
        lines.append("")
        lines.append("| edge | claimed | discovered | your answer |")
        lines.append("| --- | --- | --- | --- |")
        func word(_ value: Bool?) -> String { value.map { $0 ? "critical" : "optional" } ?? "not tested" }
        for key in summary.diagram.claimed.keys.sorted() {
            let marker = page.wrongClaims.contains(key) ? " ✗ claim wrong" : ""
            lines.append("| \(t(key))\(marker) | \(word(summary.diagram.claimed[key])) | \(word(summary.diagram.discovered[key] ?? nil)) | \(word(summary.diagram.answered[key])) |")
        }
        lines.append("")
        if let map = page.map {
            lines.append("## The map that traffic drew")
            lines.append("")
            lines.append("| journey | edge | the claim | carried |")
            lines.append("| --- | --- | --- | --- |")
            lines += map.rows.map { "| \(t($0.journey)) | \(t($0.edge)) | \($0.claim) | \($0.carried) |" }
            lines.append("")
            lines += map.questions.map { "- \(t($0))" }
            if let silent = map.silent { lines.append("- \(t(silent))") }
            if let prediction = map.prediction {
                lines.append("")
                lines.append(t(prediction))
                lines += map.surprises.map { "- \(t($0))" }
            }
            lines.append("")
        }
        if !page.breakdown.isEmpty {
            lines.append("## Score breakdown")
            lines.append("")
            lines += page.breakdown.map { "- \(t($0))" }
            lines.append("")
        }
        lines.append("## Timeline")
        lines.append("")
        for row in page.timeline {
            lines.append("- `\(row.time)`\(row.exercise.isEmpty ? "" : " \(t(row.exercise)):") \(t(row.text))")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
