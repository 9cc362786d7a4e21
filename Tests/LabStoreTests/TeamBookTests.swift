import Foundation
import Testing
@testable import LabStore

@Suite("Team book")
struct TeamBookTests {
    @Test("teams, members and timelines survive reopening the file; removing a team removes its people and timeline")
    func keepsTeamsAcrossReopening() async throws {
        let path = temporaryStorePath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        do {
            let book = try TeamBook(path: path)
            for name in ["red", "blue"] {
                try await book.add(TeamBook.Team(name: name, joinCode: "CODE-\(name)", token: "token-\(name)", secret: "secret-\(name)",
                                                 createdAt: created, storeFile: "\(name)-1.sqlite"))
                try await book.add(TeamBook.Member(token: "member-\(name)", team: name, name: "Ada", role: "commander", joinedAt: created))
                try await book.append(TeamBook.Entry(team: name, at: created, kind: "note", author: "Ada", role: "scribe", text: "hello \(name)"))
            }
            // A second team with the same name, or a member of no team, is refused by the database.
            await #expect(throws: LabStoreError.self) {
                try await book.add(TeamBook.Team(name: "red", joinCode: "X", token: "Y", secret: "Z", createdAt: created, storeFile: "f"))
            }
            await #expect(throws: LabStoreError.self) {
                try await book.add(TeamBook.Member(token: "t", team: "nobody", name: "x", role: "user", joinedAt: created))
            }
        }
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600, "the book holds tokens: its owner only")

        let book = try TeamBook(path: path)
        #expect(try await book.teams().map(\.name) == ["red", "blue"])
        #expect(try await book.teams().first == TeamBook.Team(name: "red", joinCode: "CODE-red", token: "token-red", secret: "secret-red",
                                                              createdAt: created, storeFile: "red-1.sqlite"))
        try await book.remove(team: "red")
        #expect(try await book.teams().map(\.name) == ["blue"])
        #expect(try await book.members().map(\.team) == ["blue"])
        #expect(try await book.timeline().map(\.text) == ["hello blue"])
    }
}
