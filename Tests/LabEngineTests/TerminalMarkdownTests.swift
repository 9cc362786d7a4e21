import Testing

@testable import LabEngine

@Suite("Markdown in the terminal")
struct TerminalMarkdownTests {
    @Test("plain: emphasis marks go, code keeps its backticks, list items get a bullet")
    func plain() {
        let text = """
            The edge **storefront → ads** is *optional*, they say.
            # The claim
            - `ads_timeout_ms` is 0
            * snake_case_names and 2 * 3 stay
            """
        #expect(TerminalMarkdown.render(text, styled: false) == """
            The edge storefront → ads is optional, they say.
            The claim
              • `ads_timeout_ms` is 0
              • snake_case_names and 2 * 3 stay
            """)
    }

    @Test("styled: bold, italics and code as ANSI styles, each ended")
    func styled() {
        #expect(TerminalMarkdown.render("**bold** and _it_ and `c`", styled: true)
            == "\u{1B}[1mbold\u{1B}[22m and \u{1B}[3mit\u{1B}[23m and \u{1B}[36mc\u{1B}[39m")
        #expect(TerminalMarkdown.render("an open **mark", styled: true) == "an open **mark", "a mark never closed is text")
    }
}
