import Foundation
import TestSupport
import Testing

/// Status checks on a real lab server with a real Prometheus and Alertmanager: each kind passing
/// and failing for the right reason, an incident seen through Alertmanager, monitoring absent,
/// and no monitoring process left behind when the lab server is stopped or killed outright, or
/// a team removed.
extension EndToEndTests {
    @Test("status checks of every kind pass and fail for the right reason against real monitoring; an incident in Alertmanager refuses")
    func statusChecksOnRealMonitoring() async throws {
        let labs = try Self.checksLabFolder()
        try await withLabServer(arguments: ["--monitoring", "--labs", labs.path]) { server in
            let status = try await server.command(["status"])
            #expect(status.output.contains("prometheus   http://127.0.0.1:"), "\(status.output)")
            #expect(status.output.contains("alertmanager http://127.0.0.1:"), "\(status.output)")

            // Prometheus has data once it has scraped the shop (every second).
            var healthy = (code: Int32?.none, output: "")
            let passed = await waitFor(timeout: .seconds(30)) {
                healthy = (try? await server.command(["check", "checks-lab", "--name", "healthy"])) ?? (nil, "")
                return healthy.code == 0
            }
            #expect(passed, "\(healthy.output)")
            #expect(healthy.output.contains("✓ [http] GET {storefront}/healthz: status 200"), "\(healthy.output)")
            #expect(healthy.output.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "seen: 1" },
                    "the value Prometheus returned: \(healthy.output)")
            #expect(healthy.output.contains("all status checks passed"))

            let sick = try await server.command(["check", "checks-lab", "--name", "sick"])
            #expect(sick.code == 1, "\(sick.output)")
            #expect(sick.output.contains("status 404 is not 200"), "\(sick.output)")
            #expect(sick.output.contains("is not == 0"), "\(sick.output)")
            #expect(sick.output.contains("inside 'Change freeze: the quarter's big launch'"), "\(sick.output)")
            #expect(sick.output.contains("the query returned no series"), "no data is inconclusive: \(sick.output)")

            // An incident: the ad service is killed and held down; ServiceDown fires in Alertmanager.
            let api = APIClient(port: server.port)
            _ = try await api.json("POST", "/api/faults", body: #"{"target":"ads","type":"kill","ttl_ms":60000}"#)
            var incident = (code: Int32?.none, output: "")
            let refused = await waitFor(timeout: .seconds(30)) {
                incident = (try? await server.command(["check", "checks-lab", "--name", "no-incident", "--json"])) ?? (nil, "")
                return incident.code == 1
            }
            #expect(refused, "\(incident.output)")
            #expect(incident.output.contains("ServiceDown"), "\(incident.output)")
            _ = try await api.json("DELETE", "/api/faults", body: nil)

            try await api.expectError("POST", "/api/checks/checks-lab/no-such", body: nil, status: 404, mentioning: "healthy, no-incident, sick")
            try await api.expectError("POST", "/api/checks/no-such-lab", body: nil, status: 404, mentioning: "checks-lab")
        }
    }

    @Test("without monitoring, checks that need it are inconclusive with the reason, never failed")
    func checksWithoutMonitoring() async throws {
        let labs = try Self.checksLabFolder()
        try await withLabServer(arguments: ["--labs", labs.path]) { server in
            let result = try await server.command(["check", "checks-lab", "--name", "healthy", "--json"])
            #expect(result.code == 1)
            #expect(result.output.contains(#""outcome" : "inconclusive""#), "\(result.output)")
            #expect(!result.output.contains(#""outcome" : "failed""#), "\(result.output)")
            #expect(result.output.contains("--no-monitoring"), "\(result.output)")
        }
    }

    @Test("Prometheus and Alertmanager stop with a lab server stopped (SIGTERM) or killed outright (SIGKILL)",
          arguments: [SIGTERM, SIGKILL])
    func monitoringDiesWithTheLabServer(signal: Int32) async throws {
        let labs = try Self.checksLabFolder()
        let server = try await LabServerProcess(arguments: ["--monitoring", "--labs", labs.path])
        let pids = Self.processes(mentioning: server.data.path).filter { Self.commandLine(of: $0).contains("prometheus") }
        #expect(pids.count == 2, "prometheus and alertmanager run with the data folder in their arguments: \(pids)")
        server.process.signal(signal)
        _ = await server.process.waitForExit(timeout: .seconds(10))
        let gone = await waitFor(timeout: .seconds(10)) { pids.allSatisfy { !isAlive($0) } }
        #expect(gone, "left running: \(pids.filter(isAlive))")
    }

    @Test("on the real shop: a continuous check halts the attack at its first failure; a scenario's check step stops the scenario before the next attack")
    func continuousAndScenarioChecks() async throws {
        let folder = try temporaryFolder()
        let frozen = labsFolder.replacingOccurrences(of: "/Labs", with: "/monitoring/calendars/always-frozen.ics")
        try """
            id: polled-lab
            title: Checks during and between attacks
            architecture:
              edges:
                - { from: storefront, to: ads, critical: false }
            journeys:
              browse:
                steps: [ "GET storefront /" ]
                slo: { success_rate: 0.99, p95_ms: 500 }
            status_checks:
              freeze:
                - { kind: calendar, file: \(frozen), others: ignore }
            exercises:
              - id: polled
                title: Polled
                brief: A continuous check of a frozen calendar.
                hypothesis: { question: "?", choices: { works: a, degraded: b, broken: c } }
                status_check: { for: 1s, continuous: { checks: [ freeze ], every: 500ms } }
                attack: { edge: storefront->ads, fault: latency, attributes: { latency: 10 }, duration: 20s }
                expect: { browse: works }
              - id: plain
                title: Plain
                brief: No check but the steady state.
                hypothesis: { question: "?", choices: { works: a, degraded: b, broken: c } }
                status_check: { for: 1s }
                attack: { edge: storefront->ads, fault: latency, attributes: { latency: 10 }, duration: 2s }
                expect: { browse: works }
            scenarios:
              - id: drill
                title: Drill
                steps: [ plain, { check: freeze }, polled ]
            """.write(to: folder.appendingPathComponent("polled-lab.yaml"), atomically: true, encoding: .utf8)
        try await withLabServer(arguments: ["--labs", folder.path]) { server in
            let api = APIClient(port: server.port)
            func lines(_ response: (status: Int, body: Data)) -> [String] { String(decoding: response.body, as: UTF8.self).split(separator: "\n").map(String.init) }

            let run = try #require(try await api.json("POST", "/api/runs", body: #"{"lab":"polled-lab"}"#)["run"] as? String)
            _ = try await api.send("PUT", "/api/runs/\(run)/exercises/polled/hypothesis", body: #"{"outcome":"works"}"#)
            let attack = lines(try await api.send("POST", "/api/runs/\(run)/exercises/polled/attack", body: nil))
            let kinds = attack.compactMap { line in ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["event"] as? [String: Any] }
                .compactMap { $0["kind"] as? String }
            #expect(kinds.contains("fault_injected") && kinds.contains("guardrail_tripped") && kinds.last == "exercise_finished", "\(kinds)")
            #expect(attack.last?.contains(#""halted_by":"guardrail: status check 'freeze' failed"#) == true, "\(attack.last ?? "")")
            let faults = try await api.send("GET", "/proxies/storefront-ads/toxics", body: nil)
            #expect((try JSONSerialization.jsonObject(with: faults.body) as? [Any])?.isEmpty == true, "the fault came off")

            let drill = try #require(try await api.json("POST", "/api/runs", body: #"{"lab":"polled-lab"}"#)["run"] as? String)
            for exercise in ["plain", "polled"] {
                _ = try await api.send("PUT", "/api/runs/\(drill)/exercises/\(exercise)/hypothesis", body: #"{"outcome":"works"}"#)
            }
            let scenario = lines(try await api.send("POST", "/api/runs/\(drill)/scenarios/drill", body: nil))
            let result = (try JSONSerialization.jsonObject(with: Data((scenario.last ?? "").utf8)) as? [String: Any])?["scenario"] as? [String: Any]
            #expect(result?["stopped_at"] as? String == "check freeze", "\(scenario.last ?? "")")
            #expect((result?["steps"] as? [[String: Any]])?.map { $0["exercise_id"] as? String } == ["plain"], "the second attack never ran")
            #expect(scenario.filter { $0.contains(#""kind":"fault_injected""#) }.count == 1)
        }
    }

    @Test("a team's sandbox is scraped while the team exists; removing the team removes its targets, and no process is per team")
    func teamRemovalLeavesNoMonitoringBehind() async throws {
        let data = try temporaryFolder()
        try await withLabServer(data: data, arguments: ["--facilitator", "--monitoring"]) { server in
            let facilitator = try String(contentsOf: data.appendingPathComponent("facilitator-token"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let api = APIClient(port: server.port)
            let monitoring = { Self.processes(mentioning: data.path).filter { Self.commandLine(of: $0).contains("prometheus") } }
            let before = monitoring()
            _ = try await api.createTeam("red", token: facilitator)
            let targets = data.appendingPathComponent("monitoring/targets/team-red.json")
            let file = try String(contentsOf: targets, encoding: .utf8)
            #expect(file.contains(#""team" : "red""#) || file.contains(#""team":"red""#), "\(file)")
            #expect(monitoring() == before && before.count == 2, "one Prometheus and one Alertmanager for every team")
            #expect(try await api.send("DELETE", "/api/teams/red", body: nil, headers: [("Authorization", "Bearer \(facilitator)")]).status == 204)
            let removed = await waitFor(timeout: .seconds(10)) { !FileManager.default.fileExists(atPath: targets.path) }
            #expect(removed, "the removed team's sandbox is no longer scraped")
            #expect(monitoring() == before)
        }
    }

    static func commandLine(of pid: Int32) -> String {
        FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Processes whose command line contains `text`.
    static func processes(mentioning text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(text) && isAlive(pid)
        }
    }

    /// A labs folder with one lab whose status checks use every kind.
    static func checksLabFolder() throws -> URL {
        let folder = try temporaryFolder()
        let calendars = labsFolder.replacingOccurrences(of: "/Labs", with: "/monitoring/calendars")
        try """
            id: checks-lab
            title: Status checks of every kind
            architecture:
              edges:
                - { from: storefront, to: ads, critical: false }
            journeys:
              browse:
                steps: [ "GET storefront /" ]
                slo: { success_rate: 0.99, p95_ms: 500 }
            status_checks:
              healthy:
                - { kind: http, url: "{storefront}/healthz", status: 200, max_ms: 1000 }
                - { kind: prometheus, query: 'min(up{job="shop"})', expect: "== 1" }
                - { kind: alerts, matching: { severity: page } }
                - { kind: calendar, file: \(calendars)/sale-day-freeze.ics }
              sick:
                - { kind: http, url: "{storefront}/no-such-page", status: 200 }
                - { kind: prometheus, query: 'min(up{job="shop"})', expect: "== 0" }
                - { kind: prometheus, query: 'up{job="no-such-job"}', expect: "== 1" }
                - { kind: calendar, file: \(calendars)/always-frozen.ics }
              no-incident:
                - { kind: alerts, matching: { severity: page } }
            exercises:
              - id: block-ads
                title: Block ads
                brief: Block the ad service.
                hypothesis: { question: "What happens to browsing?", choices: { works: a, degraded: b, broken: c } }
                status_check: { checks: [ healthy ] }
                attack: { edge: storefront->ads, fault: blackhole, duration: 3s }
                expect: { browse: broken }
            """.write(to: folder.appendingPathComponent("checks-lab.yaml"), atomically: true, encoding: .utf8)
        return folder
    }
}
