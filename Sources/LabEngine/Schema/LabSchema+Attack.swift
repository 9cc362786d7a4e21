// The schema of an attack, one rule per fault of the catalogue: its target (an edge or a service),
// its attributes with their units and ranges, and whether it takes a stream.

extension LabSchema {
    static var attack: JSONValue {
        let edges = topology.edges.map(\.key)
        let faults = FaultCatalog.entries.map(\.name)
        let edge: JSONValue = [
            // The loader trims spaces around the arrow; the enum is there for completion.
            "anyOf": [["enum": .array(edges.map(JSONValue.string))], ["pattern": .string(edgePattern)]],
            "type": "string",
            "description": .string("The edge whose proxy gets a network fault. One of: \(edges.joined(separator: ", ")).")]
        let properties: [String: JSONValue] = [
            "edge": edge,
            "service": choice(topology.services, "The service whose process gets a service fault."),
            "fault": [
                "type": "string", "enum": .array(faults.map(JSONValue.string)),
                "enumDescriptions": .array(FaultCatalog.entries.map { .string("\($0.family.rawValue) fault: \($0.about)") }),
                "description": .string("""
                    The fault to inject. On an edge: \(FaultCatalog.names(.edge).joined(separator: ", ")). \
                    On a service: \(FaultCatalog.names(.service).joined(separator: ", ")).
                    """)],
            "attributes": ["type": "object", "additionalProperties": ["type": "number"],
                           "description": "The fault's attributes, in the fault's units; which ones depends on the fault."],
            "stream": [
                "type": "string", "enum": ["upstream", "downstream"], "default": "downstream",
                "description": """
                    For toxics (every edge fault but blackhole and refuse): downstream acts on the answers \
                    (upstream service to caller), upstream on the requests. Default: downstream.
                    """],
            "duration": duration("How long the journeys are observed under the fault (at most 3s in quick mode). Default: 20s.",
                                 default: "20s"),
        ]
        return object(
            "The fault to inject: on an edge (`edge:`) or on a service (`service:`), never both.",
            required: ["fault"],
            properties: properties
        ).merging([
            "oneOf": [["required": ["edge"]], ["required": ["service"]]],
            "allOf": .array(FaultCatalog.entries.map { rule(for: $0, properties: properties) }),
        ])
    }

    /// `if fault is this one then` its target, its attributes and its stream, and nothing else.
    private static func rule(for entry: FaultCatalog.Entry, properties: [String: JSONValue]) -> JSONValue {
        var allowed = ["fault", "attributes", "duration", entry.family.rawValue]
        if entry.hasStream { allowed.append("stream") }
        var then = properties.filter { allowed.contains($0.key) }.mapValues { _ in JSONValue.object([:]) }
        then["attributes"] = attributes(of: entry)
        if let only = entry.services {
            then["service"] = choice(only, "\(entry.name) is a fault of \(only.joined(separator: ", ")) only.")
        }
        var required = [entry.family.rawValue]
        if entry.attributes.contains(where: \.required) { required.append("attributes") }
        return [
            "if": ["properties": ["fault": ["const": .string(entry.name)]], "required": ["fault"]],
            "then": [
                "description": .string("\(entry.name), a fault of \(entry.family == .edge ? "an edge" : "a service"): \(entry.about)"),
                "properties": .object(then), "required": .array(required.map(JSONValue.string)),
                "additionalProperties": false,
            ],
        ]
    }

    private static func attributes(of entry: FaultCatalog.Entry) -> JSONValue {
        let names = entry.attributes.map(\.name)
        let about = names.isEmpty
            ? "\(entry.name) takes no attributes."
            : "The attributes of \(entry.name): \(names.joined(separator: ", "))."
        return object(
            about,
            required: entry.attributes.filter(\.required).map(\.name),
            properties: Dictionary(uniqueKeysWithValues: entry.attributes.map { attribute in
                let unit = attribute.unit == "share" ? "a share of 1" : attribute.unit
                return (attribute.name, [
                    "type": attribute.whole ? "integer" : "number",
                    "minimum": .number(attribute.range.lowerBound), "maximum": .number(attribute.range.upperBound),
                    "description": .string("""
                        \(attribute.about.prefix(1).uppercased() + attribute.about.dropFirst()). In \(unit), \
                        from \(plain(attribute.range.lowerBound)) to \(plain(attribute.range.upperBound))\
                        \(attribute.whole ? ", whole" : "")\(attribute.required ? "; required" : "").
                        """),
                ])
            }))
    }

    /// An edge key, with the spaces around its sides that `EdgeID(key:)` trims.
    private static var edgePattern: String {
        let keys = topology.edges.map { "\($0.from)[ \\t]*->[ \\t]*\($0.to)" }
        return "^[ \\t]*(\(keys.joined(separator: "|")))[ \\t]*$"
    }
}
