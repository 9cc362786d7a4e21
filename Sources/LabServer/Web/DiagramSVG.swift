import LabDomain
import LabEngine

/// Draws a lab's architecture diagram as inline SVG: the demo shop's four services in fixed
/// places (any other system's in columns, callers left of what they call), one arrow per edge. Critical edges are solid and thick, optional ones dashed, and each
/// carries its word ("critical", "optional", "not tested"), so colour is never the only
/// signal. The edge under attack, and edges whose claim an experiment proved wrong, are
/// marked in words as well.
struct DiagramSVG {
    struct Edge {
        var key: String
        var from: String
        var to: String
        /// nil: unknown (not tested).
        var critical: Bool?
        var underAttack = false
        var claimWrong = false
    }

    /// Where the shop's services sit, in a 620 × 280 canvas.
    static let shopPositions: [String: (x: Double, y: Double)] = [
        "storefront": (90, 140), "checkout": (310, 55), "cache": (530, 140), "ads": (310, 225),
    ]

    var edges: [Edge]
    var title: String
    /// Edges are buttons that toggle "critical" (the diagram question).
    var interactive = false
    /// Where each service of the edges sits.
    let positions: [String: (x: Double, y: Double)]
    /// The canvas: 620 × 280 for the shop, wider and taller for a system with more columns or rows.
    /// (The margins are the same on both sides: the furthest box's position plus the nearest's.)
    var canvasWidth: Double { max(620, (positions.values.map(\.x).max() ?? 0) + (positions.values.map(\.x).min() ?? 0)) }
    var canvasHeight: Double { max(280, (positions.values.map(\.y).max() ?? 0) + (positions.values.map(\.y).min() ?? 0)) }

    init(edges: [Edge], title: String, interactive: Bool = false) {
        self.edges = edges
        self.title = title
        self.interactive = interactive
        positions = Self.layout(edges.map { ($0.from, $0.to) })
    }

    /// The shop's places when every service is the shop's; otherwise columns by depth (a
    /// service one column right of its furthest caller) 300 apart, each column's services 95 apart
    /// and centred, so that a label fits beside every line.
    static func layout(_ edges: [(from: String, to: String)]) -> [String: (x: Double, y: Double)] {
        var names: [String] = []
        for edge in edges { for name in [edge.from, edge.to] where !names.contains(name) { names.append(name) } }
        if names.allSatisfy({ shopPositions[$0] != nil }) { return shopPositions }
        var depth = Dictionary(uniqueKeysWithValues: names.map { ($0, 0) })
        for _ in names {  // longest path from a root, bounded by the count (a cycle stops growing there)
            for edge in edges where depth[edge.to]! < depth[edge.from]! + 1 && depth[edge.from]! + 1 < names.count {
                depth[edge.to] = depth[edge.from]! + 1
            }
        }
        let columns = (depth.values.max() ?? 0) + 1
        let tallest = (0..<columns).map { column in names.filter { depth[$0] == column }.count }.max() ?? 1
        let height = max(280, Double(tallest) * 95 + 90)
        var positions: [String: (x: Double, y: Double)] = [:]
        for column in 0..<columns {
            let members = names.filter { depth[$0] == column }
            let x = columns == 1 ? 310 : 90 + Double(column) * max(300, 440 / Double(columns - 1))
            for (row, name) in members.enumerated() {
                positions[name] = (x, height / 2 + (Double(row) - Double(members.count - 1) / 2) * 95)
            }
        }
        return positions
    }

    func render() -> String {
        // An interactive diagram holds buttons, which the children of an `img` cannot be.
        let role = interactive ? "group" : "img"
        var svg = #"<svg class="diagram" viewBox="0 0 \#(Int(canvasWidth)) \#(Int(canvasHeight))" role="\#(role)" aria-labelledby="\#(id)-title" xmlns="http://www.w3.org/2000/svg">"#
        svg += #"<title id="\#(id)-title">\#(escape(title))</title>"#
        svg += #"<defs><marker id="\#(id)-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"/></marker></defs>"#
        var placed: [Box] = []
        for edge in edges { svg += render(edge, placed: &placed) }
        for (name, point) in positions.sorted(by: { $0.key < $1.key }) {
            svg += #"<g class="service"><rect x="\#(point.x - 55)" y="\#(point.y - 20)" width="110" height="40" rx="8"/>"#
            svg += #"<text x="\#(point.x)" y="\#(point.y + 5)" text-anchor="middle">\#(name)</text></g>"#
        }
        return svg + "</svg>"
    }

    private var id: String {
        "d" + String(title.unicodeScalars.reduce(UInt32(5381)) { ($0 &* 33) &+ $1.value } % 1_000_000)
    }

    /// A rectangle of the canvas: a service's box or an edge label's.
    struct Box {
        var minX, minY, maxX, maxY: Double

        func overlaps(_ other: Box) -> Bool {
            minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
        }

        func contains(x: Double, y: Double) -> Bool { x >= minX && x <= maxX && y >= minY && y <= maxY }
    }

    /// Where an edge's line runs: from border to border of its two boxes.
    func segment(from: String, to: String) -> (start: (x: Double, y: Double), end: (x: Double, y: Double))? {
        guard let from = positions[from], let to = positions[to] else { return nil }
        let (dx, dy) = (to.x - from.x, to.y - from.y)
        let length = (dx * dx + dy * dy).squareRoot()
        let trim = min(60 / max(abs(dx) / length, 0.01), 22 / max(abs(dy) / length, 0.01))
        let (ux, uy) = (dx / length, dy / length)
        return ((from.x + ux * trim, from.y + uy * trim), (to.x - ux * trim, to.y - uy * trim))
    }

    /// The centre of an edge's label: beside its line, never across it, another line, a
    /// service or a label already placed. The first free place wins, trying the middle of the
    /// line first, on the side away from the diagram's centre first.
    func labelCentre(for edge: Edge, width: Double, height: Double = 14, placed: [Box]) -> (x: Double, y: Double) {
        guard let (start, end) = segment(from: edge.from, to: edge.to) else { return (0, 0) }
        let (dx, dy) = (end.x - start.x, end.y - start.y)
        let length = max((dx * dx + dy * dy).squareRoot(), 1)
        var normal = (x: -dy / length, y: dx / length)
        let middle = (x: (start.x + end.x) / 2, y: (start.y + end.y) / 2)
        // Outward: away from the centre of the canvas (upward for a line through it).
        let outward = (middle.x - canvasWidth / 2) * normal.x + (middle.y - canvasHeight / 2) * normal.y
        if outward < 0 || (outward == 0 && normal.y > 0) { normal = (-normal.x, -normal.y) }
        // Far enough along the normal that the label's box clears its own line.
        let clearance = width / 2 * abs(normal.x) + height / 2 * abs(normal.y) + 3
        let services = positions.values.map { Box(minX: $0.x - 57, minY: $0.y - 22, maxX: $0.x + 57, maxY: $0.y + 22) }
        let lines = edges.compactMap { segment(from: $0.from, to: $0.to) }
        for (t, side) in [0.5, 0.4, 0.6, 0.3, 0.7].flatMap({ t in [(t, 1.0), (t, -1.0)] }) {
            for away in [1.0, 1.5] {
                let offset = clearance * side * away
                let centre = (x: start.x + dx * t + normal.x * offset, y: start.y + dy * t + normal.y * offset)
                let box = Box(minX: centre.x - width / 2, minY: centre.y - height / 2, maxX: centre.x + width / 2, maxY: centre.y + height / 2)
                guard box.minX >= 0, box.maxX <= canvasWidth, box.minY >= 0, box.maxY <= canvasHeight else { continue }
                let crossed = lines.contains { line in
                    (0...40).contains { step in
                        let k = Double(step) / 40
                        return box.contains(x: line.start.x + (line.end.x - line.start.x) * k, y: line.start.y + (line.end.y - line.start.y) * k)
                    }
                }
                if !crossed && !services.contains(where: box.overlaps) && !placed.contains(where: box.overlaps) { return centre }
            }
        }
        return (middle.x + normal.x * clearance, middle.y + normal.y * clearance)
    }

    private func render(_ edge: Edge, placed: inout [Box]) -> String {
        guard let (start, end) = segment(from: edge.from, to: edge.to) else { return "" }
        let state = switch edge.critical {
        case .some(true): "critical"
        case .some(false): "optional"
        case .none: "not tested"
        }
        var classes = ["edge", state.replacingOccurrences(of: " ", with: "-")]
        if edge.underAttack { classes.append("attacked") }
        if edge.claimWrong { classes.append("wrong") }
        // A mark ("⚡ under attack", "✗ claim wrong") on a line of its own above the state word.
        let mark = [edge.claimWrong ? "✗ claim wrong" : nil, edge.underAttack ? "⚡ under attack" : nil].compactMap { $0 }.joined(separator: " · ")
        // 12 px text: about 7 px a character; room for the longest word the page may swap in.
        let width = Double(max(mark.count, "not tested".count)) * 7 + 6
        let height = mark.isEmpty ? 14.0 : 28.0
        let centre = labelCentre(for: edge, width: width, height: height, placed: placed)
        placed.append(Box(minX: centre.x - width / 2, minY: centre.y - height / 2, maxX: centre.x + width / 2, maxY: centre.y + height / 2))
        let middle = (x: centre.x, y: centre.y + 4 - (mark.isEmpty ? 0 : 7))  // the first line's baseline
        let line = #"<line x1="\#(rounded(start.x))" y1="\#(rounded(start.y))" x2="\#(rounded(end.x))" y2="\#(rounded(end.y))" marker-end="url(#\#(id)-arrow)"/>"#
        let x = rounded(middle.x)
        let words = mark.isEmpty
            ? #"<tspan class="edge-state">\#(state)</tspan>"#
            : #"<tspan class="edge-mark">\#(escape(mark))</tspan><tspan class="edge-state" x="\#(x)" dy="14">\#(state)</tspan>"#
        let text = #"<text class="edge-label" x="\#(x)" y="\#(rounded(middle.y))" text-anchor="middle">\#(words)</text>"#
        if interactive {
            let pressed = edge.critical == true ? "true" : "false"
            // A wide transparent line over the edge: something easy to hit with a pointer.
            let hit = #"<line class="hit" x1="\#(rounded(start.x))" y1="\#(rounded(start.y))" x2="\#(rounded(end.x))" y2="\#(rounded(end.y))"/>"#
            return #"<g class="\#(classes.joined(separator: " "))" data-edge="\#(escape(edge.key))" role="button" tabindex="0" aria-pressed="\#(pressed)" aria-label="\#(escape(edge.key)): \#(state); press to toggle critical">\#(line)\#(text)\#(hit)</g>"#
        }
        return #"<g class="\#(classes.joined(separator: " "))" data-edge="\#(escape(edge.key))">\#(line)\#(text)</g>"#
    }

    private func rounded(_ value: Double) -> String {
        String(Int(value.rounded()))
    }
}

/// Escapes text for HTML and SVG.
func escape(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.count)
    for character in text {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        default: escaped.append(character)
        }
    }
    return escaped
}
