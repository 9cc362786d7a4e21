/// The labs' Markdown (bold, italics, code, lists, headings) for a terminal: with `styled`,
/// as ANSI styles (bold, italics, code in cyan); without (not a terminal, `NO_COLOR`), as
/// plain text with the emphasis marks removed and code kept in backticks. Lists get a bullet.
public enum TerminalMarkdown {
    public static func render(_ markdown: String, styled: Bool) -> String {
        markdown.split(separator: "\n", omittingEmptySubsequences: false)
            .map { renderLine(String($0), styled: styled) }
            .joined(separator: "\n")
    }

    private static func renderLine(_ line: String, styled: Bool) -> String {
        let indent = String(line.prefix { $0 == " " })
        let body = line.dropFirst(indent.count)
        if let heading = body.firstIndex(where: { $0 != "#" }), heading > body.startIndex, body[heading] == " " {
            let text = inline(String(body[body.index(after: heading)...]), styled: styled)
            return indent + (styled ? "\u{1B}[1m\(text)\u{1B}[22m" : text)
        }
        for marker in ["- ", "* ", "+ "] where body.hasPrefix(marker) {
            return indent + "  • " + inline(String(body.dropFirst(2)), styled: styled)
        }
        return indent + inline(String(body), styled: styled)
    }

    /// `**bold**`, `*italic*` or `_italic_`, and `` `code` `` (whose content is left as it is).
    static func inline(_ text: String, styled: Bool) -> String {
        var out = ""
        var rest = Substring(text)
        var bold = false, italic = false
        while let c = rest.first {
            if c == "`", let end = rest.dropFirst().firstIndex(of: "`") {
                let code = rest[rest.index(after: rest.startIndex)..<end]
                out += styled ? "\u{1B}[36m\(code)\u{1B}[39m" : "`\(code)`"
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("**") && (bold || rest.dropFirst(2).contains("**")) {
                bold.toggle()
                if styled { out += bold ? "\u{1B}[1m" : "\u{1B}[22m" }
                rest = rest.dropFirst(2)
            } else if (c == "*" || c == "_") && isEmphasis(c, in: rest, closing: italic, after: out.last) {
                italic.toggle()
                if styled { out += italic ? "\u{1B}[3m" : "\u{1B}[23m" }
                rest = rest.dropFirst()
            } else {
                out.append(c)
                rest = rest.dropFirst()
            }
        }
        if styled && (bold || italic) { out += "\u{1B}[0m" }
        return out
    }

    /// A single `*` or `_` opens emphasis before a word it closes later on the line, and closes
    /// it after a word; `snake_case` and `2 * 3` stay as they are.
    private static func isEmphasis(_ mark: Character, in rest: Substring, closing: Bool, after previous: Character?) -> Bool {
        let next = rest.dropFirst().first
        if closing { return previous.map { !$0.isWhitespace } ?? false }
        guard let next, !next.isWhitespace, next != mark else { return false }
        if mark == "_", let previous, previous.isLetter || previous.isNumber { return false }
        return rest.dropFirst().contains(mark)
    }
}
