import Testing

@testable import LabServer

/// The diagram's words are readable: no label is crossed by an edge, covers a service or another label.
@Suite("The architecture diagram's layout")
struct DiagramLayoutTests {
    /// The run page marks the edge under attack, the summary the claims proved wrong: here every edge at once.
    static let systems: [String: [(String, String)]] = [
        "shop": InProcessServer.catalog.labs.first { $0.id == "is-ads-optional" }!.architecture.map { ($0.edge.from, $0.edge.to) },
        "bookshop": [("gateway", "catalog"), ("gateway", "reviews")],
        "a chain with a fan-out": [("web", "api"), ("api", "db"), ("api", "search"), ("web", "cdn")],
    ]

    @Test("with the longest labels a page draws, every label sits clear of every line, box and other label",
          arguments: ["", "⚡ under attack", "✗ claim wrong"], ["shop", "bookshop", "a chain with a fan-out"])
    func labelsAreClear(mark: String, system: String) {
        let edges = Self.systems[system]!.map {
            DiagramSVG.Edge(key: "\($0.0)->\($0.1)", from: $0.0, to: $0.1, critical: nil,
                           underAttack: mark.hasPrefix("⚡"), claimWrong: mark.hasPrefix("✗"))
        }
        let diagram = DiagramSVG(edges: edges, title: "test")
        var placed: [DiagramSVG.Box] = []
        for edge in edges {
            // The page's sizes: a mark on a line of its own above the state word.
            let width = Double(max(mark.count, "not tested".count)) * 7 + 6
            let height = mark.isEmpty ? 14.0 : 28.0
            let centre = diagram.labelCentre(for: edge, width: width, height: height, placed: placed)
            let box = DiagramSVG.Box(minX: centre.x - width / 2, minY: centre.y - height / 2,
                                     maxX: centre.x + width / 2, maxY: centre.y + height / 2)
            for other in edges {
                let (start, end) = diagram.segment(from: other.from, to: other.to)!
                let crossing = (0...100).contains { step in
                    let k = Double(step) / 100
                    return box.contains(x: start.x + (end.x - start.x) * k, y: start.y + (end.y - start.y) * k)
                }
                #expect(!crossing, "the label of \(edge.key) is crossed by \(other.key): \(box)")
            }
            for (name, point) in diagram.positions {
                #expect(!box.overlaps(DiagramSVG.Box(minX: point.x - 55, minY: point.y - 20, maxX: point.x + 55, maxY: point.y + 20)),
                        "the label of \(edge.key) covers \(name)")
            }
            #expect(!placed.contains(where: box.overlaps), "the label of \(edge.key) covers another label")
            placed.append(box)
        }
        #expect(Set(diagram.positions.keys) == Set(edges.flatMap { [$0.from, $0.to] }), "every service has its box")
    }

    @Test("the shop keeps its places; another system is drawn callers left of what they call")
    func layout() {
        #expect(DiagramSVG.layout([("storefront", "ads")])["ads"]! == DiagramSVG.shopPositions["ads"]!)
        let chain = DiagramSVG.layout([("web", "api"), ("api", "db"), ("web", "db")])
        #expect(chain["web"]!.x < chain["api"]!.x && chain["api"]!.x < chain["db"]!.x, "\(chain)")
    }
}
