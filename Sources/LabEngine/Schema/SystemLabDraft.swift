/// SystemLabDraft writes a complete dependency-matrix lab for a system file: for every edge, a
/// blackhole and a latency exercise, each with a hypothesis, a status check, guardrails and a
/// debrief on the measured numbers, and a final diagram question. `chaoslab new-lab --from-system`
/// prints it.
///
/// What each attack does is the one thing the draft cannot know: without `expected`, every
/// journey is marked `works` with a comment asking the author to fill it in; with it (recorded
/// from a live run: `--record`), the lab says what was observed and can test itself.
public enum SystemLabDraft {
    /// The faults of the matrix, one exercise per edge and fault.
    public static let faults: [(key: String, attack: String, name: String)] = [
        ("blackhole", "fault: blackhole", "Blackhole"),
        ("latency", "fault: latency, attributes: { latency: 300 }", "Slow"),
    ]

    /// The ids of the draft's exercises, in order: `blackhole-FROM-TO`, `latency-FROM-TO`, per edge.
    public static func exerciseIDs(of system: SystemDescription) -> [String] {
        system.edges.flatMap { edge in faults.map { "\($0.key)-\(edge.from)-\(edge.to)" } }
    }

    /// The lab's text. `expected` gives, per exercise id, the outcome of each journey; `systemFile`
    /// is the system file as the author names it, for the commands in the header.
    public static func text(id: String, system: SystemDescription, systemFile: String = "FILE",
                            expected: [String: [String: Outcome]]? = nil) -> String {
        let journeys = system.journeys.keys.sorted()
        let primary = journeys.first ?? "JOURNEY"
        let claimed = Dictionary(system.architecture.map { ($0.edge, $0.critical) }, uniquingKeysWith: { first, _ in first })
        var lines = [
            "# \(id): a dependency matrix for \(system.title), written by `chaoslab new-lab --from-system`.",
            "#   chaoslab validate --system \(systemFile) \(id)          # check it",
            "#   chaoslab validate --live --system \(systemFile) \(id)   # run every experiment against a fresh sandbox",
            expected == nil
                ? "# Every `expect` says `works` until you fill in what you expect (or write it again with --record)."
                : "# The expected outcomes were recorded from a live run: read them before you trust them.",
            "system: \(system.name)",
            "id: \(id)",
            "title: \(yamlQuoted("Which dependencies of \(system.name) are critical?"))",
            "summary: Every edge of the system, blackholed and slowed, one experiment each.",
            "estimated_minutes: \(max(5, system.edges.count * 4))",
            "objectives:",
            "  - Test every claim of the diagram with an experiment, not an argument.",
            "  - Tell a dependency that is down from one that is slow.",
            "",
            "# Architecture and journeys: the system file's.",
            "probe: { rate: 5, timeout: 2s }",
            "",
            "exercises:",
        ]
        for edge in system.edges {
            let claim = claimed[edge].map { $0 ? "*critical*" : "*not critical*" } ?? "*not drawn at all*"
            for fault in faults {
                let exerciseID = "\(fault.key)-\(edge.from)-\(edge.to)"
                let what = fault.key == "blackhole"
                    ? "**blackholes** the edge: it accepts connections and never answers"
                    : "adds **300 ms** to every answer \(edge.to) sends back"
                let recorded = expected?[exerciseID]
                let expect = journeys.map { "\($0): \(recorded?[$0]?.rawValue ?? "works")" }.joined(separator: ", ")
                let measured = journeys.map { "{measured.\($0).success} of \($0) succeeded (p95 {measured.\($0).p95})" }
                    .joined(separator: "; ")
                lines += [
                    "  - id: \(exerciseID)",
                    "    title: \(yamlQuoted("\(fault.name) \(edge.from) → \(edge.to)"))",
                    "    brief: |",
                    "      The diagram marks **\(edge.from) → \(edge.to)** as \(claim). In this experiment the",
                    "      fault proxy \(what).",
                    "      While it does, the lab drives every journey (\(journeys.joined(separator: ", "))) and",
                    "      judges each against its objective.",
                    "    hypothesis:",
                    "      question: \(yamlQuoted("With \(edge.from) → \(edge.to) \(fault.key == "blackhole" ? "blackholed" : "slowed by 300 ms"), what happens to \(primary)?"))",
                    "      choices:",
                    "        works: \(yamlQuoted("\(primary) keeps its objective."))",
                    "        degraded: \(yamlQuoted("\(primary) succeeds, but slower than its objective allows."))",
                    "        broken: \(yamlQuoted("Most \(primary) journeys fail."))",
                    "    status_check: { journey: \(primary), for: 3s }",
                    "    attack: { edge: \(edge.key), \(fault.attack), duration: 15s }",
                    "    guardrails:",
                    "      max_duration: 60s",
                    "      abort_when: { journey: \(primary), success_rate_below: 0.1 }",
                    "    expect: { \(expect) }" + (recorded == nil ? "   # fill in: works, degraded or broken, per journey" : ""),
                    "    debrief: |",
                    "      With \(edge.from) → \(edge.to) \(fault.key == "blackhole" ? "blackholed" : "slowed"): \(measured).",
                    "      Compare it with the diagram's claim, and with what you predicted.",
                    "",
                ]
            }
        }
        lines += [
            "diagram:",
            "  question: Now that every edge has been tested, which are critical? Mark each edge critical or not.",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// A YAML scalar in double quotes.
    private static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
