import Foundation
import Testing
@testable import LabEngine

/// The JSON Schema of the lab format: built from the catalogue, documented, and kept in the checkout.
/// (EndToEndTests checks labs against it with a real JSON Schema validator.)
@Suite("The lab schema")
struct LabSchemaTests {
    let schema: [String: Any]

    init() throws {
        schema = try #require(JSONSerialization.jsonObject(with: Data(LabSchema.text.utf8)) as? [String: Any])
    }

    @Test("it is a draft-07 schema with an id and a title")
    func isDraft07() {
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        #expect(schema["$id"] as? String == LabSchema.id)
        #expect(schema["title"] as? String == "chaoslab lab")
        #expect(schema["required"] as? [String] == ["id", "title", "exercises"])  // architecture and journeys may come from the system
    }

    @Test("every property has a description, for editors to show on hover")
    func everyPropertyIsDescribed() {
        var undescribed: [String] = []
        Self.visitProperties(of: schema, path: "") { path, property in
            if (property["description"] as? String)?.isEmpty ?? true { undescribed.append(path) }
        }
        #expect(undescribed.isEmpty, "no description: \(undescribed)")
    }

    @Test("each fault of the catalogue has a rule: its target, its attributes, its stream")
    func everyFaultHasARule() throws {
        let attack = try #require(Self.attack(in: schema))
        let rules = try #require(attack["allOf"] as? [[String: Any]])
        let faults = rules.compactMap { ((($0["if"] as? [String: Any])?["properties"] as? [String: Any])?["fault"] as? [String: Any])?["const"] as? String }
        #expect(faults == FaultCatalog.entries.map(\.name))

        for (entry, rule) in zip(FaultCatalog.entries, rules) {
            let then = try #require(rule["then"] as? [String: Any])
            let allowed = Set((then["properties"] as? [String: Any] ?? [:]).keys)
            #expect(allowed.contains(entry.family.rawValue) && !allowed.contains(entry.family == .edge ? "service" : "edge"), "\(entry.name)")
            #expect(allowed.contains("stream") == entry.hasStream, "\(entry.name)")
            let attributes = try #require((then["properties"] as? [String: Any])?["attributes"] as? [String: Any])
            #expect(Set((attributes["properties"] as? [String: Any] ?? [:]).keys) == Set(entry.attributes.map(\.name)), "\(entry.name)")
            #expect(attributes["additionalProperties"] as? Bool == false, "\(entry.name) refuses unknown attributes")
        }
    }

    @Test("docs/lab.schema.json is what `chaoslab schema` prints")
    func checkoutCopyIsCurrent() throws {
        let copy = Fixtures.repository.appendingPathComponent("docs/lab.schema.json")
        let text = try String(contentsOf: copy, encoding: .utf8)

        #expect(text == LabSchema.text + "\n",
                "docs/lab.schema.json is out of date; refresh it: swift run chaoslab schema > docs/lab.schema.json")
    }

    static func attack(in schema: [String: Any]) -> [String: Any]? {
        let exercises = (schema["properties"] as? [String: Any])?["exercises"] as? [String: Any]
        let exercise = exercises?["items"] as? [String: Any]
        return (exercise?["properties"] as? [String: Any])?["attack"] as? [String: Any]
    }

    /// Calls `body` with every member of every `properties` mapping of the schema, at any depth, but
    /// those of an `if` (conditions) and the empty placeholders of a `then` (which only allow a key).
    static func visitProperties(of node: Any, path: String, _ body: (String, [String: Any]) -> Void) {
        if let list = node as? [Any] {
            for (index, element) in list.enumerated() { visitProperties(of: element, path: "\(path)[\(index)]", body) }
        }
        guard let object = node as? [String: Any] else { return }
        for (key, value) in object {
            if key == "properties", let properties = value as? [String: Any] {
                for (name, property) in properties {
                    if let property = property as? [String: Any], !path.contains("/if"), !property.isEmpty {
                        body("\(path)/\(name)", property)
                    }
                    visitProperties(of: property, path: "\(path)/\(name)", body)
                }
            } else {
                visitProperties(of: value, path: "\(path)/\(key)", body)
            }
        }
    }
}

extension Fixtures {
    /// The root of this checkout, found from this file's path.
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
