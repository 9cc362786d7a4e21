import NIOCore

/// Toxiproxy's `slicer`: each chunk is cut into pieces of about `averageSize` bytes
/// (± `sizeVariation`), and each piece after the first goes out `delay` after the one
/// before it. It exercises a reader's handling of short reads.
struct SlicerToxic: ToxicBehavior {
    let averageSize: Int
    let sizeVariation: Int
    let delay: TimeAmount
    var rng: SplitMix64

    mutating func receive(_ item: ChainItem, now: NIODeadline) -> [Emission] {
        guard case .data(var buffer) = item else { return [Emission(item: item, at: now)] }
        var emissions: [Emission] = []
        var at = now
        for size in self.pieceSizes(total: buffer.readableBytes) {
            emissions.append(Emission(item: .data(buffer.readSlice(length: size)!), at: at))
            at = at + self.delay
        }
        return emissions
    }

    /// Sizes that add up to `total`: each within `averageSize ± sizeVariation`, except a
    /// last piece that may be shorter.
    mutating func pieceSizes(total: Int) -> [Int] {
        var sizes: [Int] = []
        var remaining = total
        while remaining - self.averageSize > self.sizeVariation {
            let variation = self.sizeVariation > 0 ? Int.random(in: -self.sizeVariation...self.sizeVariation, using: &self.rng) : 0
            let size = max(1, self.averageSize + variation)
            sizes.append(size)
            remaining -= size
        }
        if remaining > 0 { sizes.append(remaining) }
        return sizes
    }
}
