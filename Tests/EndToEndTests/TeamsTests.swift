import AsyncHTTPClient
import Foundation
import LabDomain
import LabServer
import NIOCore
import TestSupport
import Testing

/// Group mode on a real lab server (`chaoslab start --facilitator`): teams with their own
/// sandboxes, isolated from each other, and every token checked.
extension EndToEndTests {
    @Test("a fault through team A's api_base slows A's storefront only; B's proxies show no toxic")
    func teamsAreIsolated() async throws {
        try await withGroupServer { server, facilitator in
            let api = APIClient(port: server.port)
            let a = try await api.createTeam("team-a", token: facilitator)
            let b = try await api.createTeam("team-b", token: facilitator)
            #expect(a.storefront != b.storefront, "each team has its own storefront")
            #expect(a.apiBase.hasPrefix("http://127.0.0.1:\(server.port)/t/") && a.apiBase != b.apiBase)

            // Given a 1 s latency on A's storefront->ads edge, added as a Toxiproxy client would,
            let toxic = try await api.json("POST", a.apiPath + "/proxies/storefront-ads/toxics", body: #"{"type":"latency","attributes":{"latency":1000}}"#)
            #expect(toxic["name"] as? String == "latency_downstream")
            // then A's home page takes over a second, and B's answers at once.
            let slow = try await timeHomePage(a.storefront)
            let fast = try await timeHomePage(b.storefront)
            #expect(slow >= .milliseconds(1000), "A's storefront took \(slow)")
            #expect(fast < .milliseconds(500), "B's storefront took \(fast)")
            let bProxies = try await api.json("GET", b.apiPath + "/proxies", body: nil)
            for (name, proxy) in bProxies {
                #expect(((proxy as? [String: Any])?["toxics"] as? [Any])?.isEmpty == true, "B's \(name) has no toxic")
            }
            #expect((try await api.json("GET", a.apiPath + "/proxies/storefront-ads", body: nil)["toxics"] as? [Any])?.count == 1)

            // A blackhole through A's lab API with A's token breaks A's storefront, not B's.
            #expect(try await api.send("POST", a.apiPath + "/reset", body: nil).status == 204)
            let added = try await api.send("POST", "/api/teams/team-a/faults", body: #"{"target":"storefront->ads","type":"blackhole","ttl_ms":20000}"#,
                                           headers: [("Authorization", "Bearer \(a.token)")])
            #expect(added.status == 201, "\(String(decoding: added.body, as: UTF8.self))")
            let broken = try? await fetch(a.storefront + "/", timeout: .seconds(2))
            #expect(broken == nil || broken != 200, "A's home page does not answer 200 under a blackhole on ads")
            #expect(try await fetch(b.storefront + "/", timeout: .seconds(2)) == 200, "B's home page still answers")
            let faults = try await api.send("GET", "/api/teams/team-b/faults", body: nil, headers: [("Authorization", "Bearer \(b.token)")])
            #expect(String(decoding: faults.body, as: UTF8.self) == "[]", "B has no fault")
            let defaultFaults = try await api.send("GET", "/api/faults", body: nil, headers: [("Authorization", "Bearer \(facilitator)")])
            #expect(String(decoding: defaultFaults.body, as: UTF8.self) == "[]", "the default sandbox has no fault")

            // A Toxiproxy client given B's api_base as its URL works unchanged.
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/toxiproxy_client_check.py").path
            let python = try TestProcess(executable: "/usr/bin/env", ["python3", script, b.apiBase])
            let code = await python.waitForExit(timeout: .seconds(60))
            if code == nil { python.signal(SIGKILL) }
            #expect(code == 0 && python.lines.joined().contains("all checks passed"), "\(python.lines.joined(separator: "\n"))")

            // A team's service fault ends with its time to live: the team's workspace runs its timers.
            let errors = try await api.send("POST", "/api/teams/team-b/faults", body: #"{"target":"ads","type":"errors","attributes":{"rate":1},"ttl_ms":300}"#,
                                            headers: [("Authorization", "Bearer \(b.token)")])
            #expect(errors.status == 201, "\(String(decoding: errors.body, as: UTF8.self))")
            let expired = await waitFor(timeout: .seconds(5)) {
                let now = try? await api.send("GET", "/api/teams/team-b/faults", body: nil, headers: [("Authorization", "Bearer \(b.token)")])
                return now.map { String(decoding: $0.body, as: UTF8.self) == "[]" } ?? false
            }
            #expect(expired, "team B's errors fault is removed when its TTL runs out")
        }
    }

    @Test("tokens: missing 401, wrong or another team's 403, a wrong capability secret 404, each with a message")
    func teamTokens() async throws {
        try await withGroupServer { server, facilitator in
            let api = APIClient(port: server.port)
            let a = try await api.createTeam("alpha", token: facilitator)
            let b = try await api.createTeam("bravo", token: facilitator)
            func bearer(_ token: String) -> [(String, String)] { [("Authorization", "Bearer \(token)")] }

            try await api.expectError("GET", "/api/teams", body: nil, status: 401, mentioning: "missing token")
            try await api.expectError("GET", "/api/status", body: nil, status: 401, mentioning: "missing token")
            try await api.expectError("GET", "/proxies", body: nil, status: 401, mentioning: "missing token")
            try await api.expectError("GET", "/api/teams", body: nil, status: 403, mentioning: "not valid", headers: bearer("nope"))
            try await api.expectError("GET", "/api/teams", body: nil, status: 401, mentioning: "Bearer TOKEN", headers: [("Authorization", "Basic eDp5")])
            try await api.expectError("GET", "/api/teams", body: nil, status: 403, mentioning: "only the facilitator", headers: bearer(a.token))
            try await api.expectError("POST", "/api/teams", body: #"{"name":"x"}"#, status: 403, mentioning: "only the facilitator", headers: bearer(a.token))
            try await api.expectError("DELETE", "/api/teams/bravo", body: nil, status: 403, mentioning: "only the facilitator", headers: bearer(a.token))
            try await api.expectError("GET", "/api/teams/bravo", body: nil, status: 403, mentioning: "team 'alpha'", headers: bearer(a.token))
            try await api.expectError("GET", "/api/teams/bravo/faults", body: nil, status: 403, mentioning: "team 'alpha'", headers: bearer(a.token))
            try await api.expectError("POST", "/api/teams/alpha/faults", body: #"{"target":"storefront->ads","type":"blackhole"}"#,
                                      status: 403, mentioning: "team 'bravo'", headers: bearer(b.token))
            try await api.expectError("GET", "/api/faults", body: nil, status: 403, mentioning: "only the facilitator", headers: bearer(a.token))
            try await api.expectError("GET", "/t/\(String(repeating: "x", count: 43))/proxies", body: nil, status: 404, mentioning: "secret in the path is wrong")
            try await api.expectError("GET", a.apiPath.dropLast() + "/proxies", body: nil, status: 404, mentioning: "secret in the path is wrong")

            // What each token may do.
            let own = try await api.send("GET", "/api/team", body: nil, headers: bearer(a.token))
            #expect(own.status == 200 && String(decoding: own.body, as: UTF8.self).contains(#""name":"alpha""#))
            #expect(try await api.send("GET", "/api/teams/alpha", body: nil, headers: bearer(a.token)).status == 200)
            #expect(try await api.send("GET", "/api/teams/alpha", body: nil, headers: bearer(facilitator)).status == 200)
            let list = try await api.send("GET", "/api/teams", body: nil, headers: bearer(facilitator))
            let names = (try JSONSerialization.jsonObject(with: list.body) as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["alpha", "bravo"])
            #expect(try await api.send("GET", "/api/health", body: nil).status == 200, "health needs no token")

            // Names.
            try await api.expectError("POST", "/api/teams", body: #"{"name":"alpha"}"#, status: 409, mentioning: "exists already", headers: bearer(facilitator))
            try await api.expectError("POST", "/api/teams", body: #"{"name":"Bad Name!"}"#, status: 400, mentioning: "bad team name", headers: bearer(facilitator))
            try await api.expectError("POST", "/api/teams", body: #"{}"#, status: 400, mentioning: "name", headers: bearer(facilitator))
            try await api.expectError("DELETE", "/api/teams/nobody", body: nil, status: 404, mentioning: "no team named 'nobody'", headers: bearer(facilitator))

            // The facilitator token file is the owner's only, and no team token was written to the server's output.
            let attributes = try FileManager.default.attributesOfItem(atPath: server.data.appendingPathComponent("facilitator-token").path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let output = server.process.lines.joined(separator: "\n")
            #expect(!output.contains(a.token) && !output.contains(b.token) && !output.contains(String(a.apiPath.dropFirst(3))))
            #expect(output.components(separatedBy: facilitator).count == 2, "the facilitator token is printed once")
        }
    }

    @Test("people join with the team's code and a role; each role may do what it is for, and every other action gets a 403 that says why")
    func rolesShapeWhatMembersMayDo() async throws {
        try await withGroupServer { server, facilitator in
            let api = APIClient(port: server.port)
            let a = try await api.createTeam("alpha", token: facilitator)
            _ = try await api.createTeam("bravo", token: facilitator)
            let code = try #require(a.joinCode)
            let commander = try await api.join(a, name: "Ada", role: "commander")
            let scribe = try await api.join(a, name: "Grace", role: "scribe")
            let observer = try await api.join(a, name: "Linus", role: "observer")
            let user = try await api.join(a, name: "Barbara", role: "user")
            #expect(scribe.cookie.hasPrefix("chaoslab_session=\(scribe.token);") && scribe.cookie.contains("HttpOnly")
                    && scribe.cookie.contains("SameSite=Strict"), "\(scribe.cookie)")

            try await api.expectError("POST", "/api/join", body: #"{"code":"WRONGCODE1","name":"Eve","role":"user"}"#, status: 403, mentioning: "join code is not valid")
            try await api.expectError("POST", "/api/join", body: #"{"code":"\#(code)","name":"Eve","role":"captain"}"#, status: 400, mentioning: "commander, scribe, observer, user")
            try await api.expectError("POST", "/api/join", body: #"{"code":"\#(code)","name":"  ","role":"user"}"#, status: 400, mentioning: "display name")

            func bearer(_ token: String) -> [(String, String)] { [("Authorization", "Bearer \(token)")] }
            let latency = #"{"target":"storefront->ads","type":"latency","attributes":{"latency":100}}"#
            // Only the commander attacks.
            for (who, role) in [(scribe, "scribe"), (observer, "observer"), (user, "user")] {
                try await api.expectError("POST", "/api/teams/alpha/faults", body: latency, status: 403,
                                          mentioning: "only the team's commander (or the facilitator) may start an attack; you joined as \(role)",
                                          headers: bearer(who.token))
            }
            #expect(try await api.send("POST", "/api/teams/alpha/faults", body: latency, headers: bearer(commander.token)).status == 201)
            // Anyone halts: the observer, through the browser's cookie.
            #expect(try await api.send("DELETE", "/api/teams/alpha/faults", body: nil, headers: [("Cookie", "theme=dark; chaoslab_session=\(observer.token)")]).status == 200)
            // Only the scribe writes notes, only the user writes user reports.
            try await api.expectError("POST", "/api/teams/alpha/notes", body: #"{"text":"x"}"#, status: 403, mentioning: "only the team's scribe", headers: bearer(commander.token))
            try await api.expectError("POST", "/api/teams/alpha/reports", body: #"{"text":"x"}"#, status: 403, mentioning: "only the team's user", headers: bearer(scribe.token))
            #expect(try await api.send("POST", "/api/teams/alpha/notes", body: #"{"text":"09:02 latency on ads, commander holds"}"#, headers: bearer(scribe.token)).status == 201)
            #expect(try await api.send("POST", "/api/teams/alpha/reports", body: #"{"text":"the home page takes a second"}"#, headers: bearer(user.token)).status == 201)
            // A member of alpha cannot touch bravo.
            try await api.expectError("GET", "/api/teams/bravo/timeline", body: nil, status: 403, mentioning: "team 'alpha'", headers: bearer(observer.token))

            let timeline = try await api.send("GET", "/api/teams/alpha/timeline", body: nil, headers: bearer(observer.token))
            let lines = try JSONSerialization.jsonObject(with: timeline.body) as? [[String: Any]] ?? []
            #expect(lines.map { "\($0["kind"] ?? "") \($0["author"] ?? "") \($0["role"] ?? "")" } == ["note Grace scribe", "user_report Barbara user"])
            #expect(lines.allSatisfy { ($0["at"] as? String)?.isEmpty == false }, "each line has its time")
            let info = try await api.send("GET", "/api/team", body: nil, headers: bearer(user.token))
            let members = (try JSONSerialization.jsonObject(with: info.body) as? [String: Any])?["members"] as? [[String: String]]
            #expect(members?.map { $0["role"] ?? "" } == ["commander", "scribe", "observer", "user"])
            #expect(!server.process.lines.joined().contains(commander.token), "session tokens are never logged")
        }
    }

    @Test("a team's commander runs a lab in the team's own sandbox and store; other roles and other teams are refused")
    func teamRunsBelongToTheTeam() async throws {
        try await withGroupServer { server, facilitator in
            let api = APIClient(port: server.port)
            let a = try await api.createTeam("alpha", token: facilitator)
            let b = try await api.createTeam("bravo", token: facilitator)
            let commander = try await api.join(a, name: "commander", role: "commander").bearer
            let observer = try await api.join(a, name: "observer", role: "observer").bearer

            try await api.expectError("POST", "/api/teams/alpha/runs", body: #"{"lab":"is-ads-optional","quick":true}"#, status: 403,
                                      mentioning: "only the team's commander (or the facilitator) runs the exercise; you joined as observer", headers: observer)
            let started = try await api.send("POST", "/api/teams/alpha/runs", body: #"{"lab":"is-ads-optional","learner":"alpha","quick":true}"#, headers: commander)
            #expect(started.status == 201, "\(String(decoding: started.body, as: UTF8.self))")
            let run = try #require((try JSONSerialization.jsonObject(with: started.body) as? [String: Any])?["run"] as? String)
            #expect(try await api.send("PUT", "/api/teams/alpha/runs/\(run)/exercises/block-ads/hypothesis", body: #"{"outcome":"broken"}"#, headers: commander).status == 204)
            try await api.expectError("POST", "/api/teams/alpha/runs/\(run)/exercises/block-ads/attack", body: nil, status: 403,
                                      mentioning: "only the team's commander (or the facilitator) may start an attack", headers: observer)
            let attack = try await api.send("POST", "/api/teams/alpha/runs/\(run)/exercises/block-ads/attack", body: nil, headers: commander)
            let lines = String(decoding: attack.body, as: UTF8.self).split(separator: "\n")
            #expect(attack.status == 200 && lines.last?.contains(#""status":"completed""#) == true, "\(lines.last ?? "")")

            // Everyone in the team reads the summary; another team reaches neither the run nor its summary.
            let summary = try await api.send("GET", "/api/teams/alpha/runs/\(run)/summary", body: nil, headers: observer)
            #expect(summary.status == 200)
            try await api.expectError("GET", "/api/teams/alpha/runs/\(run)/summary", body: nil, status: 403, mentioning: "team 'bravo'",
                                      headers: [("Authorization", "Bearer \(b.token)")])
            try await api.expectError("GET", "/api/teams/bravo/runs/\(run)/summary", body: nil, status: 404, mentioning: run,
                                      headers: [("Authorization", "Bearer \(b.token)")])

            // The game-day report, Markdown and HTML, reads well to someone who was not there.
            let asScribe = try await api.join(a, name: "<b>Grace</b>", role: "scribe").bearer
            #expect(try await api.send("POST", "/api/teams/alpha/notes", body: #"{"text":"ads blackholed; the home page hangs"}"#, headers: asScribe).status == 201)
            #expect(try await api.send("POST", "/api/teams/alpha/action-items", body: #"{"text":"give the ad call a 300 ms timeout and a fallback"}"#, headers: asScribe).status == 201)
            try await api.expectError("POST", "/api/teams/alpha/action-items", body: #"{"text":"x"}"#, status: 403, mentioning: "only the team's scribe", headers: observer)
            let markdown = String(decoding: try await api.send("GET", "/api/teams/alpha/report.md", body: nil, headers: observer).body, as: UTF8.self)
            for part in ["# Game-day report: team alpha", "| commander | commander |", "| observer | observer |",
                         "## Action items", "- give the ad call a 300 ms timeout and a fallback (<b>Grace</b>)",
                         "note by <b>Grace</b> (scribe): ads blackholed; the home page hangs",
                         "## chaoslab report: Is the ad service really optional?", "| Block the ad service | broken |", "### The diagram"] {
                #expect(markdown.contains(part), "the report has \(part):\n\(markdown)")
            }
            let html = try await api.send("GET", "/api/teams/alpha/report.html", body: nil, headers: observer)
            let page = String(decoding: html.body, as: UTF8.self)
            #expect(html.status == 200 && page.contains("<title>Game-day report: team alpha</title>") && page.contains("<h1>"))
            #expect(page.contains("&lt;b&gt;Grace") && !page.contains("<b>Grace"), "learner text is escaped in HTML")
            try await api.expectError("GET", "/api/teams/alpha/report.md", body: nil, status: 403, mentioning: "team 'bravo'",
                                      headers: [("Authorization", "Bearer \(b.token)")])

            // The facilitator sees every team at a glance, in JSON and as a page signed in with a cookie.
            try await api.expectError("GET", "/api/overview", body: nil, status: 403, mentioning: "only the facilitator", headers: observer)
            let overview = try await api.send("GET", "/api/overview", body: nil, headers: [("Authorization", "Bearer \(facilitator)")])
            let glance = try JSONSerialization.jsonObject(with: overview.body) as? [String: Any] ?? [:]
            let alpha = (glance["teams"] as? [[String: Any]])?.first { $0["name"] as? String == "alpha" } ?? [:]
            #expect(alpha["lab"] as? String == "is-ads-optional" && alpha["current_exercise"] as? String == "fix-ads", "\(alpha)")
            #expect(alpha["predictions_made"] as? Int == 1 && alpha["exercises_done"] as? Int == 1 && alpha["exercises"] as? Int == 2, "\(alpha)")
            #expect((glance["leaderboard"] as? [[String: Any]])?.compactMap { $0["team"] as? String }.sorted() == ["alpha", "bravo"])
            try await api.expectError("GET", "/facilitator", body: nil, status: 401, mentioning: "missing token")
            try await api.expectError("POST", "/api/session", body: #"{"token":"not-a-token"}"#, status: 403, mentioning: "not valid")
            let session = try await api.sendWithHeaders("POST", "/api/session", body: #"{"token":"\#(facilitator)"}"#)
            #expect(session.status == 204 && session.setCookie?.contains("HttpOnly") == true && session.setCookie?.contains("SameSite=Strict") == true)
            let cookie = String(session.setCookie?.split(separator: ";").first ?? "")
            let facilitatorPage = try await api.send("GET", "/facilitator", body: nil, headers: [("Cookie", cookie)])
            let text = String(decoding: facilitatorPage.body, as: UTF8.self)
            #expect(facilitatorPage.status == 200 && text.contains("Every team at a glance") && text.contains("is-ads-optional: 1 of 2 done, 1 predictions, now fix-ads"),
                    "\(text)")
            #expect(text.contains("Leaderboard") && text.contains("data-halt-all"))
            #expect(text.contains(#"<a href="/teams/alpha">alpha</a>"#) && text.contains(#"data-halt-team="alpha""#), "each team links to its page and has its halt")
            let halted = try await api.send("POST", "/api/teams/alpha/halt", body: "{}", headers: [("Cookie", cookie)])
            #expect(halted.status == 200, "the facilitator halts one team")
        }
    }

    @Test("a team's commander runs a game-day scenario: the lab's exercises in sequence, each stored as its own attack")
    func teamRunsAScenario() async throws {
        try await withGroupServer { server, facilitator in
            let api = APIClient(port: server.port)
            let a = try await api.createTeam("alpha", token: facilitator)
            let commander = try await api.join(a, name: "Ada", role: "commander").bearer
            let started = try await api.send("POST", "/api/teams/alpha/runs", body: #"{"lab":"is-ads-optional","learner":"alpha","quick":true}"#, headers: commander)
            let run = try #require((try JSONSerialization.jsonObject(with: started.body) as? [String: Any])?["run"] as? String)
            let path = "/api/teams/alpha/runs/\(run)"

            try await api.expectError("POST", "\(path)/scenarios/nope", body: nil, status: 404, mentioning: "scenarios: game-day", headers: commander)
            #expect(try await api.send("PUT", "\(path)/exercises/block-ads/hypothesis", body: #"{"outcome":"broken"}"#, headers: commander).status == 204)
            try await api.expectError("POST", "\(path)/scenarios/game-day", body: nil, status: 409, mentioning: "fix-ads has none", headers: commander)
            #expect(try await api.send("PUT", "\(path)/exercises/fix-ads/hypothesis", body: #"{"outcome":"works"}"#, headers: commander).status == 204)

            let scenario = try await api.send("POST", "\(path)/scenarios/game-day", body: nil, headers: commander)
            let lines = String(decoding: scenario.body, as: UTF8.self).split(separator: "\n")
            let last = try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any]
            let result = last?["scenario"] as? [String: Any]
            #expect(result?["stopped_at"] == nil, "every step ran: \(lines.last ?? "")")
            #expect((result?["steps"] as? [[String: Any]])?.map { $0["status"] as? String } == ["completed", "completed"])
            #expect(lines.filter { $0.contains(#""kind":"fault_injected""#) }.count == 2, "two attacks, one after the other")

            // Each step was stored as an observation of the run: the summary grades both.
            let summary = try await api.send("GET", "\(path)/summary", body: nil, headers: commander)
            let exercises = (try JSONSerialization.jsonObject(with: summary.body) as? [String: Any])?["exercises"] as? [[String: Any]]
            #expect(exercises?.map { $0["status"] as? String } == ["completed", "completed"], "\(exercises ?? [])")
        }
    }

    @Test("the facilitator halts every team at once, locks new faults for everyone, and unlocks")
    func facilitatorHaltsEveryTeam() async throws {
        try await withGroupServer { server, facilitator in
            let api = APIClient(port: server.port)
            let a = try await api.createTeam("alpha", token: facilitator)
            let b = try await api.createTeam("bravo", token: facilitator)
            func bearer(_ token: String) -> [(String, String)] { [("Authorization", "Bearer \(token)")] }
            let latency = #"{"target":"storefront->ads","type":"latency","attributes":{"latency":100}}"#
            for team in [a, b] {
                #expect(try await api.send("POST", "/api/teams/\(team.name)/faults", body: latency, headers: bearer(team.token)).status == 201)
            }

            try await api.expectError("POST", "/api/teams/halt", body: #"{"lock":true}"#, status: 403, mentioning: "only the facilitator", headers: bearer(a.token))
            let halt = try await server.command(["team", "halt", "--lock", "--token", facilitator])
            #expect(halt.code == 0 && halt.output.contains("halted 2 teams: removed 2 faults"), "\(halt.output)")
            for team in [a, b] {
                let faults = try await api.send("GET", "/api/teams/\(team.name)/faults", body: nil, headers: bearer(team.token))
                #expect(String(decoding: faults.body, as: UTF8.self) == "[]", "\(team.name)'s faults are gone")
                try await api.expectError("POST", "/api/teams/\(team.name)/faults", body: latency, status: 423, mentioning: "locked",
                                          headers: bearer(team.token))
            }
            let late = try await api.createTeam("charlie", token: facilitator)
            try await api.expectError("POST", "/api/teams/charlie/faults", body: latency, status: 423, mentioning: "locked",
                                      headers: bearer(late.token))

            let unlock = try await server.command(["team", "unlock", "--token", facilitator])
            #expect(unlock.code == 0 && unlock.output.contains("unlocked 3 teams"), "\(unlock.output)")
            #expect(try await api.send("POST", "/api/teams/alpha/faults", body: latency, headers: bearer(a.token)).status == 201)
        }
    }

    @Test("team create, list and remove from the command line; removing a team stops its processes")
    func teamRemoveStopsProcesses() async throws {
        try await withGroupServer { server, facilitator in
            let before = childPids(of: server.process.pid)
            let created = try await server.command(["team", "create", "gamma", "--json", "--token", facilitator])
            #expect(created.code == 0, "\(created.output)")
            let team = try #require(try JSONSerialization.jsonObject(with: Data(created.output.utf8)) as? [String: Any])
            #expect(Set(team.keys) == ["team", "join_code", "token", "storefront_url", "api_base"])
            let teamPids = childPids(of: server.process.pid).subtracting(before)
            #expect(teamPids.count == 4, "the team runs its own four services: \(teamPids)")
            let listed = try await server.command(["team", "list", "--token", facilitator])
            #expect(listed.code == 0 && listed.output.contains("gamma") && listed.output.contains("healthy"), "\(listed.output)")
            #expect(listed.output.contains("join code \(team["join_code"] as? String ?? "-")"), "the facilitator sees the join code again")
            // The facilitator sees the credentials again; the team's own token does not get them.
            let api = APIClient(port: server.port)
            let shown = try JSONSerialization.jsonObject(with: try await api.send("GET", "/api/teams/gamma", body: nil,
                headers: [("Authorization", "Bearer \(facilitator)")]).body) as? [String: Any] ?? [:]
            #expect(shown["token"] as? String == team["token"] as? String && shown["join_code"] as? String == team["join_code"] as? String)
            let own = try JSONSerialization.jsonObject(with: try await api.send("GET", "/api/teams/gamma", body: nil,
                headers: [("Authorization", "Bearer \(team["token"] as? String ?? "")")]).body) as? [String: Any] ?? [:]
            #expect(own["name"] as? String == "gamma" && own["token"] == nil && own["join_code"] == nil)
            let refused = try await server.command(["team", "list"])
            #expect(refused.code != 0 && refused.output.contains("missing token"), "\(refused.output)")

            let removed = try await server.command(["team", "remove", "gamma", "--token", facilitator])
            #expect(removed.code == 0, "\(removed.output)")
            let gone = await waitFor(timeout: .seconds(10)) { teamPids.allSatisfy { !isAlive($0) } }
            #expect(gone, "every process of the team has stopped")
            #expect(childPids(of: server.process.pid) == before, "the default sandbox's services are untouched")
            let again = try await server.command(["team", "remove", "gamma", "--token", facilitator])
            #expect(again.code != 0 && again.output.contains("no team named 'gamma'"))
        }
    }

    @Test("a team whose sandbox cannot start (out of file descriptors) gets a 503 and leaves nothing behind")
    func failedTeamLeavesNothing() async throws {
        try await withGroupServer { server, facilitator in
            let api = APIClient(port: server.port)
            let children = childPids(of: server.process.pid)
            let openFiles = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(server.process.pid)/fd").count
            let limits = try String(contentsOfFile: "/proc/\(server.process.pid)/limits", encoding: .utf8)
            let softLimit = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") }
                .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[3]) })
            // Given a server that can open only a few more files (a team needs about a dozen),
            try await setFileLimit(of: server.process.pid, to: openFiles + 6)
            // when a team is created, it fails with a clear error,
            try await api.expectError("POST", "/api/teams", body: #"{"name":"doomed"}"#, status: 503, mentioning: "nothing of it is left running",
                                      headers: [("Authorization", "Bearer \(facilitator)")])
            // and nothing of it is left: no new process, no team, the same open files.
            #expect(childPids(of: server.process.pid) == children)
            let list = try await api.send("GET", "/api/teams", body: nil, headers: [("Authorization", "Bearer \(facilitator)")])
            #expect(String(decoding: list.body, as: UTF8.self) == "[]")
            let settled = await waitFor(timeout: .seconds(5)) {
                ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(server.process.pid)/fd").count) ?? 0) <= openFiles + 1
            }
            #expect(settled, "the failed sandbox's sockets and pipes are closed")
            // With room again, the same name can be created.
            try await setFileLimit(of: server.process.pid, to: softLimit)
            let team = try await api.createTeam("doomed", token: facilitator)
            #expect(try await fetch(team.storefront + "/", timeout: .seconds(5)) == 200)
        }
    }

    @Test("creating a team streams each step of its sandbox's start; a machine short of memory gets a 503 before anything starts")
    func teamCreationShowsProgress() async throws {
        try await withGroupServer { server, facilitator in
            // Streamed for a client that asks: the steps, then the team.
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/api/teams")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(facilitator)")
            request.headers.add(name: "Accept", value: "application/x-ndjson")
            request.body = .bytes(ByteBuffer(string: #"{"name":"delta"}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            let lines = text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            let steps = lines.compactMap { $0["progress"] as? String }
            #expect(steps.first?.hasPrefix("starting team delta's sandbox") == true, "\(steps)")
            for service in ["storefront", "checkout", "cache", "ads"] {
                #expect(steps.contains { $0.hasPrefix("\(service) is up on http://127.0.0.1:") }, "\(steps)")
            }
            #expect(steps.last?.hasPrefix("team delta is ready in ") == true)
            #expect((lines.last?["team"] as? [String: Any])?["join_code"] is String, "the last line is the team: \(text)")
            // A refusal known before the start is a plain error, streamed or not.
            try await APIClient(port: server.port).expectError(
                "POST", "/api/teams", body: #"{"name":"delta"}"#, status: 409, mentioning: "exists already",
                headers: [("Authorization", "Bearer \(facilitator)"), ("Accept", "application/x-ndjson")])
            // The command line shows the steps.
            let created = try await server.command(["team", "create", "echo", "--token", facilitator])
            #expect(created.code == 0 && created.output.contains("ads is up on") && created.output.contains("join_code:"), "\(created.output)")
        }
        // Given a server that keeps more memory free than the machine has,
        try await withLabServer(arguments: ["--facilitator", "--min-free-memory", "100000000"]) { server in
            let facilitator = try String(contentsOf: server.data.appendingPathComponent("facilitator-token"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let children = childPids(of: server.process.pid)
            // a new team is refused with the numbers, and nothing of it starts.
            try await APIClient(port: server.port).expectError(
                "POST", "/api/teams", body: #"{"name":"big"}"#, status: 503, mentioning: "MiB of memory available, below the 100000000 MiB kept free",
                headers: [("Authorization", "Bearer \(facilitator)")])
            #expect(childPids(of: server.process.pid) == children)
            let refused = try await server.command(["team", "create", "big", "--token", facilitator])
            #expect(refused.code != 0 && refused.output.contains("--min-free-memory"), "\(refused.output)")
        }
    }

    @Test("teams survive a restart of the server: their sandboxes start again, people keep their sessions, timelines and runs stay")
    func teamsSurviveARestart() async throws {
        let data = try temporaryFolder()
        var saved: (team: CreatedTeam, member: JoinedMember, run: String)?
        try await withLabServer(data: data, arguments: ["--facilitator"]) { server in
            let facilitator = try String(contentsOf: data.appendingPathComponent("facilitator-token"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let api = APIClient(port: server.port)
            let red = try await api.createTeam("red", token: facilitator)
            let commander = try await api.join(red, name: "Ada", role: "commander")
            #expect(try await api.send("POST", "/api/teams/red/notes", body: #"{"text":"before the restart"}"#, headers: [("Authorization", "Bearer \(red.token)")]).status == 201)
            let started = try await api.send("POST", "/api/teams/red/runs", body: #"{"lab":"is-ads-optional","quick":true}"#, headers: commander.bearer)
            let run = try #require((try JSONSerialization.jsonObject(with: started.body) as? [String: Any])?["run"] as? String)
            saved = (red, commander, run)
        }
        let book = data.appendingPathComponent("teams.sqlite").path
        let mode = try FileManager.default.attributesOfItem(atPath: book)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the team book holds tokens: readable by its owner only")
        let (red, commander, run) = try #require(saved)

        try await withLabServer(data: data, arguments: ["--facilitator"]) { server in
            #expect(server.process.lines.contains { $0.contains("restored 1 team with their sandboxes, people and timelines: red") }, "\(server.process.lines)")
            let facilitator = try String(contentsOf: data.appendingPathComponent("facilitator-token"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let api = APIClient(port: server.port)
            // The team, with a healthy sandbox of its own again, its token and its member's session still valid,
            let teams = try await api.send("GET", "/api/teams", body: nil, headers: [("Authorization", "Bearer \(facilitator)")])
            let list = try JSONSerialization.jsonObject(with: teams.body) as? [[String: Any]] ?? []
            #expect(list.count == 1 && list.first?["name"] as? String == "red" && list.first?["services_healthy"] as? Bool == true, "\(list)")
            let own = try await api.send("GET", "/api/team", body: nil, headers: commander.bearer)
            let info = try JSONSerialization.jsonObject(with: own.body) as? [String: Any] ?? [:]
            #expect(own.status == 200 && (info["members"] as? [[String: Any]])?.first?["name"] as? String == "Ada", "\(info)")
            // its timeline and its open run,
            let timeline = try await api.send("GET", "/api/teams/red/timeline", body: nil, headers: [("Authorization", "Bearer \(red.token)")])
            #expect(String(decoding: timeline.body, as: UTF8.self).contains("before the restart"))
            #expect(try await api.send("PUT", "/api/teams/red/runs/\(run)/exercises/block-ads/hypothesis", body: #"{"outcome":"broken"}"#,
                                       headers: commander.bearer).status == 204, "the run goes on where it was")
            // and its Toxiproxy API at the same capability URL.
            #expect(try await api.send("GET", red.apiPath + "/proxies", body: nil).status == 200)
            // Removing it removes it from the book too.
            #expect(try await api.send("DELETE", "/api/teams/red", body: nil, headers: [("Authorization", "Bearer \(facilitator)")]).status == 204)
        }
        try await withLabServer(data: data, arguments: ["--facilitator"]) { server in
            #expect(!server.process.lines.contains { $0.contains("restored") })
        }
    }

    @Test("start refuses a non-loopback host without --facilitator")
    func nonLoopbackNeedsFacilitator() async throws {
        let start = try TestProcess(["start", "--host", "0.0.0.0", "--port", "0", "--data", try temporaryFolder().path])
        let code = await start.waitForExit(timeout: .seconds(20))
        if code == nil { start.signal(SIGKILL) }
        #expect(code != 0 && start.lines.joined().contains("--facilitator"), "\(start.lines)")
    }
}

/// A team as `POST /api/teams` created it.
struct CreatedTeam {
    let name: String
    let token: String
    let storefront: String
    let apiBase: String
    var joinCode: String? = nil
    /// The path of `apiBase`: `/t/SECRET`.
    var apiPath: String { URL(string: apiBase)?.path ?? "" }
}

/// A person who joined a team: their session token and the cookie the server set.
struct JoinedMember {
    let token: String
    let cookie: String
    var bearer: [(String, String)] { [("Authorization", "Bearer \(token)")] }
}

extension APIClient {
    /// Joins `team` with its code, a display name and a role; expects a 201 that names both.
    func join(_ team: CreatedTeam, name: String, role: String) async throws -> JoinedMember {
        let body = try JSONSerialization.data(withJSONObject: ["code": team.joinCode ?? "", "name": name, "role": role])
        let answer = try await sendWithHeaders("POST", "/api/join", body: String(decoding: body, as: UTF8.self))
        #expect(answer.status == 201, "\(String(decoding: answer.body, as: UTF8.self))")
        let joined = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any] ?? [:]
        #expect(joined["team"] as? String == team.name && joined["role"] as? String == role)
        return JoinedMember(token: joined["token"] as? String ?? "", cookie: answer.setCookie ?? "")
    }

    func createTeam(_ name: String, token: String) async throws -> CreatedTeam {
        let (status, data) = try await send("POST", "/api/teams", body: #"{"name":"\#(name)"}"#, headers: [("Authorization", "Bearer \(token)")])
        let body = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        #expect(status == 201, "\(String(decoding: data, as: UTF8.self))")
        #expect(body["team"] as? String == name && (body["join_code"] as? String)?.isEmpty == false)
        return CreatedTeam(
            name: name, token: body["token"] as? String ?? "", storefront: body["storefront_url"] as? String ?? "",
            apiBase: body["api_base"] as? String ?? "", joinCode: body["join_code"] as? String)
    }
}

/// A lab server in group mode, with its facilitator token read from its data folder.
func withGroupServer(arguments: [String] = [], _ body: (LabServerProcess, String) async throws -> Void) async throws {
    try await withLabServer(arguments: ["--facilitator"] + arguments) { server in
        let file = server.data.appendingPathComponent("facilitator-token")
        let token = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count >= 22, "at least 128 bits")
        try await body(server, token)
    }
}

/// The status of a GET, or nil when it timed out or failed.
func fetch(_ url: String, timeout: Duration) async throws -> Int? {
    do {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .milliseconds(timeout.milliseconds))
        _ = try await response.body.collect(upTo: 4 << 20)
        return Int(response.status.code)
    } catch {
        return nil
    }
}

func timeHomePage(_ storefront: String) async throws -> Duration {
    let clock = ContinuousClock()
    let started = clock.now
    let status = try await fetch(storefront + "/", timeout: .seconds(5))
    #expect(status == 200)
    return clock.now - started
}

/// Sets a running process's soft open-file limit (the hard one stays) with util-linux's prlimit.
func setFileLimit(of pid: Int32, to limit: Int) async throws {
    let prlimit = try TestProcess(executable: "/usr/bin/prlimit", ["--pid", String(pid), "--nofile=\(limit):"])
    let code = await prlimit.waitForExit(timeout: .seconds(10))
    guard code == 0 else { throw TestFailure("prlimit failed: \(prlimit.lines)") }
}

/// The children of a process, from /proc (every thread's `children`).
func childPids(of pid: Int32) -> Set<Int32> {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    var pids: Set<Int32> = []
    for task in tasks {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
        for field in text.split(separator: " ") { if let child = Int32(field) { pids.insert(child) } }
    }
    return pids
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
