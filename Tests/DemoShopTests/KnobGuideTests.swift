import Foundation
import LabEngine
import Testing

@testable import CheckoutService
@testable import ShopKit
@testable import StorefrontService

/// docs/authoring-labs.md lists the knobs a lab's fix may set: every knob, with its default, and no other.
@Suite struct KnobGuideTests {
    @Test func theGuideListsEveryKnobWithItsDefault() throws {
        let guide = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/authoring-labs.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- fix-knobs:"), "the guide marks its knob table")
        let end = try #require(text.range(of: "<!-- end fix-knobs -->"))
        let rows = text[begin.upperBound..<end.lowerBound].split(separator: "\n").filter { $0.hasPrefix("| `") }
        let listed = rows.map { $0.split(separator: "|").prefix(3).map { $0.trimmingCharacters(in: .whitespaces) } }
            .map { "\($0[0]) \($0[1]) \($0[2])" }

        var knobs: [String] = []
        for (service, defaults) in [("storefront", try defaults(of: StorefrontKnobs())), ("checkout", try defaults(of: CheckoutKnobs()))] {
            knobs += defaults.map { "`\(service)` `\($0.key)` \($0.value)" }
        }
        #expect(Set(listed) == Set(knobs), "the guide's knob table should list exactly: \(knobs.sorted())")
    }

    /// The lab format checks a fix's knobs against its own list: it must be the shop's.
    @Test func theLabFormatKnowsEveryKnobOfTheShop() throws {
        for (service, defaults) in [("storefront", try defaults(of: StorefrontKnobs())), ("checkout", try defaults(of: CheckoutKnobs()))] {
            let known = try #require(SystemDescription.demoShop.topology.knobs[service])
            #expect(Set(known.keys) == Set(defaults.keys), "\(service)")
            for (name, value) in defaults {
                #expect((known[name] == .flag) == (value == "true" || value == "false"), "\(service).\(name)")
            }
        }
        #expect(Set(SystemDescription.demoShop.topology.knobs.keys) == ["storefront", "checkout"])
    }

    /// The knobs as the admin endpoint shows them (snake_case), with their defaults as text.
    private func defaults(of knobs: some ServiceKnobs) throws -> [String: String] {
        try JSONDecoder().decode([String: ShopKit.KnobValue].self, from: ShopJSON.encoder().encode(knobs)).mapValues { value in
            switch value {
            case .bool(let flag): "\(flag)"
            case .int(let number): "\(number)"
            case .other: "?"
            }
        }
    }
}
