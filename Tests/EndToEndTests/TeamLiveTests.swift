import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing

/// A team's pages and its live state on a real group server: every member sees the same
/// run state, pushed as it changes; each role's page has its own parts.
extension EndToEndTests {
    @Test("every member of a team sees the run pushed live (server-sent events); another team's stream shows nothing of it")
    func runStateIsPushedToEveryone() async throws {
        try await withGroupServer { server, facilitator in
            let api = APIClient(port: server.port)
            let red = try await api.createTeam("red", token: facilitator)
            let blue = try await api.createTeam("blue", token: facilitator)
            let commander = try await api.join(red, name: "Ada", role: "commander").bearer
            let observer = try await api.join(red, name: "Grace", role: "observer").bearer
            let scribe = try await api.join(red, name: "Linus", role: "scribe").bearer
            let blueObserver = try await api.join(blue, name: "Barbara", role: "observer").bearer

            try await api.expectError("GET", "/api/teams/red/live", body: nil, status: 401, mentioning: "missing token")
            try await api.expectError("GET", "/api/teams/red/live", body: nil, status: 403, mentioning: "team 'blue'", headers: blueObserver)

            // Given the observer's and another team's live streams, each opening with the state now,
            let redStream = try await EventStream.open(port: server.port, path: "/api/teams/red/live", headers: observer)
            let blueStream = try await EventStream.open(port: server.port, path: "/api/teams/blue/live", headers: blueObserver)
            let first = try await redStream.next("the first state") { $0.name == "state" }
            #expect((first.json["members"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Ada", "Grace", "Linus"])
            #expect(first.json["run"] == nil && (first.json["faults"] as? [Any])?.isEmpty == true)
            _ = try await blueStream.next("blue's first state") { $0.name == "state" }

            // when the commander runs an attack,
            let started = try await api.send("POST", "/api/teams/red/runs", body: #"{"lab":"is-ads-optional","learner":"red","quick":true}"#, headers: commander)
            let run = try #require((try JSONSerialization.jsonObject(with: started.body) as? [String: Any])?["run"] as? String)
            #expect(try await api.send("PUT", "/api/teams/red/runs/\(run)/exercises/block-ads/hypothesis", body: #"{"outcome":"broken"}"#, headers: commander).status == 204)
            let attack = Task { try await api.send("POST", "/api/teams/red/runs/\(run)/exercises/block-ads/attack", body: nil, headers: commander) }

            // then the observer's stream shows it as it happens: the hypothesis, the attack with its fault, each second's sample,
            let hypothesis = try await redStream.next("the hypothesis") { ($0.json["run"] as? [String: Any])?["hypothesis"] as? String == "broken" }
            #expect((hypothesis.json["run"] as? [String: Any])?["current_exercise"] as? String == "block-ads")
            let underAttack = try await redStream.next("the fault in force") {
                $0.json["activity_text"] as? String == "attack of block-ads" && ($0.json["faults"] as? [String])?.contains { $0.hasPrefix("blackhole") } == true
            }
            #expect((underAttack.json["faults"] as? [String])?.first?.hasSuffix("on storefront-ads") == true, "\(underAttack.json)")
            _ = try await redStream.next("an attack sample") {
                $0.name == "run" && (($0.json["event"] as? [String: Any])?["kind"] as? String) == "probe_sample"
                    && (($0.json["event"] as? [String: Any])?["phase"] as? String) == "attack"
            }
            // and the result once it is graded, with the sandbox idle again.
            let done = try await redStream.next("the result") { ($0.json["run"] as? [String: Any])?["last_result"] as? String != nil && $0.json["activity"] == nil }
            let result = try #require((done.json["run"] as? [String: Any])?["last_result"] as? String)
            #expect(result.contains("completed") && result.contains("checkout broken") && result.contains("predicted broken"), "\(result)")
            #expect((done.json["run"] as? [String: Any])?["current_exercise"] as? String == "fix-ads")
            #expect(try await attack.value.status == 200)

            // A scribe's note reaches everyone's timeline at once.
            #expect(try await api.send("POST", "/api/teams/red/notes", body: #"{"text":"checkout hangs while ads is blackholed"}"#, headers: scribe).status == 201)
            let noted = try await redStream.next("the note") { (($0.json["timeline"] as? [[String: Any]])?.last?["text"] as? String) == "checkout hangs while ads is blackholed" }
            #expect((noted.json["timeline"] as? [[String: Any]])?.last?["author"] as? String == "Linus")

            // Anyone in the team may halt; the stream says so.
            let halted = try await api.send("POST", "/api/teams/red/halt", body: "{}", headers: observer)
            #expect(halted.status == 200, "\(String(decoding: halted.body, as: UTF8.self))")

            // Blue's stream saw nothing of red's run: no run event, no fault, no run.
            #expect(try await api.send("POST", "/api/teams/blue/notes", body: #"{"text":"x"}"#, headers: [("Authorization", "Bearer \(blue.token)")]).status == 201)
            let blueLater = try await blueStream.next("blue's own note") { ($0.json["timeline"] as? [[String: Any]])?.count == 1 }
            #expect(blueLater.json["run"] == nil && (blueLater.json["faults"] as? [Any])?.isEmpty == true)
            #expect(blueStream.received.allSatisfy { $0.name == "state" }, "blue saw no run event")
        }
    }

    @Test("each role's page has its own parts; without a session the team pages lead to the join page")
    func rolesShapeTheTeamPage() async throws {
        try await withGroupServer { server, facilitator in
            let api = APIClient(port: server.port)
            let red = try await api.createTeam("red", token: facilitator)
            let blue = try await api.createTeam("blue", token: facilitator)
            let parts = ["commander", "observer", "scribe", "user"]
            for role in parts {
                let member = try await api.join(red, name: "Someone", role: role)
                let cookie = String(member.cookie.split(separator: ";").first ?? "")
                let (status, body) = try await api.send("GET", "/teams/red", body: nil, headers: [("Cookie", cookie)])
                let page = String(decoding: body, as: UTF8.self)
                #expect(status == 200 && page.contains("Team red") && page.contains("Someone, \(role)"), "\(role): \(status)")
                for part in parts {
                    #expect(page.contains(#"<section id="\#(part)""#) == (part == role), "the \(role)'s page \(part == role ? "has" : "has no") \(part) part")
                }
                let session = try JSONSerialization.jsonObject(with: try await api.send("GET", "/api/session", body: nil, headers: [("Cookie", cookie)]).body) as? [String: Any]
                #expect(session?["kind"] as? String == "member" && session?["team"] as? String == "red" && session?["role"] as? String == role)
                // The member's /team leads to their own team's page.
                #expect(try await redirect(port: server.port, "/team", headers: [("Cookie", cookie)]) == "/teams/red")
            }
            // The facilitator sees every part of a team's page.
            let (status, body) = try await api.send("GET", "/teams/red", body: nil, headers: [("Authorization", "Bearer \(facilitator)")])
            let page = String(decoding: body, as: UTF8.self)
            #expect(status == 200 && parts.allSatisfy { page.contains(#"<section id="\#($0)""#) })

            // No session, or another team's: the join page; it needs no session, nor do the assets.
            #expect(try await redirect(port: server.port, "/teams/red", headers: []) == "/join")
            #expect(try await redirect(port: server.port, "/teams/red", headers: [("Authorization", "Bearer \(blue.token)")]) == "/join")
            #expect(try await redirect(port: server.port, "/team", headers: []) == "/join")
            let join = try await api.send("GET", "/join?code=ABC", body: nil)
            #expect(join.status == 200 && String(decoding: join.body, as: UTF8.self).contains(#"value="ABC""#))
            #expect(try await api.send("GET", "/assets/common.js", body: nil).status == 200)
            let nobody = try await api.send("GET", "/api/session", body: nil)
            #expect(nobody.status == 200 && String(decoding: nobody.body, as: UTF8.self).contains(#""kind":"none""#))
            try await api.expectError("GET", "/api/teams/red/services", body: nil, status: 401, mentioning: "missing token")
            let services = try await api.send("GET", "/api/teams/red/services", body: nil, headers: [("Authorization", "Bearer \(red.token)")])
            let list = try JSONSerialization.jsonObject(with: services.body) as? [[String: Any]] ?? []
            #expect(list.compactMap { $0["name"] as? String }.sorted() == ["ads", "cache", "checkout", "storefront"])
            #expect(list.allSatisfy { $0["healthy"] as? Bool == true && $0["log"] is [String] })
        }
    }

    @Test("the team's shop through the lab server: its pages under /teams/NAME/shop, for the team only, never its admin endpoints")
    func teamShopPassesThroughTheLabServer() async throws {
        try await withGroupServer { server, facilitator in
            let api = APIClient(port: server.port)
            let red = try await api.createTeam("red", token: facilitator)
            let blue = try await api.createTeam("blue", token: facilitator)
            let user = try await api.join(red, name: "Uma", role: "user")
            let labCookie = String(user.cookie.split(separator: ";").first ?? "")

            // The home page, its links and forms under the prefix, and the shop's own session cookie scoped to it.
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/teams/red/shop/")
            request.headers.add(name: "Cookie", value: labCookie)
            let home = try await notFollowing.execute(request, timeout: .seconds(10))
            let page = String(buffer: try await home.body.collect(upTo: 1 << 20))
            #expect(home.status.code == 200 && page.contains(#"action="/teams/red/shop/cart/add""#) && !page.contains(#"action="/cart"#), "\(page)")
            #expect(home.headers.first(name: "Content-Security-Policy")?.contains("default-src 'none'") == true, "no script of the shop's runs on the lab's origin")
            #expect(try await api.send("GET", "/teams/red/shop/products/..%2Fadmin", body: nil, headers: [("Cookie", labCookie)]).status == 404)
            let shopCookie = try #require(home.headers.first(name: "Set-Cookie"))
            #expect(shopCookie.hasPrefix("session=") && shopCookie.contains("Path=/teams/red/shop/"), "\(shopCookie)")

            // Adding to the cart: the shop's redirect, under the prefix; the cart keeps the item.
            var add = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/teams/red/shop/cart/add")
            add.method = .POST
            let session = String(shopCookie.split(separator: ";").first ?? "")
            add.headers.add(name: "Cookie", value: "\(labCookie); \(session)")
            add.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            add.body = .bytes(ByteBuffer(string: "sku=espresso-beans"))
            let added = try await notFollowing.execute(add, timeout: .seconds(10))
            _ = try await added.body.collect(upTo: 1 << 20)
            #expect(added.status.code == 303 && added.headers.first(name: "Location") == "/teams/red/shop/")
            let again = try await api.send("GET", "/teams/red/shop/", body: nil, headers: [("Cookie", "\(labCookie); \(session)")])
            #expect(String(decoding: again.body, as: UTF8.self).contains(#"<strong id="cart-count">1</strong>"#))

            // Only the shop's pages for people pass, for the team only.
            #expect(try await api.send("GET", "/teams/red/shop/admin/config", body: nil, headers: [("Cookie", labCookie)]).status == 404)
            #expect(try await api.send("GET", "/teams/red/shop/metrics", body: nil, headers: [("Cookie", labCookie)]).status == 404)
            try await api.expectError("GET", "/teams/red/shop/", body: nil, status: 401, mentioning: "missing token")
            try await api.expectError("GET", "/teams/red/shop/", body: nil, status: 403, mentioning: "team 'blue'",
                                      headers: [("Authorization", "Bearer \(blue.token)")])
        }
    }
}

/// Where a GET is sent on: the Location of a 303, or nil for any other answer.
private func redirect(port: Int, _ path: String, headers: [(String, String)]) async throws -> String? {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    let response = try await notFollowing.execute(request, timeout: .seconds(10))
    _ = try await response.body.collect(upTo: 1 << 20)
    return response.status.code == 303 ? response.headers.first(name: "Location") : nil
}

/// A client that does not follow redirects (it lives as long as the test process).
private let notFollowing = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

/// A client of a server-sent event stream: reads events as they arrive, keeps them all. The
/// stream ends when the server stops (or at its 60 s deadline).
final class EventStream: @unchecked Sendable {
    struct Event {
        let name: String
        let json: [String: Any]
    }

    private let response: HTTPClientResponse
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var buffer = ""
    private(set) var received: [Event] = []

    private init(response: HTTPClientResponse) {
        self.response = response
        iterator = response.body.makeAsyncIterator()
    }

    static func open(port: Int, path: String, headers: [(String, String)]) async throws -> EventStream {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        // The deadline bounds the whole stream: a test waiting for an event that never comes fails.
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        #expect(response.status.code == 200 && response.headers.first(name: "Content-Type") == "text/event-stream")
        return EventStream(response: response)
    }

    /// The next event that `matches`; fails when the stream ends first.
    func next(_ what: String, sourceLocation: SourceLocation = #_sourceLocation, matching matches: (Event) -> Bool) async throws -> Event {
        while true {
            while let end = buffer.range(of: "\n\n") {
                let block = String(buffer[..<end.lowerBound])
                buffer.removeSubrange(..<end.upperBound)
                var name = "message", data = ""
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data += line.dropFirst(6) }
                }
                guard !data.isEmpty else { continue }
                let event = Event(name: name, json: try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] ?? [:])
                received.append(event)
                if matches(event) { return event }
            }
            guard let chunk = try await iterator.next() else {
                Issue.record("the stream ended before \(what)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            buffer += String(buffer: chunk)
        }
    }
}
