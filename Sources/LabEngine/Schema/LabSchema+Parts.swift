// The small schemas the lab schema is made of: closed objects, text, names, shares, durations.

extension LabSchema {
    /// An object that, like the loader, reports unknown keys (`additionalProperties: false`).
    static func object(_ about: String, required: [String] = [], properties: [String: JSONValue]) -> JSONValue {
        var schema: [String: JSONValue] = [
            "type": "object", "description": .string(about), "properties": .object(properties),
            "additionalProperties": false,
        ]
        if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
        return .object(schema)
    }

    static func text(_ about: String) -> JSONValue {
        ["type": "string", "description": .string(about)]
    }

    static func markdown(_ about: String) -> JSONValue {
        text(about + " Markdown; a `|` block keeps the line breaks.")
    }

    /// One of a fixed list of words.
    static func choice(_ names: [String], _ about: String) -> JSONValue {
        ["type": "string", "enum": .array(names.map(JSONValue.string)),
         "description": .string("\(about) One of: \(names.joined(separator: ", ")).")]
    }

    /// Lowercase words joined by '-', as the loader requires of lab and exercise ids.
    static func kebabCase(_ about: String, example: String) -> JSONValue {
        ["type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
         "description": .string("\(about) Kebab-case: lowercase words joined by '-', like \(example).")]
    }

    /// A number from 0 to 1.
    static func share(_ about: String) -> JSONValue {
        ["type": "number", "minimum": 0, "maximum": 1, "description": .string(about)]
    }

    /// The syntax `DurationParser` reads: a positive number and a unit, spaces allowed around them.
    static let durationPattern = #"^[ \t]*(?=[0-9.]*[1-9])([0-9]+\.?[0-9]*|\.[0-9]+)[ \t]*(ms|s|m|h)[ \t]*$"#

    static func duration(_ about: String, default value: String) -> JSONValue {
        ["type": "string", "pattern": .string(durationPattern), "default": .string(value),
         "description": .string("\(about) A positive number and a unit (ms, s, m or h), like 500ms, 5s or 2m; at most a day.")]
    }

    /// A number as people write it: 1000000000000000, 0.001.
    static func plain(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e18 ? String(Int(value)) : String(value)
    }

    /// `names` in order, each once.
    static func uniqued(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
