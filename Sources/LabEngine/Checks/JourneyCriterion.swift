/// JourneyCriterion drives one journey for a while; it must work (its SLO holds). It is the
/// pre-flight probe of every exercise, and can also stand in a named status check:
///
/// ```yaml
/// - kind: journey
///   journey: checkout
///   for: 3s
/// ```
public struct JourneyCriterion: Hashable, Sendable {
    public var journey: String
    public var window: Duration

    public init(journey: String, window: Duration = .seconds(5)) {
        self.journey = journey
        self.window = window
    }

    public var summary: String { "journey \(journey) works for \(DurationParser.format(window))" }
}
