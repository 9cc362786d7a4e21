import LabDomain
import Testing

/// The secrets of group mode: tokens, capability paths, join codes, team names, and the
/// path redaction that keeps capability secrets out of logs.
@Suite("Group mode secrets")
struct SecretTests {
    @Test("tokens are 256 random bits as 43 URL-safe characters, never the same twice, never read as an option")
    func tokens() {
        // 2,000 tokens: with 1 in 64 starting with "-", a token generator that allowed it fails here.
        let tokens = (0..<2000).map { _ in Secret.token() }
        let urlSafe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(tokens.allSatisfy { $0.count == 43 && $0.allSatisfy(urlSafe.contains) })
        #expect(!tokens.contains { $0.hasPrefix("-") })
        #expect(Set(tokens).count == tokens.count)
        #expect(Secret.base64URL([0xfb, 0xff]) == "-_8", "base64url without padding")
        #expect(Secret.joinCode().count == 10)
    }

    @Test("equal compares the whole secret, whatever the lengths")
    func equality() {
        #expect(Secret.equal("abc", "abc"))
        #expect(!Secret.equal("abd", "abc"))
        #expect(!Secret.equal("ab", "abc"))
        #expect(!Secret.equal("abcd", "abc"))
        #expect(!Secret.equal("", "abc"))
    }

    @Test("team names: lower-case letters, digits and hyphens, 1 to 32")
    func names() {
        #expect(["red", "team-1", "7", String(repeating: "a", count: 32)].allSatisfy(TeamRegistry.isValidName))
        #expect(!["", "-red", "Red", "red team", "rouge/", "é", String(repeating: "a", count: 33)].contains(where: TeamRegistry.isValidName))
    }

    @Test("a capability secret never reaches a log line")
    func redaction() {
        #expect(redacted("/t/SECRET/proxies/x") == "/t/…/proxies/x")
        #expect(redacted("/t/SECRET") == "/t/…")
        #expect(redacted("/api/teams") == "/api/teams")
    }
}
