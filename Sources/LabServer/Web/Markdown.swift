import Ink

/// Lab texts (briefs, debriefs, hints, summaries) are Markdown; pages show them as HTML.
enum Markdown {
    static func html(_ markdown: String) -> String {
        MarkdownParser().html(from: markdown)
    }
}
