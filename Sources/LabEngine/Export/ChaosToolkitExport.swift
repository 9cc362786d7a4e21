import Foundation

/// ChaosToolkitExport turns one exercise of a lab into a Chaos Toolkit experiment, so that a
/// learner can take the experiment home and run it with `chaos run`:
///
/// - the steady-state hypothesis: the http criteria of the exercise's named status checks (with
///   their status as the tolerance), then one HTTP probe per step of the exercise's journey, each
///   of which must answer 2xx within the journey's p95 objective;
/// - the method: the lab's fix (the services' `/admin/config`), then the fault: a network fault
///   through chaoslab's Toxiproxy-compatible API (toxics with known names, or the proxy
///   disabled), a service fault through chaoslab's lab API; then a pause while it bites;
/// - the rollbacks: every change undone, with `runtime.rollbacks.strategy: always`, so that
///   the fault never stays behind, even when a probe times out and the run fails.
///
/// Addresses are configuration read from the environment (`CHAOSLAB_URL`,
/// `CHAOSLAB_STOREFRONT_URL`, …), with the running lab's addresses as defaults.
public enum ChaosToolkitExport {
    /// The longest pause between injecting the fault and checking the steady state again
    /// (the lab's quick window: the fault bites at once; the pause lets it be felt).
    public static let maxPause: Duration = .seconds(3)

    /// The experiment for exercise `exerciseID` of `lab`. `labServer` is the lab server's base
    /// URL; `services` the base URL of each demo service the experiment talks to.
    public static func experiment(lab: Lab, exerciseID: String, labServer: String,
                                  services: [String: String]) throws(ExportError) -> Experiment {
        guard let exercise = lab.exercise(exerciseID) else {
            throw ExportError("lab \(lab.id) has no exercise '\(exerciseID)'; exercises: "
                              + lab.exercises.map(\.id).joined(separator: ", "))
        }
        let journeyName = exercise.statusCheck.journey
        guard let journey = lab.journeys[journeyName] else {
            throw ExportError("exercise \(exerciseID) checks unknown journey '\(journeyName)'")
        }
        let checks = checkProbes(exercise, lab: lab)
        let needed = Set(journey.steps.map(\.service)).union((exercise.fix ?? [:]).keys).union(checks.services).sorted()
        if let missing = needed.first(where: { services[$0] == nil }) {
            throw ExportError("the address of \(missing) is unknown; start the lab server (chaoslab start) "
                              + "or set \(environmentKey(of: missing))")
        }
        var configuration: [String: ConfigurationEntry] = [
            "chaoslab_url": ConfigurationEntry(key: "CHAOSLAB_URL", default: labServer),
        ]
        for service in needed {
            configuration["\(service)_url"] = ConfigurationEntry(key: environmentKey(of: service), default: services[service]!)
        }

        let expected = exercise.expect[journeyName] ?? .works
        let attack = exercise.attack
        var method: [Activity] = []
        var rollbacks: [Activity] = []
        for (service, knobs) in (exercise.fix ?? [:]).sorted(by: { $0.key < $1.key }) {
            let settings = knobs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            method.append(.action("apply the fix to \(service): \(settings)", .init(
                url: "${\(service)_url}/admin/config", method: "PUT", json: .object(knobs.mapValues(JSONValue.init)))))
            rollbacks.append(.action("reset \(service)'s knobs to their defaults", .init(
                url: "${\(service)_url}/admin/config", method: "DELETE")))
        }
        let (inject, undo) = faultActivities(attack, exercise: exercise)
        method += inject
        rollbacks += undo
        let pause = min(attack.duration, maxPause)
        method[method.count - 1].pauses = Pauses(after: Double(pause.milliseconds) / 1000)

        let journeyProbes = journey.steps.map { step in
            Activity.probe("\(journeyName): \(step)", tolerance: .twoHundreds, .init(
                url: "${\(step.service)_url}\(step.path)", method: step.method.rawValue,
                headers: ["X-Session": "chaoslab-ctk"], json: step.method == .post || step.method == .put ? .object([:]) : nil,
                timeout: journey.slo.p95Ms / 1000))
        }
        let probes = checks.probes + journeyProbes
        var skipped = checks.notExported.isEmpty ? "" : " Status checks Chaos Toolkit's HTTP probes cannot express are not exported "
            + "(run them with `chaoslab check \(lab.id)`): " + checks.notExported.joined(separator: "; ") + "."
        if let weather = exercise.weather {
            skipped += " Not exported: the lab's weather (\(weather.fault.summary) on \(weather.target.key) before the status check)."
        }
        if let alert = exercise.alert {
            skipped += " Not exported: the watch of the alert \(alert.name) in Alertmanager (within \(DurationParser.format(alert.within)))."
        }
        let deviation = expected == .works
            ? "The lab expects \(journeyName) to work under this fault: the steady state should hold (the run completes, exit 0)."
            : "The lab expects \(journeyName) to be \(expected.rawValue) under this fault: the steady state should deviate (`chaos run` exits 1)."
        return Experiment(
            title: "\(lab.id) / \(exercise.id): \(exercise.title)",
            description: "\(exercise.hypothesis.question) The attack: \(attack.fault.summary) on \(attack.target.key). "
                + "\(deviation) Exported from chaoslab; the addresses come from the environment "
                + "(\(configuration.values.map(\.key).sorted().joined(separator: ", "))), with the lab's as defaults." + skipped,
            tags: ["chaoslab", lab.id, exercise.id, attack.fault.type],
            configuration: configuration,
            steadyStateHypothesis: .init(
                title: "\(journeyName): every step answers 2xx within \(Int(journey.slo.p95Ms)) ms (its p95 objective)",
                probes: probes),
            method: method,
            rollbacks: rollbacks,
            extensions: [.init(lab: lab.id, exercise: exercise.id, journey: journeyName, attack: "\(attack.fault.summary) on \(attack.target.key)",
                               expect: exercise.expect.mapValues(\.rawValue), expectDeviation: expected != .works)])
    }

    /// `CHAOSLAB_STOREFRONT_URL` for storefront.
    public static func environmentKey(of service: String) -> String {
        "CHAOSLAB_\(service.uppercased())_URL"
    }

    /// The actions that put the attack's fault on, and those that take it off.
    static func faultActivities(_ attack: Attack, exercise: Exercise) -> (inject: [Activity], undo: [Activity]) {
        let fault = attack.fault
        let ttlMs = Int(exercise.guardrails.maxDuration.milliseconds)
        switch attack.target {
        case .service(let service):
            var body: [String: JSONValue] = ["target": .string(service), "type": .string(fault.type), "ttl_ms": .number(Double(ttlMs))]
            if !fault.attributes.isEmpty { body["attributes"] = .object(fault.attributes.mapValues(JSONValue.number)) }
            return ([.action("\(fault.summary) on \(service) (lab API; ends by itself after \(ttlMs / 1000) s)",
                             .init(url: "${chaoslab_url}/api/faults", method: "POST", json: .object(body)))],
                    [.action("end every fault on \(service)", .init(url: "${chaoslab_url}/api/faults/\(service)", method: "DELETE"))])
        case .edge(let edge):
            let proxy = "${chaoslab_url}/proxies/\(edge.proxyName)"
            if fault.type == "refuse" {
                return ([.action("refuse \(edge.key): disable its proxy", .init(url: proxy, method: "POST", json: .object(["enabled": .bool(false)])))],
                        [.action("enable \(edge.key)'s proxy again", .init(url: proxy, method: "POST", json: .object(["enabled": .bool(true)])))])
            }
            // A blackhole is a timeout of 0 on both streams; every other fault is one toxic.
            let toxics: [(name: String, type: String, stream: String, attributes: [String: Double])] = fault.type == "blackhole"
                ? ["downstream", "upstream"].map { ("chaoslab-\(exercise.id)-\($0)", "timeout", $0, ["timeout": 0]) }
                : [("chaoslab-\(exercise.id)", fault.type, fault.stream ?? "downstream", fault.attributes)]
            let inject = toxics.map { toxic in
                Activity.action("\(fault.summary) on \(edge.key) (\(toxic.type) toxic, \(toxic.stream))", .init(
                    url: "\(proxy)/toxics", method: "POST", json: .object([
                        "name": .string(toxic.name), "type": .string(toxic.type), "stream": .string(toxic.stream),
                        "toxicity": .number(1), "attributes": .object(toxic.attributes.mapValues(JSONValue.number)),
                    ])))
            }
            let undo = toxics.map { toxic in
                Activity.action("remove toxic \(toxic.name) from \(edge.key)", .init(url: "\(proxy)/toxics/\(toxic.name)", method: "DELETE"))
            }
            return (inject, undo)
        }
    }
}

/// An export that cannot be made, with the reason.
public struct ExportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
