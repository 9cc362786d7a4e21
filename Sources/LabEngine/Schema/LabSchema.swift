/// LabSchema is the JSON Schema (draft-07) of a lab file, so that an editor checks a lab as it
/// is typed and shows what each field means on hover. `chaoslab schema` prints it.
///
/// It is built from what the loader itself knows: the faults, their targets and attributes come
/// from `FaultCatalog`, the services, edges and knobs from the demo shop's system file
/// (`SystemDescription.demoShop`: the schema is that of the default system's labs), the outcomes from `Outcome`,
/// the step and duration syntax from `JourneyStep` and `DurationParser`. It says what a schema can
/// say: types, required fields, unknown keys, names, ranges and patterns. What ties one part of a
/// lab to another (a journey named in `expect`, duplicate ids, an attack longer than its
/// guardrail) only `chaoslab validate` checks.
public enum LabSchema {
    /// The schema's identifier; not a place to fetch it from.
    public static let id = "urn:chaoslab:lab-schema"

    /// The services, edges and knobs the schema's names come from.
    static var topology: SystemTopology { SystemDescription.demoShop.topology }

    /// The schema as pretty JSON with sorted keys: the same text for the same code.
    public static var text: String { document.prettyPrinted() }

    static var document: JSONValue {
        object(
            """
            A chaoslab lab: the architecture the team claims, the user journeys to probe, and the exercises \
            (hypothesis, status check, attack, expected outcome, debrief) that test the claims. \
            Check it with `chaoslab validate FILE`, and against the real shop with `chaoslab validate --live`.
            """,
            required: ["id", "title", "exercises"],
            properties: [
                "id": kebabCase("The lab's id, unique among the labs; the file is usually Labs/ID.yaml.",
                                example: "is-ads-optional"),
                "system": kebabCase("""
                    The system the lab is written for, as its system file names it (`system:`). A lab server \
                    running another system refuses the lab. Default: shop (the demo shop).
                    """, example: "shop"),
                "title": text("The lab's title, a question the lab answers: \"Is the ad service really optional?\""),
                "summary": text("One line for the list of labs. Default: empty."),
                "estimated_minutes": ["type": "integer", "minimum": 1,
                                      "description": "How long the lab takes a learner, in minutes. Default: not shown."],
                "objectives": ["type": "array", "items": text("One thing the learner will practise."),
                               "description": "What the learner will practise, one sentence each. Default: none."],
                "architecture": architecture,
                "journeys": ["type": "object", "minProperties": 1, "additionalProperties": journey,
                             "description": """
                                 The user journeys to probe, by name (like checkout or browse): each is a list of \
                                 HTTP requests with its SLO. At least one. Exercises name them in status_check, \
                                 expect and abort_when. Default: the journeys of the lab's system file.
                                 """],
                "probe": probe,
                "status_checks": statusChecks,
                "exercises": ["type": "array", "minItems": 1, "items": exercise,
                              "description": "The experiments of the lab, in order; at least one. Ids must be unique."],
                "scenarios": ["type": "array", "items": object(
                    "A game-day scenario: exercises of this lab, one after another; it stops at the first failed status check.",
                    required: ["id", "title", "steps"],
                    properties: [
                        "id": kebabCase("The scenario's id, unique in the lab.", example: "sale-day-drill"),
                        "title": text("The scenario's title."),
                        "steps": ["type": "array", "minItems": 1, "items": scenarioStep,
                                  "description": "The steps to run, in order: exercise ids and { check: NAME } steps; at least one."],
                    ]),
                              "description": "Game-day scenarios: sequences of this lab's exercises. Default: none."],
                "diagram": object(
                    "The closing question about the diagram. Default: \"For each edge of the diagram: is it critical for the user?\"",
                    properties: ["question": text("The question, asked after the last exercise, before the learner marks each edge critical or not.")]),
            ]
        ).merging([
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": .string(id),
            "title": "chaoslab lab",
        ])
    }

    private static var architecture: JSONValue {
        let callers = uniqued(topology.edges.map(\.from))
        let claimedEdge = object(
            "One edge of the claimed diagram: a service calling another through a fault proxy.",
            required: ["from", "to"],
            properties: [
                "from": choice(callers, "The calling service."),
                "to": choice(topology.services, "The service being called."),
                "critical": ["type": "boolean", "default": false,
                             "description": "Whether the team believes the caller fails without this edge. Default: false."],
            ]
        ).merging(["allOf": .array(callers.map { caller in
            let callees = topology.edges.filter { $0.from == caller }.map(\.to)
            return ["if": ["properties": ["from": ["const": .string(caller)]], "required": ["from"]],
                    "then": ["properties": ["to": choice(callees, "A service that \(caller) calls.")]]]
        })])
        return object(
            "The diagram the team believes in; the learner's diagram answer is graded against what the experiments show.",
            required: ["edges"],
            properties: [
                "edges": ["type": "array", "items": claimedEdge,
                          "description": .string("The edges of the diagram, each once: "
                              + topology.edges.map(\.key).joined(separator: ", ") + ".")],
            ])
    }

    private static var journey: JSONValue {
        let methods = JourneyStep.Method.allCases.map { method in
            method.rawValue.map { "[\($0)\($0.lowercased())]" }.joined()
        }
        let step: JSONValue = [
            "type": "string",
            "pattern": .string("^ *(\(methods.joined(separator: "|"))) +(\(topology.services.joined(separator: "|"))) +/[^ ]* *$"),
            "description": .string("""
                One HTTP request: "METHOD SERVICE PATH", like "POST storefront /api/checkout". Methods: \
                \(JourneyStep.Method.allCases.map(\.rawValue).joined(separator: ", ")); services: \
                \(topology.services.joined(separator: ", ")); the path starts with /.
                """),
        ]
        let slo = object(
            "What \"works\" means for this journey.",
            required: ["success_rate", "p95_ms"],
            properties: [
                "success_rate": share("The share of iterations that must succeed, 0 to 1, like 0.99."),
                "p95_ms": ["type": "number", "exclusiveMinimum": 0,
                           "description": "The 95th percentile of an iteration's latency must not exceed this, in milliseconds."],
            ])
        return object(
            "A user journey: requests made in order, one iteration after another, judged against its SLO.",
            required: ["steps", "slo"],
            properties: [
                "steps": ["type": "array", "minItems": 1, "items": step,
                          "description": "The requests of one iteration, in order; an iteration fails if any step fails."],
                "slo": slo,
                "failure_threshold": share("""
                    A success rate below this is broken; between it and the SLO is degraded. From 0 to the SLO's \
                    success_rate. Default: 0.5.
                    """).merging(["default": 0.5]),
            ])
    }

    private static var probe: JSONValue {
        object(
            "How hard the journey probe drives each journey.",
            properties: [
                "rate": ["type": "number", "exclusiveMinimum": 0, "maximum": 100, "default": 5,
                         "description": "Journey iterations started per second, above 0 and at most 100. Default: 5."],
                "timeout": duration("The time allowed for one whole iteration. Default: 2s.", default: "2s"),
            ])
    }
}
