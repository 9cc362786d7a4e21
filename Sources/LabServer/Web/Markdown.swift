import Ink
import LabEngine

/// Lab texts (briefs, debriefs, hints, summaries) are Markdown; pages show them as HTML.
enum Markdown {
    static func html(_ markdown: String) -> String {
        MarkdownParser().html(from: markdown)
    }
}

/// A lab text with `LessonText`'s placeholders as elements the run page fills in: a setting as
/// `<span data-setting="storefront.ads_timeout_ms">300</span>` (the value chosen so far; the
/// page updates it as the learner changes the knob), a measurement as
/// `<span data-measured="checkout.p95">…</span>` (filled from the attack's result).
enum LessonHTML {
    static func render(_ text: String, settings: [String: [String: KnobValue]]?, markdown: Bool) -> String {
        // Each placeholder becomes a token of private-use characters first, which neither
        // Markdown nor HTML escaping touches (a knob's underscores would read as emphasis).
        var spans: [String] = []
        let tokenized = LessonText.replacing(in: text) { placeholder in
            let key = escape("\(placeholder.name).\(placeholder.field)")
            switch placeholder.kind {
            case "fix":
                let value = LessonText.value(of: placeholder, fix: settings, measurements: nil) ?? placeholder.text
                spans.append(#"<span class="setting" data-setting="\#(key)">\#(escape(value))</span>"#)
            default:
                spans.append(#"<span class="measured" data-measured="\#(key)">…</span>"#)
            }
            return "\u{E000}\(spans.count - 1)\u{E001}"
        }
        var html = markdown ? Markdown.html(tokenized) : escape(tokenized)
        for (index, span) in spans.enumerated() {
            html = html.replacingOccurrences(of: "\u{E000}\(index)\u{E001}", with: span)
        }
        return html
    }
}
