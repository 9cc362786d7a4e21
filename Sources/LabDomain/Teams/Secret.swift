/// Random secrets for group mode: tokens, capability paths and join codes.
package enum Secret {
    /// 32 random bytes (256 bits) from the system's generator, as unpadded base64url:
    /// 43 characters, safe in a URL path and an `Authorization` header. Never starts with
    /// "-", which a command line would read as an option (`--token -x…` fails to parse).
    package static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let token = base64URL(bytes)
            if !token.hasPrefix("-") { return token }
        }
    }

    /// A join code a person can type: 10 characters of an alphabet without look-alikes (50 bits).
    package static func joinCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    package static func base64URL(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for (offset, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * offset) }
            let characters = chunk.count + 1
            for position in 0..<characters { out.append(table[(value >> (18 - 6 * position)) & 63]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares two secrets in time that depends only on their lengths, never on where
    /// they first differ.
    package static func equal(_ given: some StringProtocol, _ expected: some StringProtocol) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<b.count {
            difference |= (index < a.count ? a[index] : 0) ^ b[index]
        }
        return difference == 0
    }
}

/// A path fit for a log: a team's capability secret (`/t/SECRET/...`) is replaced by `…`.
package func redacted(_ path: String) -> String {
    guard path.hasPrefix("/t/") else { return path }
    let rest = path.dropFirst(3)
    guard let slash = rest.firstIndex(of: "/") else { return "/t/…" }
    return "/t/…" + rest[slash...]
}
