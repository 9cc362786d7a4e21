import NIOCore

/// Toxiproxy's `noop`: lets everything through at once. Also what a connection runs
/// for a toxic that its toxicity draw left out.
struct NoopToxic: ToxicBehavior {
    func receive(_ item: ChainItem, now: NIODeadline) -> [Emission] {
        [Emission(item: item, at: now)]
    }
}
