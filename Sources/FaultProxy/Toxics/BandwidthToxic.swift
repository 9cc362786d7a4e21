import NIOCore

/// Toxiproxy's `bandwidth`: data goes out at `rate` KB/s (1 KB = 1000 bytes). A chunk
/// larger than 100 ms worth of bytes goes out in 100 ms pieces, as Toxiproxy does, so the
/// receiver sees a steady trickle instead of long silences.
struct BandwidthToxic: ToxicBehavior {
    let bytesPerSecond: Int
    /// When the data let out so far has used up the allowance.
    private var busyUntil: NIODeadline?

    init(bytesPerSecond: Int) {
        self.bytesPerSecond = max(1, bytesPerSecond)
    }

    mutating func receive(_ item: ChainItem, now: NIODeadline) -> [Emission] {
        guard case .data(var buffer) = item else { return [Emission(item: item, at: now)] }
        var clock = max(now, self.busyUntil ?? now)
        let pieceSize = max(1, self.bytesPerSecond / 10)
        var emissions: [Emission] = []
        while buffer.readableBytes > 0 {
            let piece = buffer.readSlice(length: min(pieceSize, buffer.readableBytes))!
            clock = clock + self.transmissionTime(piece.readableBytes)
            emissions.append(Emission(item: .data(piece), at: clock))
        }
        self.busyUntil = clock
        return emissions
    }

    /// How long `bytes` take at this rate.
    func transmissionTime(_ bytes: Int) -> TimeAmount {
        .nanoseconds(Int64(bytes) * 1_000_000_000 / Int64(self.bytesPerSecond))
    }
}
