import Foundation
import Hummingbird
import LabDomain
import LabEngine
import LabStore
import Sandbox

extension TimelineRow {
    /// A stored event in words, at seconds since the run started; nil for noise.
    init?(_ event: EventRecord, start: Date) {
        let seconds = max(0, event.at.timeIntervalSince(start))
        self.time = String(format: "+%d:%02d", Int(seconds) / 60, Int(seconds) % 60)
        self.exercise = event.exerciseID ?? ""
        let decoded = try? JSONDecoder().decode(RunEvent.self, from: event.payload)
        switch decoded {
        case .exerciseStarted(_, let kind, let hypothesis)?:
            text = "\(kind == .fix ? "fix" : "experiment") started; hypothesis: \(hypothesis?.rawValue ?? "none")"
        case .fixApplied(let service, let settings)?:
            text = "fix applied to \(service): " + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        case .statusCheckStarted(let journey, _)?: text = "status check of \(journey) started"
        case .statusCheckPassed(let measurement)?: text = "steady state holds: \(measurement.summary)"
        case .statusCheckFailed(_, let reason)?: text = reason
        case .checkEvaluated(let verdict, let phase)?:
            let evidence = verdict.criteria.map { "\($0.criterion) — \($0.observed ?? $0.reason ?? "")" }.joined(separator: "; ")
            text = "status check \(verdict.name) \(verdict.outcome.rawValue)\(phase == .attack ? " (during the attack)" : ""): \(evidence)"
        case .faultInjected(let target, let fault, _, _)?: text = "fault injected: \(fault.summary) on \(target.key)"
        case .weatherApplied(let target, let fault, _)?: text = "weather the learner did not make: \(fault.summary) on \(target.key)"
        case .weatherCleared(let target)?: text = "weather cleared from \(target.key)"
        case .guardrailTripped(let reason)?: text = reason.hasPrefix("guardrail") ? reason : "guardrail: \(reason)"
        case .faultRemoved(let target, _)?: text = "fault removed from \(target.key)"
        case .exerciseFinished(let result)?:
            let observed = result.observed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }.joined(separator: ", ")
            text = "finished: \(result.status.rawValue)" + (observed.isEmpty ? "" : "; observed \(observed)")
                + (result.alert.map { "; \($0.summary)" } ?? "")
                + (result.faultContact.map { "; the fault met \($0.summary)" } ?? "")
        case .probeSample?, .faultContact?: return nil
        case nil:
            switch event.kind {
            case "run_started": text = "run started"
            case "hypothesis_recorded":
                let outcome = (try? JSONDecoder().decode(API.Hypothesis.self, from: event.payload))?.outcome.rawValue
                text = "hypothesis recorded: \(outcome ?? "?")"
            case "diagram_answered": text = "diagram answered"
            case "run_finished": text = "run finished and graded"
            default: text = event.kind.replacingOccurrences(of: "_", with: " ")
            }
        }
    }
}
