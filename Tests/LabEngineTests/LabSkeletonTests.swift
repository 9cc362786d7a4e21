import Foundation
import Testing
@testable import LabEngine

/// The skeleton `chaoslab new-lab` writes: it validates as written and shows every field.
@Suite("The new-lab skeleton")
struct LabSkeletonTests {
    @Test("the skeleton validates, with an experiment and a fix exercise")
    func validates() throws {
        let lab = try LabValidator.validate(yaml: LabSkeleton.text(id: "my-first-lab"), file: "my-first-lab.yaml").get()

        #expect(lab.id == "my-first-lab")
        #expect(lab.exercises.map(\.kind) == [.experiment, .fix])
    }

    @Test("with a schema path, its first line is the editor's modeline")
    func modeline() throws {
        let text = LabSkeleton.text(id: "my-first-lab", schema: "../docs/lab.schema.json")

        #expect(text.hasPrefix("# yaml-language-server: $schema=../docs/lab.schema.json\n"))
        #expect(throws: Never.self) { try LabValidator.validate(yaml: text, file: "my-first-lab.yaml").get() }
    }

    @Test("every field the schema knows appears in the skeleton")
    func everyFieldIsThere() throws {
        let schema = try #require(JSONSerialization.jsonObject(with: Data(LabSchema.text.utf8)) as? [String: Any])
        let text = LabSkeleton.text(id: "my-first-lab")
        var fields = Set<String>()
        LabSchemaTests.visitProperties(of: schema, path: "") { path, _ in fields.insert(String(path.split(separator: "/").last!)) }
        // Fault attributes are examples, not fields (one fault's are enough); so are the services of a fix and their knobs.
        let examples = Set(FaultCatalog.entries.flatMap { $0.attributes.map(\.name) } + SystemDescription.demoShop.topology.services
                           + SystemDescription.demoShop.topology.knobs.values.flatMap(\.keys))
        let missing = fields.subtracting(examples).filter { !text.contains("\($0):") }

        #expect(missing.isEmpty, "not in the skeleton: \(missing.sorted())")
    }

    @Test("a lab id is kebab-case", arguments: [("is-checkout-retry-safe", true), ("lab2", true), ("My_Lab", false),
                                                 ("-lab", false), ("two--dashes", false), ("a/b", false), ("", false)])
    func labIDs(id: String, valid: Bool) {
        #expect((LabSkeleton.problem(withID: id) == nil) == valid)
    }
}
