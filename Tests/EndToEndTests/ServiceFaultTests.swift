import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

/// State faults on the services' processes, the emergency lock and `/metrics`, on a real lab server.
extension EndToEndTests {
    @Test("kill holds a service down until its restart; pause freezes it until its TTL; halt --lock refuses new faults until unlock")
    func stateFaultsAndLock() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)
            func checkout() async throws -> [String: Any] {
                let status = try await api.json("GET", "/api/status", body: nil)
                let services = status["services"] as? [[String: Any]] ?? []
                return try #require(services.first { $0["name"] as? String == "checkout" })
            }
            let before = try await checkout()
            let pid = try #require(before["pid"] as? Int)

            let killed = try await server.command(["fault", "add", "checkout", "kill", "restart_after_ms=1500"])
            #expect(killed.code == 0, "\(killed.output)")
            #expect(kill(pid_t(pid), 0) != 0, "the process is gone at once")
            let down = try await checkout()
            #expect(down["healthy"] as? Bool == false && (down["faults"] as? [Any])?.count == 1, "\(down)")
            let back = await waitFor(timeout: .seconds(20)) {
                let now = try? await checkout()
                return now?["healthy"] as? Bool == true && now?["pid"] as? Int != pid
            }
            #expect(back, "the supervisor restarted checkout after restart_after_ms")
            #expect(try await checkout()["restarts"] as? Int == 1)

            let ads = try await api.json("GET", "/api/status", body: nil)
            let adsPid = try #require((ads["services"] as? [[String: Any]])?.first { $0["name"] as? String == "ads" }?["pid"] as? Int)
            let pause = try await server.command(["fault", "add", "ads", "pause", "--ttl", "1s"])
            #expect(pause.code == 0, "\(pause.output)")
            #expect(processState(pid_t(adsPid)) == "T", "ads is stopped (SIGSTOP)")
            let resumed = await waitFor(timeout: .seconds(10)) { processState(pid_t(adsPid)) != "T" }
            #expect(resumed, "ads is continued when the pause's TTL ends")

            let latency = try await server.command(["fault", "add", "storefront-cache", "latency", "latency=100", "--ttl", "1m"])
            #expect(latency.code == 0, "\(latency.output)")
            let halted = try await server.command(["halt", "--lock"])
            #expect(halted.output.contains("1 fault(s) removed") && halted.output.contains("locked"), "\(halted.output)")
            let refused = try await server.command(["fault", "add", "storefront-ads", "blackhole"])
            #expect(refused.code != 0 && refused.output.contains("locked"), "\(refused.output)")
            try await api.expectError("POST", "/proxies/storefront-ads/toxics", body: #"{"type":"noop"}"#, status: 423, mentioning: "locked")
            let unlocked = try await server.command(["unlock"])
            #expect(unlocked.code == 0, "\(unlocked.output)")
            let allowed = try await server.command(["fault", "add", "storefront-ads", "blackhole", "--ttl", "1m"])
            #expect(allowed.code == 0, "\(allowed.output)")

            let metrics = String(decoding: try await api.send("GET", "/metrics", body: nil).body, as: UTF8.self)
            for line in [
                #"chaoslab_proxy_toxics_active{proxy="storefront-ads"} 2"#,
                #"chaoslab_service_restarts_total{service="checkout"} 1"#,
                #"chaoslab_faults_injected_total{type="kill"} 1"#,
                #"chaoslab_faults_reverted_total{type="kill"} 1"#,
                #"chaoslab_faults_active{type="blackhole"} 1"#,
                "chaoslab_faults_locked 0",
            ] {
                #expect(metrics.contains(line), "/metrics has \(line)")
            }
            #expect(metrics.contains(#"chaoslab_proxy_connections_total{proxy="storefront-cache"}"#))
            #expect(metrics.contains(#"chaoslab_proxy_bytes_total{proxy="storefront-cache",direction="downstream"}"#))
        }
    }
}

/// The state letter of a process from /proc (R, S, T for stopped, ...), or nil if it is gone.
func processState(_ pid: pid_t) -> String? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    return stat[stat.index(close, offsetBy: 2)...].split(separator: " ").first.map(String.init)
}

extension EndToEndTests {
    @Test("errors, empty, cpu and memory faults act inside the services and end with a halt")
    func resourceAndBehaviourFaults() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)
            let status = try await api.json("GET", "/api/status", body: nil)
            let urls = Dictionary(uniqueKeysWithValues: (status["services"] as? [[String: Any]] ?? []).compactMap { service in
                (service["name"] as? String).flatMap { name in (service["url"] as? String).map { (name, $0) } }
            })
            let ads = try #require(urls["ads"]), checkout = try #require(urls["checkout"])
            func get(_ url: String) async throws -> (status: Int, body: String) {
                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
                return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
            }

            _ = try await api.json("POST", "/api/faults", body: #"{"target":"checkout","type":"errors","attributes":{"rate":1}}"#)
            let failed = try await get(checkout + "/carts/test")
            #expect(failed.status == 500 && failed.body.contains("injected fault"), "\(failed)")
            #expect(try await get(checkout + "/healthz").status == 200, "health checks are not failed")

            _ = try await api.json("POST", "/api/faults", body: #"{"target":"ads","type":"empty"}"#)
            let empty = try await get(ads + "/ads")
            #expect(empty.status == 200 && empty.body.replacingOccurrences(of: " ", with: "").contains(#""ads":[]"#), "\(empty)")

            _ = try await api.json("POST", "/api/faults", body: #"{"target":"cache","type":"cpu","attributes":{"cores":1}}"#)
            _ = try await api.json("POST", "/api/faults", body: #"{"target":"cache","type":"memory","attributes":{"mb":16}}"#)
            let inside = try await get(try #require(urls["cache"]) + "/admin/faults")
            #expect(inside.body.contains(#""cores":1"#) && inside.body.contains(#""mb":16"#), "\(inside)")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"cache","type":"cpu"}"#, status: 409, mentioning: "already has a cpu fault")
            #expect(try await api.array("GET", "/api/faults").count == 4)

            let halted = try await server.command(["halt"])
            #expect(halted.output.contains("4 fault(s) removed"), "\(halted.output)")
            #expect(try await get(checkout + "/carts/test").status != 500)
            #expect(!(try await get(ads + "/ads").body.replacingOccurrences(of: " ", with: "").contains(#""ads":[]"#)))
            let after = try await get(try #require(urls["cache"]) + "/admin/faults")
            #expect(!after.body.contains("cores") && !after.body.contains(#""mb""#), "\(after)")
        }
    }
}
