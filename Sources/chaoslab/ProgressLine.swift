import Foundation
import LabEngine

/// Renders the engine's events as terminal lines: one line per second of probing
/// (every journey side by side, with a countdown during the attack), and one line per step.
struct ProgressLine {
    let write: (String, String) -> Void
    /// How long the attack window lasts, for the countdown.
    let attackSeconds: Int?
    private var pending: (phase: String, second: Int, parts: [String])?
    /// What the fault has touched so far, added to the attack's lines: "fault met 8 connections, 456 B".
    private var contact: String?

    init(attackSeconds: Int?, write: @escaping (String, String) -> Void) {
        self.attackSeconds = attackSeconds
        self.write = write
    }

    mutating func show(_ event: [String: Any]) {
        let kind = event["kind"] as? String ?? ""
        if kind == "fault_contact", let seen = event["contact"] as? [String: Any] {
            // A per-second reading like the samples: it joins the line, it does not end it.
            let connections = seen["connections"] as? Int ?? 0, bytes = seen["bytes"] as? Int ?? 0
            contact = "fault met \(connections) connection\(connections == 1 ? "" : "s"), \(FaultContact.size(bytes))"
            return
        }
        guard kind == "probe_sample", let sample = event["sample"] as? [String: Any] else {
            end()
            if let text = Self.describe(kind, event) { write("  " + text, "\n") }
            return
        }
        let phase = (event["phase"] as? String) == "attack" ? "attack" : "status check"
        let second = (sample["second"] as? Int ?? 0) + 1
        if let current = pending, current.phase != phase || current.second != second { end() }
        let requests = sample["requests"] as? Int ?? 0
        let successes = sample["successes"] as? Int ?? 0
        let p95 = successes == 0 ? "" : (sample["p95_ms"] as? Double).map { String(format: ", p95 %.0f ms", $0) } ?? ""
        let journey = event["journey"] as? String ?? "journey"
        let part = requests == 0 ? "\(journey) none finished yet" : "\(journey) \(successes)/\(requests) ok\(p95)"
        pending = (phase, second, (pending?.parts ?? []) + [part])
    }

    /// Writes the line of the second being collected, if any.
    mutating func end() {
        guard let line = pending else { return }
        pending = nil
        var clock = "\(line.second)s"
        if line.phase == "attack", let total = attackSeconds {
            clock = line.second <= total ? "\(line.second)s of \(total)s" : "over, last journeys finishing"
        }
        let parts = line.parts.sorted() + (line.phase == "attack" ? [contact].compactMap { $0 } : [])
        write("    [\(line.phase) \(clock)] " + parts.joined(separator: " · "), "\n")
    }

    /// A knob's value as the lab file writes it: `true`, not the `1` a JSON boolean prints as.
    static func setting(_ value: Any) -> String {
        // JSONSerialization reads a boolean as an NSNumber of type "c" (char).
        guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else { return "\(value)" }
        return number.boolValue ? "true" : "false"
    }

    static func describe(_ kind: String, _ event: [String: Any]) -> String? {
        switch kind {
        case "fix_applied":
            let settings = (event["settings"] as? [String: Any] ?? [:]).map { "\($0.key)=\(Self.setting($0.value))" }.sorted()
            return "fix applied to \(event["service"] as? String ?? "a service"): \(settings.joined(separator: ", "))"
        case "status_check_started": return "status check: does steady state hold before we break anything?"
        case "status_check_passed": return "steady state holds"
        case "status_check_failed":
            return "steady state does NOT hold, so no fault is injected: \(event["reason"] as? String ?? "")"
        case "fault_injected":
            let fault = (event["fault"] as? [String: Any])?["name"] as? String ?? "fault"
            let edge = event["target"] as? String ?? event["edge"] as? String ?? ""
            return "attack: \(fault) on \(edge) — watching the journeys (Ctrl-C halts and removes the fault)"
        case "guardrail_tripped":
            let reason = (event["reason"] as? String ?? "halting").replacingOccurrences(of: "guardrail: ", with: "")
            return "guardrail tripped (\(reason)): halting the attack"
        case "fault_removed": return "fault removed: \(event["target"] as? String ?? "the target") is back to normal"
        case "weather_applied":
            let fault = (event["fault"] as? [String: Any])?["name"] as? String ?? "a fault"
            return "weather you did not make: \(fault) on \(event["target"] as? String ?? "the shop") — waiting until the monitoring sees it"
        case "weather_cleared": return "weather taken out of \(event["target"] as? String ?? "the shop"); waiting until it clears"
        default: return nil
        }
    }
}
