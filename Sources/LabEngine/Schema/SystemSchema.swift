/// SystemSchema is the JSON Schema (draft-07) of a system file (`chaoslab.yaml`), for editors:
/// `chaoslab schema --system-file` prints it, docs/system.schema.json keeps a copy. Like the lab
/// schema it says what a schema can say (fields, types, patterns); what ties one part to another
/// (an edge's services, the placeholders a command names) only `chaoslab validate --system` checks.
public enum SystemSchema {
    public static let id = "urn:chaoslab:system-schema"

    /// The schema as pretty JSON with sorted keys.
    public static var text: String { document.prettyPrinted() }

    static var document: JSONValue {
        let name = LabSchema.kebabCase("A name in the system.", example: "catalog")
        let placeholders = SystemDescription.placeholders.map { "\($0.name): \($0.meaning)" }.joined(separator: "; ")
        let service = LabSchema.object(
            "One service: a command chaoslab starts, or the address of something already running (exactly one of the two).",
            properties: [
                "command": ["type": "array", "minItems": 1, "items": ["type": "string"], "description": .string("""
                    The program and its arguments, run without a shell in `directory`; it must name {port} (here or \
                    in environment). Placeholders: \(placeholders).
                    """)],
                "address": ["type": "string", "pattern": "^[^:]+:[0-9]{1,5}$",
                            "description": "HOST:PORT of a service already running, like 127.0.0.1:9000; chaoslab cannot start, kill or pause it."],
                "directory": LabSchema.text("With command: the folder it runs in, relative to the system file's. Default: the system file's folder."),
                "environment": ["type": "object", "additionalProperties": ["type": "string"],
                                "description": "With command: extra environment, placeholders filled in. Default: none."],
                "health": ["type": "string", "pattern": "^/", "default": "/healthz",
                           "description": "The path whose 200 means the service is up. Default: /healthz."],
                "metrics": ["type": "string", "pattern": "^/",
                            "description": "The path of its Prometheus metrics, scraped by the lab's Prometheus. Default: none (not scraped)."],
                "service_faults": ["type": "boolean", "default": false, "description": """
                    It serves chaoslab's in-process faults (PUT/DELETE /admin/faults/KIND: cpu, memory, errors, empty), \
                    as the demo services do. Default: false (only kill and pause reach it).
                    """],
                "knobs": ["type": "object", "additionalProperties": LabSchema.choice(["flag", "whole_number"], "What the knob takes."),
                          "description": "The settings a lab's fix may set through PUT /admin/config. Default: none."],
            ])
        let edge = LabSchema.object("A dependency: the caller and the service it calls; it gets a fault proxy named FROM-TO.",
                                    required: ["from", "to"], properties: ["from": name, "to": name])
        let claimed = LabSchema.object("An edge of the claimed diagram.", required: ["from", "to"], properties: [
            "from": name, "to": name,
            "critical": ["type": "boolean", "default": false, "description": "Whether the team believes the edge critical. Default: false."],
        ])
        let methods = JourneyStep.Method.allCases.map(\.rawValue).joined(separator: "|")
        let journey = LabSchema.object("A customer journey: requests in order, judged against its SLO.", required: ["steps", "slo"], properties: [
            "steps": ["type": "array", "minItems": 1,
                      "items": ["type": "string", "pattern": .string("^ *(\(methods)) +[a-z0-9-]+ +/[^ ]* *$"),
                                "description": "\"METHOD SERVICE PATH\", like \"GET gateway /api/books\"."]],
            "slo": LabSchema.object("What \"works\" means.", required: ["success_rate", "p95_ms"], properties: [
                "success_rate": LabSchema.share("The share of iterations that must succeed, like 0.99."),
                "p95_ms": ["type": "number", "exclusiveMinimum": 0, "description": "The p95 latency allowed, in milliseconds."],
            ]),
            "failure_threshold": LabSchema.share("A success rate below this is broken. Default: 0.5."),
        ])
        return LabSchema.object(
            """
            A chaoslab system file: the services of a system under test, how each is started or reached, the \
            dependency edges (each behind a fault proxy), the customer journeys and the claimed diagram. \
            Check it with `chaoslab validate --system FILE`; run it with `chaoslab start --system FILE`.
            """,
            required: ["system", "title", "services", "edges"],
            properties: [
                "system": LabSchema.kebabCase("The system's name; labs for it say `system: NAME`.", example: "bookshop"),
                "title": LabSchema.text("The system's title, shown when the lab server starts."),
                "summary": LabSchema.text("One line about the system. Default: empty."),
                "services": ["type": "object", "minProperties": 1, "additionalProperties": service,
                             "description": "The services by name (kebab-case), in start-up order."],
                "edges": ["type": "array", "items": edge, "description": "Every dependency edge, once."],
                "journeys": ["type": "object", "additionalProperties": journey,
                             "description": "Journeys by name; labs that name none of their own use these. Default: none."],
                "architecture": LabSchema.object("The diagram the team believes in; labs that name none use it.", required: ["edges"],
                                                 properties: ["edges": ["type": "array", "items": claimed]]),
            ]
        ).merging([
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": .string(id),
            "title": "chaoslab system file",
        ])
    }
}
