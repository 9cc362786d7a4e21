// The schema of one exercise: hypothesis, status check, attack, guardrails, fix and expectation.

extension LabSchema {
    static var exercise: JSONValue {
        let outcomes = Outcome.predictable.map(\.rawValue)
        return object(
            """
            One experiment: the learner predicts what a fault does, the status check confirms steady state, \
            the attack injects the fault while the journeys are probed, and the outcome is compared with expect. \
            With a fix, it verifies a remedy under the same fault instead.
            """,
            required: ["id", "title", "brief", "hypothesis", "attack", "expect"],
            properties: [
                "id": kebabCase("The exercise's id, unique in the lab.", example: "block-ads"),
                "title": text("The exercise's title, like \"Block the ad service\"."),
                "brief": markdown("What the learner reads first: the claim under test and the fault."),
                "hypothesis": hypothesis(outcomes + ["refused"] + Outcome.alertOutcomes.map(\.rawValue)),
                "status_check": statusCheck,
                "attack": attack,
                "guardrails": guardrails,
                "fix": fix,
                "fix_rules": rulesFix,
                "weather": weather,
                "alert": alert,
                "expect": ["anyOf": [
                    ["type": "object", "minProperties": 1,
                     "additionalProperties": choice(outcomes, "The outcome this journey has under the fault.")],
                    ["const": "refused", "description": "The status check refuses the attack (with weather): no fault goes in."],
                ], "description": .string("""
                    The outcome the lab expects of each journey during the attack, by journey name: \
                    \(outcomes.joined(separator: ", ")). These journeys are the ones probed during the \
                    attack; `chaoslab validate --live` checks that the shop really does this. Or `refused`: \
                    the status check refuses the attack (the exercise then names its status check's journey).
                    """)],
                "debrief": ["anyOf": [
                    markdown("What the learner reads after the outcome: what happened and why."),
                    ["type": "object", "minProperties": 1, "additionalProperties": false,
                     "properties": .object(Dictionary(uniqueKeysWithValues: (outcomes + ["refused"] + Outcome.alertOutcomes.map(\.rawValue)).map {
                         ($0, markdown("The debrief when the outcome was \($0)."))
                     }))],
                ], "description": """
                    What the learner reads after the outcome: what happened and why; one text, or one per \
                    observed outcome (`{ works: ..., broken: ... }`), so that it follows what was measured \
                    (a learner's own fix may not hold). May quote the chosen settings, {fix.SERVICE.KNOB}, \
                    and the measurements, {measured.JOURNEY.FIELD} with FIELD one of success, p50, p95, \
                    requests, timed_out. Default: empty.
                    """],
                "hints": ["type": "array", "items": text("One hint."),
                          "description": "Shown when the prediction was wrong, one at a time. Default: none."],
            ])
    }

    private static func hypothesis(_ outcomes: [String]) -> JSONValue {
        object(
            "The question the learner answers before the attack, with a sentence per outcome to choose from.",
            required: ["question", "choices"],
            properties: [
                "question": text("The question, like \"If storefront cannot reach ads, what happens to checkout?\" "
                                 + "In a fix exercise, {fix.SERVICE.KNOB} names the value the learner chose."),
                "choices": .object([
                    "type": "object", "minProperties": 1, "additionalProperties": false,
                    "properties": .object(Dictionary(uniqueKeysWithValues: outcomes.map {
                        ($0, text("What the learner believes if they choose \($0)."))
                    })),
                    "description": .string("""
                        A sentence for each outcome the learner may choose: works, degraded and broken for a \
                        journey; refused as well where the lab brings weather; alerted and silent (only) for an \
                        exercise with an alert.
                        """)]),
            ])
    }

    private static var weather: JSONValue {
        object(
            """
            Weather the learner did not make: a fault the lab injects before the status check and takes out \
            after the run. The lab drives the status check's journey until the weather shows in a named check \
            (it fails), then judges the status check; afterwards it waits until that check passes again.
            """,
            required: ["inject", "shows_in"],
            properties: [
                "inject": ["$ref": "#/properties/exercises/items/properties/attack",
                           "description": "The weather's fault, written as an attack (edge or service, fault, attributes)."],
                "shows_in": text("The named status check (of status_checks) that fails once the monitoring sees the weather."),
                "within": duration("How long to wait for the weather to show, and to clear. Default: 30s.", default: "30s"),
            ])
    }

    private static var alert: JSONValue {
        object(
            """
            An alert rule to watch in the lab's Alertmanager while the attack runs: did the monitoring see it? \
            The hypothesis' choices are then alerted and silent. Needs the monitoring stack.
            """,
            required: ["name", "expect"],
            properties: [
                "name": text("The alert's name (alertname), like CartSlow."),
                "within": duration("The alert must reach Alertmanager this soon after the fault. Default: 15s.", default: "15s"),
                "expect": choice(Outcome.alertOutcomes.map(\.rawValue), "What the lab expects: alerted or silent."),
            ])
    }

    private static var rulesFix: JSONValue {
        object(
            """
            Makes this a fix exercise of an alert rule: the learner edits this file of the monitoring rules \
            folder, the lab reloads Prometheus before the run, and the fix holds when the alert fires in time. \
            Needs alert.
            """,
            required: ["file"],
            properties: [
                "file": text("The rule file's name in monitoring/rules/, like cart-alerts.yml."),
                "solution": text("""
                    A fixed copy of the file, relative to the lab file: `chaoslab validate --live` puts it in place \
                    of the file (in a copy of the monitoring folder) to test the lab.
                    """),
            ])
    }

    private static var statusCheck: JSONValue {
        object(
            "Steady state before the attack: the journey is probed and must meet its SLO, or nothing is injected.",
            properties: [
                "journey": text("The journey to probe. Default: the first journey of expect, by name."),
                "for": duration("How long to probe. Default: 5s (at most 3s in quick mode).", default: "5s"),
            ].merging(statusCheckReferences) { $1 })
    }

    private static var guardrails: JSONValue {
        let abort = object(
            "Halt the attack early when this journey gets too bad (once at least 3 iterations completed).",
            required: ["journey"],
            properties: [
                "journey": text("The journey to watch."),
                "success_rate_below": share("Halt when the journey's success rate falls below this, 0 to 1."),
                "p95_above_ms": ["type": "number", "exclusiveMinimum": 0,
                                 "description": "Halt when the journey's p95 latency rises above this, in milliseconds."],
            ]
        ).merging(["anyOf": [["required": ["success_rate_below"]], ["required": ["p95_above_ms"]]]])
        return object(
            "Limits on the attack.",
            properties: [
                "max_duration": duration("""
                    The attack never lasts longer; also the fault's time to live, so at most 1h. The attack's \
                    duration must not exceed it. Default: 60s.
                    """, default: "60s"),
                "abort_when": abort,
            ])
    }

    private static var fix: JSONValue {
        func knobs(of service: String) -> JSONValue {
            let properties = (topology.knobs[service] ?? [:]).mapValues { kind -> JSONValue in
                switch kind {
                case .flag: ["type": "boolean", "description": "true or false."]
                case .wholeNumber: ["type": "integer", "minimum": 0, "description": "A whole number, 0 or more (milliseconds for a *_ms knob)."]
                }
            }
            return object("""
                Knobs of this service and their values, like `{ ads_timeout_ms: 300, ads_fallback: true }` \
                (see docs/authoring-labs.md).
                """, properties: .init(uniqueKeysWithValues: properties.map { ($0.key, $0.value) }))
        }
        return [
            "type": "object", "minProperties": 1, "additionalProperties": false,
            "properties": .object(Dictionary(uniqueKeysWithValues: topology.services.map { ($0, knobs(of: $0)) })),
            "description": """
                Makes this a fix exercise: resilience knobs to set per service before the status check, reset \
                afterwards. In the browser the learner may change their values. Default: none (an experiment).
                """,
        ]
    }
}
