import NIOCore

/// Toxiproxy's `limit_data`: lets `limit` bytes through in all, then closes the
/// connection. What passed is remembered when the toxic is updated, as in Toxiproxy.
struct LimitDataToxic: ToxicBehavior {
    let limit: Int
    private(set) var transmitted: Int

    init(limit: Int, transmitted: Int = 0) {
        self.limit = limit
        self.transmitted = transmitted
    }

    mutating func receive(_ item: ChainItem, now: NIODeadline) -> [Emission] {
        guard case .data(var buffer) = item else { return [Emission(item: item, at: now)] }
        let allowed = max(0, self.limit - self.transmitted)
        var emissions: [Emission] = []
        if allowed > 0 {
            let piece = buffer.readSlice(length: min(allowed, buffer.readableBytes))!
            self.transmitted += piece.readableBytes
            emissions.append(Emission(item: .data(piece), at: now))
        }
        if self.transmitted >= self.limit {
            emissions.append(Emission(item: .close, at: now))
        }
        return emissions
    }
}
