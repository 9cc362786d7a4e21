import Foundation
import Testing
@testable import LabEngine

/// docs/authoring-labs.md must match the code: its examples validate, its fault table is the catalogue.
@Suite("The lab authoring guide")
struct AuthoringGuideTests {
    static let guide = Fixtures.repository.appendingPathComponent("docs/authoring-labs.md")

    @Test("every yaml block of the guide is a complete lab that validates")
    func everyExampleValidates() throws {
        let examples = try yamlBlocks(of: String(contentsOf: Self.guide, encoding: .utf8))

        #expect(!examples.isEmpty, "the guide has a worked example")
        for (number, example) in examples.enumerated() {
            let name = "authoring-labs.md, yaml block \(number + 1)"
            if case .failure(let error) = LabValidator.validate(yaml: example, file: name) {
                Issue.record("\(error)\nput fragments in tables, prose or a ```text block")
            }
        }
    }

    @Test("the guide's fault table is FaultCatalog's, fault by fault")
    func faultTableMatchesTheCatalogue() throws {
        let text = try String(contentsOf: Self.guide, encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- fault-catalogue:"), "the guide marks its fault table")
        let end = try #require(text.range(of: "<!-- end fault-catalogue -->"))
        let table = text[begin.upperBound..<end.lowerBound].split(separator: "\n").dropFirst().joined(separator: "\n")

        #expect(table == Self.faultTable(), "replace the guide's fault table with:\n\(Self.faultTable())")
    }

    /// The fault table as the guide shows it, generated from the catalogue.
    static func faultTable() -> String {
        func plain(_ value: Double) -> String { value.rounded() == value ? String(Int(value)) : String(value) }
        let rows = FaultCatalog.entries.map { entry in
            let target = entry.services.map { "\(entry.family.rawValue): \($0.joined(separator: ", ")) only" } ?? entry.family.rawValue
            let attributes = entry.attributes.isEmpty ? "none" : entry.attributes.map { attribute in
                "`\(attribute.name)`\(attribute.required ? " (required)" : ""): \(attribute.unit)\(attribute.whole ? ", whole" : ""), "
                    + "\(plain(attribute.range.lowerBound)) to \(plain(attribute.range.upperBound)) — \(attribute.about)"
            }.joined(separator: "<br>")
            return "| `\(entry.name)` | \(target) | \(entry.hasStream ? "yes" : "no") | \(attributes) | \(entry.about) |"
        }
        return (["| fault | target | stream | attributes | does |", "| --- | --- | --- | --- | --- |"] + rows).joined(separator: "\n")
    }
}

/// The ```yaml blocks of a Markdown text, without their fences.
func yamlBlocks(of markdown: String) -> [String] {
    var blocks: [String] = []
    var current: [Substring]?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
        if current == nil, line == "```yaml" {
            current = []
        } else if current != nil, line == "```" {
            blocks.append(current!.joined(separator: "\n") + "\n")
            current = nil
        } else {
            current?.append(line)
        }
    }
    return blocks
}
