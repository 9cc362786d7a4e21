import ArgumentParser
import Foundation
import LabDomain
import LabEngine

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run a lab's status checks now: is the system fit for an experiment?",
        discussion: """
            A status check is a named list of criteria in a lab's status_checks, all of which must hold: \
            http (any endpoint: status, response time, body), prometheus (a PromQL query against the \
            lab's Prometheus, compared with a threshold), alerts (no alert firing in Alertmanager that \
            matches some labels), calendar (not inside an event of an iCalendar file, no other \
            experiment running) and journey (drive a journey; it must work). Nothing is changed in the \
            sandbox. Each criterion is printed with what it requires and the value seen.

            Exit status: 0 when every check passed, 1 when one failed or could not be judged \
            (inconclusive: for example monitoring is not running, or a query has no data yet).

            Examples:
              chaoslab check take-the-temperature
              chaoslab check take-the-temperature --name no-incident --json
            """)

    @Argument(help: "The lab whose status checks to run (see chaoslab labs).")
    var lab: String

    @Option(help: "Run only the status check with this name.")
    var name: String?

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let path = "/api/checks/\(lab)" + (name.map { "/\($0)" } ?? "")
        let report: API.CheckReport = try await LabClient(server).send("POST", path, body: Optional<String>.none)
        if json {
            try printJSON(report)
        } else {
            for check in report.checks { print(check) }
            say(report.passed ? "all status checks passed" : "not every status check passed: no experiment now")
        }
        if !report.passed { throw ExitCode(1) }
    }

    private func print(_ check: CheckVerdict) {
        say("\(mark(check.outcome)) \(check.name): \(check.outcome.rawValue)")
        for criterion in check.criteria {
            say("    \(mark(criterion.outcome)) [\(criterion.kind)] \(criterion.criterion)")
            if let observed = criterion.observed { say("        seen: \(observed)") }
            if let reason = criterion.reason { say("        why:  \(reason)") }
        }
    }

    private func mark(_ outcome: CheckOutcome) -> String {
        switch outcome {
        case .passed: "✓"
        case .failed: "✗"
        case .inconclusive: "?"
        }
    }
}
