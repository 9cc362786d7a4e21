import NIOHTTP1

/// Element is one element of the current page, as WebDriver refers to it. A reference goes stale
/// when the element leaves the document or the page changes: find it again then.
struct Element: Sendable {
    /// The key under which WebDriver wraps an element reference in JSON.
    static let referenceKey = "element-6066-11e4-a52e-4f735466cecf"

    let id: String
    /// The CSS selector it was found with, for messages.
    let selector: String
    let browser: Browser

    /// Reads an element reference out of a WebDriver answer.
    init(_ reference: JSONValue, selector: String, browser: Browser) throws {
        guard let id = reference[Self.referenceKey]?.string else {
            throw WebDriverError.unexpectedAnswer(method: "POST", path: "/element", answer: reference.description)
        }
        self.id = id
        self.selector = selector
        self.browser = browser
    }

    /// The reference as a script argument: `executeScript("…arguments[0]…", args: [element.json])`.
    var json: JSONValue { [Self.referenceKey: .string(id)] }

    /// The rendered text, as a person sees it (hidden parts left out, whitespace collapsed).
    var text: String {
        get async throws { try await browser.string(.GET, "/element/\(id)/text") }
    }

    var isEnabled: Bool {
        get async throws { try await bool("/enabled") }
    }

    var isDisplayed: Bool {
        get async throws { try await bool("/displayed") }
    }

    /// Scrolls the element into view and clicks its centre; throws "element click intercepted"
    /// if another element covers it, "element not interactable" if it cannot be clicked.
    func click() async throws {
        try await command(.POST, "/click")
    }

    /// Types `keys` into the element (an input, a text area), after what it already holds.
    func sendKeys(_ keys: String) async throws {
        try await command(.POST, "/value", ["text": .string(keys)])
    }

    /// Empties an input or a text area.
    func clear() async throws {
        try await command(.POST, "/clear")
    }

    /// The HTML attribute `name` as written in the markup, or nil if the element has none.
    func attribute(_ name: String) async throws -> String? {
        try await command(.GET, "/attribute/\(name)").string
    }

    /// The DOM property `name` (the live state: an input's `value`, a checkbox's `checked`).
    func property(_ name: String) async throws -> JSONValue {
        try await command(.GET, "/property/\(name)")
    }

    /// The first element inside this one that matches the CSS `selector`.
    func find(css selector: String) async throws -> Element {
        try Element(try await command(.POST, "/element", Self.query(css: selector)), selector: selector, browser: browser)
    }

    /// Every element inside this one that matches the CSS `selector`.
    func findAll(css selector: String) async throws -> [Element] {
        let answer = try await command(.POST, "/elements", Self.query(css: selector))
        return try (answer.array ?? []).map { try Element($0, selector: selector, browser: browser) }
    }

    /// The body of a find command.
    static func query(css selector: String) -> JSONValue {
        ["using": "css selector", "value": .string(selector)]
    }

    @discardableResult
    private func command(_ method: HTTPMethod, _ path: String, _ body: JSONValue = [:]) async throws -> JSONValue {
        try await browser.command(method, "/element/\(id)\(path)", body)
    }

    private func bool(_ path: String) async throws -> Bool {
        let value = try await command(.GET, path)
        guard let answer = value.bool else {
            throw WebDriverError.unexpectedAnswer(method: "GET", path: "/element/\(id)\(path)", answer: value.description)
        }
        return answer
    }
}
