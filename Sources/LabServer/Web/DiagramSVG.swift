import LabDomain
import LabEngine

/// Draws a lab's architecture diagram as inline SVG: the four services in fixed places,
/// one arrow per edge. Critical edges are solid and thick, optional ones dashed, and each
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

    /// Where each service sits, in a 620 × 280 canvas.
    static let positions: [String: (x: Double, y: Double)] = [
        "storefront": (90, 140), "checkout": (310, 55), "cache": (530, 140), "ads": (310, 225),
    ]

    var edges: [Edge]
    var title: String
    /// Edges are buttons that toggle "critical" (the diagram question).
    var interactive = false

    func render() -> String {
        // An interactive diagram holds buttons, which the children of an `img` cannot be.
        let role = interactive ? "group" : "img"
        var svg = #"<svg class="diagram" viewBox="0 0 620 280" role="\#(role)" aria-labelledby="\#(id)-title" xmlns="http://www.w3.org/2000/svg">"#
        svg += #"<title id="\#(id)-title">\#(escape(title))</title>"#
        svg += #"<defs><marker id="\#(id)-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"/></marker></defs>"#
        for edge in edges { svg += render(edge) }
        for (name, point) in Self.positions.sorted(by: { $0.key < $1.key }) {
            svg += #"<g class="service"><rect x="\#(point.x - 55)" y="\#(point.y - 20)" width="110" height="40" rx="8"/>"#
            svg += #"<text x="\#(point.x)" y="\#(point.y + 5)" text-anchor="middle">\#(name)</text></g>"#
        }
        return svg + "</svg>"
    }

    private var id: String {
        "d" + String(title.unicodeScalars.reduce(UInt32(5381)) { ($0 &* 33) &+ $1.value } % 1_000_000)
    }

    private func render(_ edge: Edge) -> String {
        guard let from = Self.positions[edge.from], let to = Self.positions[edge.to] else { return "" }
        // Stop the line at the boxes' borders.
        let (dx, dy) = (to.x - from.x, to.y - from.y)
        let length = (dx * dx + dy * dy).squareRoot()
        let trim = min(60 / max(abs(dx) / length, 0.01), 22 / max(abs(dy) / length, 0.01))
        let (ux, uy) = (dx / length, dy / length)
        let start = (x: from.x + ux * trim, y: from.y + uy * trim)
        let end = (x: to.x - ux * trim, y: to.y - uy * trim)
        let middle = (x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 - 8)
        let state = switch edge.critical {
        case .some(true): "critical"
        case .some(false): "optional"
        case .none: "not tested"
        }
        var classes = ["edge", state.replacingOccurrences(of: " ", with: "-")]
        if edge.underAttack { classes.append("attacked") }
        if edge.claimWrong { classes.append("wrong") }
        var label = state
        if edge.underAttack { label = "⚡ under attack · " + label }
        if edge.claimWrong { label = "✗ claim wrong · " + label }
        let line = #"<line x1="\#(rounded(start.x))" y1="\#(rounded(start.y))" x2="\#(rounded(end.x))" y2="\#(rounded(end.y))" marker-end="url(#\#(id)-arrow)"/>"#
        let text = #"<text class="edge-label" x="\#(rounded(middle.x))" y="\#(rounded(middle.y))" text-anchor="middle">\#(escape(label))</text>"#
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
