import Foundation

/// Renders the engine's events as a few live terminal lines.
struct ProgressLine {
    let write: (String, String) -> Void
    private var open = false

    init(write: @escaping (String, String) -> Void) { self.write = write }

    mutating func show(_ event: [String: Any]) {
        let kind = event["kind"] as? String ?? event["type"] as? String ?? ""
        switch kind {
        case "probe_sample":
            let phase = (event["phase"] as? String) == "attack" ? "attack" : "status check"
            let sample = event["sample"] as? [String: Any] ?? event
            let second = (sample["second"] as? Int).map { "\($0 + 1)s" } ?? ""
            let requests = sample["requests"] as? Int ?? 0
            let successes = sample["successes"] as? Int ?? 0
            let p95 = (sample["p95_ms"] as? Double).map { String(format: "p95 %.0f ms", $0) } ?? ""
            let journey = event["journey"] as? String ?? ""
            write("\r  [\(phase) \(second)] \(journey): \(successes)/\(requests) ok  \(p95)      ", "")
            open = true
        default:
            end()
            if let text = Self.describe(kind, event) { write("  " + text, "\n") }
        }
    }

    mutating func end() {
        if open { write("", "\n") }
        open = false
    }

    static func describe(_ kind: String, _ event: [String: Any]) -> String? {
        switch kind {
        case "fix_applied": return "fix applied"
        case "status_check_started": return "status check: is steady state healthy?"
        case "status_check_passed": return "steady state holds"
        case "status_check_failed": return "steady state does NOT hold: no fault injected"
        case "fault_injected":
            let fault = (event["fault"] as? [String: Any])?["name"] as? String ?? "fault"
            let edge = event["edge"] as? String ?? ""
            let ttl = (event["ttl_ms"] as? Int).map { " (removed after \($0 / 1000)s at the latest)" } ?? ""
            return "attack: \(fault) on \(edge)\(ttl) — watching the journey (Ctrl-C halts)"
        case "guardrail_tripped": return "guardrail tripped: \(event["reason"] as? String ?? "halting")"
        case "fault_removed": return "fault removed, the edge is healthy again"
        default: return nil
        }
    }
}
