import FaultProxy

/// Pseudo-random bytes, the same for the same count.
func randomBytes(count: Int) -> [UInt8] {
    var rng = SplitMix64(seed: 7)
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { raw in
        for offset in stride(from: 0, to: count - 7, by: 8) {
            raw.storeBytes(of: rng.next(), toByteOffset: offset, as: UInt64.self)
        }
    }
    return bytes
}

/// FNV-1a over 8-byte words (fast enough in debug builds); the length is checked apart.
func checksum(_ bytes: [UInt8]) -> UInt64 {
    bytes.withUnsafeBytes { raw in
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for offset in stride(from: 0, to: raw.count - 7, by: 8) {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01b3
        }
        return hash
    }
}
