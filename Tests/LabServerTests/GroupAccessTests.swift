import Foundation
import Hummingbird
import HummingbirdTesting
import LabDomain
import Testing

@testable import LabServer

/// Who may do what on a group server, caller by caller: the facilitator, a team's own token,
/// each role of team red, red's commander against team blue, a wrong token and none.
@Suite struct GroupAccessTests {
    /// The callers of the matrix, and the tokens they send.
    struct Room {
        var tokens: [String: String?] = [:]
        var redSecret = ""
        static let roles = ["commander", "scribe", "observer", "user"]
    }

    /// Creates teams red and blue through the API, and one member of red per role plus blue's commander.
    private func seat(_ client: some TestClientProtocol, facilitator: String) async throws -> Room {
        var room = Room()
        room.tokens["facilitator"] = facilitator
        room.tokens["nobody"] = .some(nil)
        room.tokens["wrong token"] = "not-a-token-of-this-server"
        for team in ["red", "blue"] {
            let response = try await client.call(.post, "/api/teams", token: facilitator, json: #"{"name": "\#(team)"}"#)
            #expect(response.status == .created)
            let created = try response.json(API.CreatedTeam.self)
            if team == "red" {
                room.tokens["red's token"] = created.token
                room.redSecret = String(created.apiBase.split(separator: "/").last ?? "")
            }
            for role in team == "red" ? Room.roles : ["commander"] {
                let joined = try await client.call(.post, "/api/join", json: #"{"code": "\#(created.joinCode)", "name": "\#(team) \#(role)", "role": "\#(role)"}"#)
                #expect(joined.status == .created)
                room.tokens[team == "red" ? role : "blue commander"] = try joined.json(API.JoinedTeam.self).token
            }
        }
        return room
    }

    /// What a caller gets: the status and, for a refusal, the start of its message.
    struct Expected {
        var status: Int
        var message: String? = nil
    }

    static let missingToken = Expected(status: 401, message: "missing token: send Authorization: Bearer TOKEN")
    static let invalidToken = Expected(status: 403, message: "this token is not valid on this lab server")
    static let facilitatorOnly = Expected(status: 403, message: "only the facilitator may do this")
    static let otherTeam = Expected(status: 403, message: "your token belongs to team 'blue': it cannot read or change team 'red'")

    /// Checks one request for every caller: `allowed` callers get `ok`; members of red not
    /// allowed get `refusal(role)`; blue, a wrong token and none get theirs.
    private func check(
        _ client: some TestClientProtocol, _ room: Room, _ method: HTTPRequest.Method, _ path: String, json: String? = nil,
        allowed: Set<String>, ok: Expected, refusal: (String) -> Expected = { _ in Self.facilitatorOnly },
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for (caller, token) in room.tokens.sorted(by: { $0.key < $1.key }) {
            let expected: Expected = switch caller {
            case _ where allowed.contains(caller): ok
            case "nobody": Self.missingToken
            case "wrong token": Self.invalidToken
            case "blue commander" where path.contains("/teams/red"): Self.otherTeam
            default: refusal(caller)
            }
            let response = try await client.call(method, path, token: token, json: json)
            #expect(Int(response.status.code) == expected.status, "\(method) \(path) as \(caller): \(String(buffer: response.body))",
                    sourceLocation: sourceLocation)
            if let message = expected.message {
                let text = String(buffer: response.body)
                #expect(text.contains(message), "\(method) \(path) as \(caller): expected '\(message)', got \(text)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    @Test("who may do what: the whole matrix of callers and actions, with the status and message of every refusal")
    func matrix() async throws {
        let server = try InProcessServer(group: true)
        try await server.test { client in
            let room = try await seat(client, facilitator: server.facilitatorToken)
            let everyone = Set(room.tokens.keys)
            let red: Set = ["facilitator", "red's token", "commander", "scribe", "observer", "user"]

            // Open to everyone, with or without a token.
            try await check(client, room, .get, "/api/health", allowed: everyone, ok: Expected(status: 200))
            // The facilitator's: the teams, the overview, the default workspace.
            try await check(client, room, .get, "/api/teams", allowed: ["facilitator"], ok: Expected(status: 200))
            try await check(client, room, .get, "/api/overview", allowed: ["facilitator"], ok: Expected(status: 200))
            try await check(client, room, .get, "/api/status", allowed: ["facilitator"], ok: Expected(status: 200))
            try await check(client, room, .get, "/proxies", allowed: ["facilitator"], ok: Expected(status: 200))
            try await check(client, room, .get, "/metrics", allowed: ["facilitator"], ok: Expected(status: 200))
            try await check(client, room, .get, "/sandbox", allowed: ["facilitator"], ok: Expected(status: 200))

            // Attacks: the commander, the team's token and the facilitator get as far as the
            // board, which knows no target 'nope'; every other role is told who may.
            try await check(
                client, room, .post, "/api/teams/red/faults", json: #"{"target": "nope", "type": "latency"}"#,
                allowed: ["facilitator", "red's token", "commander"], ok: Expected(status: 404, message: "unknown target 'nope'"),
                refusal: { Expected(status: 403, message: "only the team's commander (or the facilitator) may start an attack; you joined as \($0)") })
            try await check(
                client, room, .post, "/api/teams/red/runs", json: #"{"lab": "is-ads-optional"}"#,
                allowed: ["facilitator", "red's token", "commander"], ok: Expected(status: 201),
                refusal: { Expected(status: 403, message: "only the team's commander (or the facilitator) runs the exercise; you joined as \($0)") })
            // The timeline: notes and action items by the scribe, reports by the user.
            try await check(
                client, room, .post, "/api/teams/red/notes", json: #"{"text": "p95 up"}"#,
                allowed: ["facilitator", "red's token", "scribe"], ok: Expected(status: 201),
                refusal: { Expected(status: 403, message: "only the team's scribe writes notes and action items; you joined as \($0)") })
            try await check(
                client, room, .post, "/api/teams/red/action-items", json: #"{"text": "add a timeout"}"#,
                allowed: ["facilitator", "red's token", "scribe"], ok: Expected(status: 201),
                refusal: { Expected(status: 403, message: "only the team's scribe writes notes and action items; you joined as \($0)") })
            try await check(
                client, room, .post, "/api/teams/red/reports", json: #"{"text": "the page hangs"}"#,
                allowed: ["facilitator", "red's token", "user"], ok: Expected(status: 201),
                refusal: { Expected(status: 403, message: "only the team's user writes user reports; you joined as \($0)") })
            // Anyone in the team ends a fault: here one that is not there.
            try await check(client, room, .delete, "/api/teams/red/faults/storefront-ads/latency-9", allowed: red,
                            ok: Expected(status: 404, message: "no fault 'latency-9' on 'storefront-ads'"))
            // Anyone in the team halts and reads.
            for (method, path) in [(HTTPRequest.Method.post, "/api/teams/red/halt"), (.delete, "/api/teams/red/faults"),
                                   (.get, "/api/teams/red/faults"), (.get, "/api/teams/red/timeline"), (.get, "/api/teams/red/state"),
                                   (.get, "/api/teams/red")] {
                try await check(client, room, method, path, allowed: red, ok: Expected(status: 200))
            }
            // Only the facilitator removes a team; red's own page of it is still red's.
            try await check(client, room, .delete, "/api/teams/blue", allowed: ["facilitator"], ok: Expected(status: 204))

            // A team's Toxiproxy API: the capability secret in the path is the credential.
            var response = try await client.call(.get, "/t/\(room.redSecret)/proxies")
            #expect(response.status == .ok)
            response = try await client.call(.get, "/t/not-the-secret/proxies", token: server.facilitatorToken)
            #expect(response.status == .notFound)
            #expect(String(buffer: response.body).contains("no team's API at this address"))
            // The session endpoint says who a token is, and nobody without one.
            response = try await client.call(.get, "/api/session", token: room.tokens["scribe"] ?? nil)
            #expect(try response.json(API.SessionInfo.self).role == "scribe")
            response = try await client.call(.get, "/api/session")
            #expect(try response.json(API.SessionInfo.self).kind == "none")
        }
    }

    @Test("a single-user server asks for no token, and has no team routes")
    func singleUser() async throws {
        try await InProcessServer().test { client in
            #expect(try await client.call(.get, "/api/status").status == .ok)
            #expect(try await client.call(.get, "/proxies").status == .ok)
            let response = try await client.call(.get, "/api/teams")
            #expect(response.status == .notFound)
        }
    }
}

/// FacilitatorOnly fails closed: a route behind it that no IdentifyCaller saw is refused.
@Suite struct FacilitatorOnlyTests {
    @Test("without an identified caller, the facilitator's routes answer 500 and run nothing")
    func failsClosed() async throws {
        let router = Router(context: LabRequestContext.self)
        router.add(middleware: APIErrorMiddleware())
        router.group().add(middleware: FacilitatorOnly()).get("secret") { _, _ in "the facilitator's" }
        try await Application(router: router).test(.router) { client in
            let response = try await client.call(.get, "/secret")
            #expect(response.status == .internalServerError)
            #expect(String(buffer: response.body).contains("FacilitatorOnly needs IdentifyCaller before it"))
        }
    }
}
