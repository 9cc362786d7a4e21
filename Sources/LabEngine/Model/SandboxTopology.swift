/// SandboxTopology is what the sandbox really runs: the services and the proxied edges a lab may name.
public enum SandboxTopology {
    /// The four demo services.
    public static let services: [String] = ["storefront", "checkout", "cache", "ads"]

    /// The edges that have a fault proxy in front of them.
    public static let edges: [EdgeID] = [
        EdgeID(from: "storefront", to: "ads"),
        EdgeID(from: "storefront", to: "checkout"),
        EdgeID(from: "storefront", to: "cache"),
        EdgeID(from: "checkout", to: "cache"),
    ]

    /// The resilience knobs a lab's fix may set, per service, and what each takes.
    public static let knobs: [String: [String: KnobKind]] = [
        "storefront": [
            "page_cache_timeout_ms": .wholeNumber, "page_cache_fallback": .flag,
            "ads_timeout_ms": .wholeNumber, "ads_fallback": .flag,
            "checkout_timeout_ms": .wholeNumber, "cart_count_fallback": .flag,
            "checkout_retries": .wholeNumber, "retry_backoff_ms": .wholeNumber,
        ],
        "checkout": ["cache_timeout_ms": .wholeNumber, "cart_fallback": .flag],
    ]

    /// What a knob takes.
    public enum KnobKind: Sendable {
        /// true or false.
        case flag
        /// A whole number, 0 or more.
        case wholeNumber

        func accepts(_ value: KnobValue) -> Bool {
            switch (self, value) {
            case (.flag, .bool): true
            case (.wholeNumber, .int(let number)): number >= 0
            default: false
            }
        }
    }

    static var servicesList: String { services.joined(separator: ", ") }
    static var edgesList: String { edges.map(\.key).joined(separator: ", ") }
}
