import Foundation
import TestSupport
import Testing

/// Toxiproxy's HTTP API on a real lab server: every endpoint, every error row, the browser
/// refusal and the loopback rule, and a real Toxiproxy client.
extension EndToEndTests {
    @Test("every Toxiproxy endpoint answers as Toxiproxy 2.x does, errors included")
    func toxiproxyEndpoints() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)
            let version = try await api.json("GET", "/version", body: nil)
            #expect(version["version"] as? String == "2.12.0")

            let proxies = try await api.json("GET", "/proxies", body: nil)
            #expect(Set(proxies.keys) == ["storefront-ads", "storefront-checkout", "storefront-cache", "checkout-cache"])
            let ads = try #require(proxies["storefront-ads"] as? [String: Any])
            #expect(ads["enabled"] as? Bool == true && (ads["listen"] as? String)?.hasPrefix("127.0.0.1:") == true)
            let adsUpstream = try #require(ads["upstream"] as? String)

            // Proxies: create (port 0 shows the real port), show, update, populate, delete.
            let created = try await api.send("POST", "/proxies", body: #"{"name":"extra","listen":"127.0.0.1:0","upstream":"\#(adsUpstream)"}"#)
            #expect(created.status == 201)
            let extra = try #require(try JSONSerialization.jsonObject(with: created.body) as? [String: Any])
            #expect((extra["listen"] as? String).map { !$0.hasSuffix(":0") } == true, "listen shows the bound port")
            try await api.expectError("POST", "/proxies", body: #"{"name":"extra","upstream":"\#(adsUpstream)"}"#, status: 409, mentioning: "already exists")
            try await api.expectError("POST", "/proxies", body: #"{"upstream":"127.0.0.1:1"}"#, status: 400, mentioning: "missing required field: name")
            try await api.expectError("POST", "/proxies", body: #"{"name":"x"}"#, status: 400, mentioning: "missing required field: upstream")
            try await api.expectError("POST", "/proxies", body: "{nope", status: 400, mentioning: "bad request body")
            try await api.expectError("POST", "/proxies", body: #"{"name":"relay","upstream":"10.1.2.3:80"}"#, status: 403, mentioning: "loopback")
            try await api.expectError("POST", "/proxies", body: #"{"name":"open","listen":"0.0.0.0:0","upstream":"127.0.0.1:1"}"#, status: 403, mentioning: "loopback")
            try await api.expectError("POST", "/proxies", body: #"{"name":"named","upstream":"127.0.0.evil.example:80"}"#, status: 403, mentioning: "loopback")
            let shown = try await api.json("GET", "/proxies/extra", body: nil)
            #expect(shown["name"] as? String == "extra" && (shown["toxics"] as? [Any])?.isEmpty == true)
            try await api.expectError("GET", "/proxies/nope", body: nil, status: 404, mentioning: "proxy not found")
            let disabled = try await api.json("PATCH", "/proxies/extra", body: #"{"enabled":false}"#)
            #expect(disabled["enabled"] as? Bool == false)
            let enabled = try await api.json("POST", "/proxies/extra", body: #"{"enabled":true}"#)
            #expect(enabled["enabled"] as? Bool == true)
            try await api.expectError("PATCH", "/proxies/storefront-ads", body: #"{"upstream":"127.0.0.1:1"}"#, status: 409, mentioning: "sandbox's edges")
            let populated = try await api.send("POST", "/populate", body: #"[{"name":"extra","upstream":"\#(adsUpstream)"},{"name":"second","listen":"127.0.0.1:0","upstream":"\#(adsUpstream)"}]"#)
            #expect(populated.status == 201)
            let populatedBody = try JSONSerialization.jsonObject(with: populated.body) as? [String: Any]
            #expect((populatedBody?["proxies"] as? [Any])?.count == 2, "\(String(decoding: populated.body, as: UTF8.self))")
            try await api.expectError("DELETE", "/proxies/storefront-ads", body: nil, status: 409, mentioning: "cannot be deleted")
            #expect(try await api.send("DELETE", "/proxies/second", body: nil).status == 204)
            try await api.expectError("DELETE", "/proxies/second", body: nil, status: 404, mentioning: "proxy not found")

            // Toxics: create with defaults, list, show, update, errors, delete.
            let toxic = try await api.json("POST", "/proxies/extra/toxics", body: #"{"type":"latency","attributes":{"latency":100,"jitter":null}}"#)
            #expect(toxic["name"] as? String == "latency_downstream" && toxic["stream"] as? String == "downstream")
            #expect(toxic["toxicity"] as? Double == 1 && (toxic["attributes"] as? [String: Int]) == ["latency": 100, "jitter": 0])
            let upstreamToxic = try await api.json("POST", "/proxies/extra/toxics", body: #"{"name":"slow","type":"bandwidth","stream":"upstream","toxicity":0.5,"attributes":{"rate":100}}"#)
            #expect(upstreamToxic["stream"] as? String == "upstream" && upstreamToxic["toxicity"] as? Double == 0.5)
            try await api.expectError("POST", "/proxies/extra/toxics", body: #"{"type":"latency"}"#, status: 409, mentioning: "already exists")
            try await api.expectError("POST", "/proxies/extra/toxics", body: #"{"type":"meltdown"}"#, status: 400, mentioning: "invalid toxic type")
            try await api.expectError("POST", "/proxies/extra/toxics", body: #"{"type":"noop","stream":"sideways"}"#, status: 400, mentioning: "stream was invalid")
            try await api.expectError("POST", "/proxies/extra/toxics", body: #"{"type":"latency","name":"x","attributes":{"latency":"slow"}}"#, status: 400, mentioning: "attributes.latency")
            try await api.expectError("POST", "/proxies/extra/toxics", body: #"{"type":"slicer","attributes":{"average_size":0}}"#, status: 400, mentioning: "average_size")
            try await api.expectError("POST", "/proxies/extra/toxics", body: #"{"type":"latency","name":"neg","attributes":{"latency":-5}}"#, status: 400, mentioning: "latency")
            try await api.expectError("POST", "/proxies/extra/toxics", body: #"{"type":"noop","name":"t","toxicity":2}"#, status: 400, mentioning: "toxicity")
            try await api.expectError("POST", "/proxies/nope/toxics", body: #"{"type":"noop"}"#, status: 404, mentioning: "proxy not found")
            let listed = try await api.array("GET", "/proxies/extra/toxics")
            #expect(listed.count == 2)
            let updated = try await api.json("PATCH", "/proxies/extra/toxics/latency_downstream", body: #"{"attributes":{"jitter":10}}"#)
            #expect((updated["attributes"] as? [String: Int]) == ["latency": 100, "jitter": 10], "a partial update keeps the other attributes")
            let viaPost = try await api.json("POST", "/proxies/extra/toxics/slow", body: #"{"toxicity":1}"#)
            #expect(viaPost["toxicity"] as? Double == 1)
            let one = try await api.json("GET", "/proxies/extra/toxics/slow", body: nil)
            #expect(one["type"] as? String == "bandwidth")
            try await api.expectError("GET", "/proxies/extra/toxics/nope", body: nil, status: 404, mentioning: "toxic not found")
            try await api.expectError("PATCH", "/proxies/extra/toxics/nope", body: "{}", status: 404, mentioning: "toxic not found")
            #expect(try await api.send("DELETE", "/proxies/extra/toxics/slow", body: nil).status == 204)
            try await api.expectError("DELETE", "/proxies/extra/toxics/slow", body: nil, status: 404, mentioning: "toxic not found")

            // Toxics made here are listed with the lab's faults and removed by a reset.
            let faults = try await api.array("GET", "/api/faults")
            #expect(faults.count == 1, "\(faults)")
            _ = try await api.json("PATCH", "/proxies/storefront-ads", body: #"{"enabled":false}"#)
            #expect(try await api.send("POST", "/reset", body: nil).status == 204)
            let afterReset = try await api.json("GET", "/proxies", body: nil)
            for (name, value) in afterReset {
                let proxy = try #require(value as? [String: Any])
                #expect(proxy["enabled"] as? Bool == true && (proxy["toxics"] as? [Any])?.isEmpty == true, "\(name) after reset")
            }

            // Browsers may not use it; every error is JSON.
            try await api.expectError("GET", "/proxies", body: nil, status: 403, mentioning: "User agent not allowed",
                                      headers: [("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)")])
            try await api.expectError("POST", "/proxies/storefront-ads/toxics", body: #"{"type":"timeout"}"#, status: 403, mentioning: "User agent not allowed",
                                      headers: [("User-Agent", "Mozilla/5.0")])
        }
    }

    @Test("the lab API refuses cross-site requests and foreign Host names")
    func crossSiteRequests() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)
            try await api.expectError("POST", "/api/halt", body: nil, status: 403, mentioning: "cross-site",
                                      headers: [("Origin", "http://evil.example")])
            try await api.expectError("POST", "/api/faults", body: #"{"target":"storefront-ads","type":"blackhole"}"#, status: 403, mentioning: "cross-site",
                                      headers: [("Sec-Fetch-Site", "cross-site")])
            try await api.expectError("GET", "/api/status", body: nil, status: 403, mentioning: "not this lab server",
                                      headers: [("Host", "attacker.example:\(server.port)")])
            try await api.expectError("GET", "/api/status", body: nil, status: 403, mentioning: "not this lab server",
                                      headers: [("Host", "127.0.0.rebound.example:\(server.port)")])
            let sameOrigin = try await api.send("POST", "/api/halt", body: nil, headers: [("Origin", "http://127.0.0.1:\(server.port)")])
            #expect(sameOrigin.status == 200)
            #expect(try await api.array("GET", "/api/faults").isEmpty, "nothing was added by the refused requests")
        }
    }

    @Test("the toxiproxy-python client lists, adds and removes toxics, disables, enables and resets")
    func toxiproxyPythonClient() async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/toxiproxy_client_check.py").path
        try await withLabServer { server in
            // Waited for without blocking: a blocking wait would hold one of the test
            // process's few cooperative threads, and starve the tests running beside it.
            let python = try TestProcess(executable: "/usr/bin/env", ["python3", script, String(server.port)])
            let code = await python.waitForExit(timeout: .seconds(60))
            if code == nil { python.signal(SIGKILL) }
            let text = python.lines.joined(separator: "\n")
            let missing = text.contains("No module named 'toxiproxy'") || text.contains("No module named 'future'")
            #expect(!missing, "toxiproxy-python is not installed; scripts/setup.sh installs it (pip install toxiproxy-python)")
            #expect(code == 0 && text.contains("all checks passed"), "\(text)")
        }
    }

    @Test("with --max-fault-ttl, toxics made through the Toxiproxy API end by themselves")
    func maxFaultTTL() async throws {
        try await withLabServer(arguments: ["--max-fault-ttl", "300ms"]) { server in
            let api = APIClient(port: server.port)
            let toxic = try await api.json("POST", "/proxies/storefront-ads/toxics", body: #"{"type":"latency","attributes":{"latency":50}}"#)
            #expect(toxic["name"] as? String == "latency_downstream")
            let faults = try await api.array("GET", "/api/faults")
            #expect((faults.first as? [String: Any]).flatMap { ($0["fault"] as? [String: Any])?["expires_in_ms"] as? Int } != nil, "\(faults)")
            let gone = await waitFor(timeout: .seconds(5)) {
                (try? await api.array("GET", "/proxies/storefront-ads/toxics").isEmpty) ?? false
            }
            #expect(gone, "the toxic ends after the maximum time to live")
        }
    }
}
