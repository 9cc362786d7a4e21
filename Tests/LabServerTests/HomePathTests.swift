import Foundation
import HummingbirdTesting
import Testing

@testable import LabServer

@Suite("The home page's path through the labs")
struct HomePathTests {
    @Test("the starter lab comes first, marked 'start here'; the others follow the path")
    func starterFirst() async throws {
        try await InProcessServer().test { client in
            let page = String(buffer: try await client.call(.get, "/").body)
            let cards = page.components(separatedBy: "class=\"card").dropFirst().compactMap { card -> String? in
                guard let start = card.range(of: "data-lab=\"")?.upperBound, let end = card[start...].firstIndex(of: "\"") else { return nil }
                return String(card[start..<end])
            }
            #expect(Array(cards.prefix(WebPages.learningPath.count)) == WebPages.learningPath)
            #expect(page.components(separatedBy: "Start here").count == 2, "one lab is marked")
            let first = try #require(page.range(of: "data-lab=\"is-ads-optional\""))
            #expect(page.range(of: "Start here")!.lowerBound > first.lowerBound, "the mark is on the starter's card")
        }
    }

    @Test("the README's table of labs lists them in the path's order, with each lab's own time")
    func readmeMatches() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## The labs").dropFirst().first?.components(separatedBy: "\n## ").first)
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `") }
        let ids = rows.map { $0.split(separator: "`")[1] }.map(String.init)
        #expect(ids == WebPages.learningPath)
        for (row, id) in zip(rows, ids) {
            let lab = try #require(InProcessServer.catalog.labs.first { $0.id == id })
            #expect(row.hasSuffix("| \(lab.estimatedMinutes ?? 0) min |"), "\(id): \(row)")
        }
    }
}
