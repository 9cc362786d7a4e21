import AsyncHTTPClient
import Foundation
import LabDomain
import LabServer
import NIOCore
import TestSupport
import Testing

/// Bad requests to a real lab server get a JSON error that says what and where, and change nothing.
extension EndToEndTests {
    @Test("malformed and unknown requests get clear JSON errors; a fault's TTL removes it")
    func apiErrorsAndFaultTTL() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)

            try await api.expectError("GET", "/api/nothing-here", body: nil, status: 404, mentioning: "no route for GET /api/nothing-here")
            try await api.expectError("POST", "/api/faults", body: "{not json", status: 400, mentioning: "bad JSON")
            try await api.expectError("POST", "/api/faults", body: #"{"type":"blackhole"}"#, status: 400, mentioning: "target")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"storefront->payments","type":"blackhole"}"#, status: 404, mentioning: "storefront-ads")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"storefront->ads","type":"meltdown"}"#, status: 400, mentioning: "blackhole, refuse, latency, bandwidth")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"storefront->ads","type":"latency","attributes":{"latency":-1}}"#, status: 400, mentioning: "'latency' must be between 0")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"storefront->ads","type":"latency","attributes":{"delay":5}}"#, status: 400, mentioning: "no attribute 'delay'")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"storefront->ads","type":"slicer","attributes":{"average_size":0}}"#, status: 400, mentioning: "average_size")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"storefront->ads","type":"latency","stream":"sideways"}"#, status: 400, mentioning: "upstream or downstream")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"storefront->ads","type":"refuse","ttl_ms":-5}"#, status: 400, mentioning: "ttl_ms")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"checkout","type":"empty"}"#, status: 400, mentioning: "ads service only")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"checkout","type":"errors","attributes":{"rate":2}}"#, status: 400, mentioning: "rate")
            try await api.expectError("POST", "/api/faults", body: #"{"target":"checkout","type":"melt"}"#, status: 400, mentioning: "kill, pause, cpu")
            try await api.expectError("DELETE", "/api/faults/checkout/kill-9", body: nil, status: 404, mentioning: "kill-9")
            try await api.expectError("POST", "/api/runs", body: #"{"lab":"no-such-lab"}"#, status: 404, mentioning: "is-ads-optional")
            try await api.expectError("GET", "/api/runs/no-such-run/summary", body: nil, status: 404, mentioning: "no-such-run")

            let run = try await api.json("POST", "/api/runs", body: #"{"lab":"is-ads-optional","quick":true}"#)
            let id = try #require(run["run"] as? String)
            try await api.expectError("PUT", "/api/runs/\(id)/exercises/nope/hypothesis", body: #"{"outcome":"works"}"#, status: 404, mentioning: "nope")
            try await api.expectError("PUT", "/api/runs/\(id)/exercises/block-ads/hypothesis", body: #"{"outcome":"maybe"}"#, status: 400, mentioning: "outcome")
            try await api.expectError("POST", "/api/runs/\(id)/exercises/block-ads/attack", body: nil, status: 409, mentioning: "hypothesis")
            try await api.expectError("PUT", "/api/runs/\(id)/diagram", body: #"{"edges":{"a->b":true}}"#, status: 400, mentioning: "a->b")

            let fault = try await api.json("POST", "/api/faults", body: #"{"target":"storefront->ads","type":"latency","attributes":{"latency":100},"ttl_ms":300}"#)
            #expect(fault["target"] as? String == "storefront-ads")
            let expired = await waitFor(timeout: .seconds(5)) {
                (try? await api.array("GET", "/api/faults").isEmpty) ?? false
            }
            #expect(expired, "the fault is removed when its TTL runs out")

            // Every fault of one target at once, leaving the others.
            _ = try await api.json("POST", "/api/faults", body: #"{"target":"storefront->ads","type":"latency","attributes":{"latency":100}}"#)
            _ = try await api.json("POST", "/api/faults", body: #"{"target":"storefront->ads","type":"bandwidth","attributes":{"rate":100}}"#)
            _ = try await api.json("POST", "/api/faults", body: #"{"target":"checkout->cache","type":"latency","attributes":{"latency":100}}"#)
            #expect(try await api.json("DELETE", "/api/faults/storefront-ads", body: nil)["removed"] as? Int == 2)
            let left = try await api.array("GET", "/api/faults").compactMap { ($0 as? [String: Any])?["target"] as? String }
            #expect(left == ["checkout-cache"])
            try await api.expectError("DELETE", "/api/faults/payments", body: nil, status: 404, mentioning: "payments")
            _ = try await api.json("DELETE", "/api/faults", body: nil)
        }
    }
}

extension EndToEndTests {
    @Test("fault add, list and halt from the command line, with either spelling of an edge")
    func faultCommands() async throws {
        try await withLabServer { server in
            let latency = try await server.command(["fault", "add", "checkout-cache", "latency", "latency=50", "--ttl", "30s"])
            #expect(latency.code == 0, "\(latency.output)")
            let refuse = try await server.command(["fault", "add", "storefront->ads", "refuse", "--ttl", "30s"])
            #expect(refuse.code == 0, "\(refuse.output)")
            let badTTL = try await server.command(["fault", "add", "storefront-ads", "refuse", "--ttl", "30"])
            #expect(badTTL.code != 0 && badTTL.output.contains("has no unit"), "\(badTTL.output)")

            let listed = try await server.command(["fault", "list"])
            #expect(listed.output.contains("checkout-cache") && listed.output.contains("latency 50 ms"), "\(listed.output)")
            #expect(listed.output.contains("storefront-ads") && listed.output.contains("refuse"), "\(listed.output)")

            let halted = try await server.command(["halt"])
            #expect(halted.output.contains("2 fault(s) removed"), "\(halted.output)")
            let after = try await server.command(["fault", "list"])
            #expect(after.output.contains("no active faults"), "\(after.output)")
        }
    }
}

/// A few raw HTTP calls to the lab API.
struct APIClient {
    let port: Int

    func send(_ method: String, _ path: String, body: String?, headers: [(String, String)] = []) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), Data(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    /// As `send`, with the response's Set-Cookie header.
    func sendWithHeaders(_ method: String, _ path: String, body: String?) async throws -> (status: Int, body: Data, setCookie: String?) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), data, response.headers.first(name: "Set-Cookie"))
    }

    func json(_ method: String, _ path: String, body: String?) async throws -> [String: Any] {
        let (status, data) = try await send(method, path, body: body)
        #expect((200..<300).contains(status), "\(method) \(path): \(status) \(String(decoding: data, as: UTF8.self))")
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func array(_ method: String, _ path: String) async throws -> [Any] {
        let (_, data) = try await send(method, path, body: nil)
        return try JSONSerialization.jsonObject(with: data) as? [Any] ?? []
    }

    func expectError(_ method: String, _ path: String, body: String?, status: Int, mentioning text: String,
                     headers: [(String, String)] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let (actual, data) = try await send(method, path, body: body, headers: headers)
        let error = try? JSONDecoder().decode(ErrorBody.self, from: data)
        #expect(actual == status, "\(method) \(path)", sourceLocation: sourceLocation)
        #expect(error?.status == status, "the JSON error carries its status", sourceLocation: sourceLocation)
        #expect(error?.error.contains(text) == true, "\(method) \(path): \(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
    }
}

extension EndToEndTests {
    @Test("the learner chooses the fix: a fix without the fallback fails under the same fault, and scores so")
    func chosenFixIsWhatRuns() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)
            let run = try #require(try await api.json("POST", "/api/runs", body: #"{"lab":"is-ads-optional","quick":true}"#)["run"] as? String)
            let fix = "/api/runs/\(run)/exercises/fix-ads/fix"
            try await api.expectError("PUT", "/api/runs/\(run)/exercises/block-ads/fix", body: #"{"storefront":{"ads_fallback":true}}"#,
                                      status: 400, mentioning: "not a fix")
            try await api.expectError("PUT", fix, body: #"{"checkout":{"ads_fallback":true}}"#, status: 400, mentioning: "services: storefront")
            try await api.expectError("PUT", fix, body: #"{"storefront":{"retries":3}}"#, status: 400, mentioning: "ads_fallback, ads_timeout_ms")
            try await api.expectError("PUT", fix, body: #"{"storefront":{"ads_fallback":"yes"}}"#, status: 400, mentioning: "true or false")
            try await api.expectError("PUT", fix, body: #"{"storefront":{"ads_timeout_ms":-1}}"#, status: 400, mentioning: "between 0 and 600000")

            // The timeout alone, without the fallback: ads still fails the page.
            #expect(try await api.send("PUT", fix, body: #"{"storefront":{"ads_fallback":false}}"#).status == 204)
            _ = try await api.send("PUT", "/api/runs/\(run)/exercises/fix-ads/hypothesis", body: #"{"outcome":"works"}"#)
            let attack = String(decoding: try await api.send("POST", "/api/runs/\(run)/exercises/fix-ads/attack", body: nil).body, as: UTF8.self)
            #expect(attack.contains(#""ads_fallback":false"#), "the chosen settings were applied")
            #expect(attack.contains(#""checkout":"broken""#), "without the fallback checkout breaks: \(attack.suffix(600))")
            try await api.expectError("PUT", fix, body: #"{"storefront":{"ads_fallback":true}}"#, status: 409, mentioning: "locked")
            let summary = try await api.json("GET", "/api/runs/\(run)/summary", body: nil)
            let breakdown = summary["breakdown"] as? [String] ?? []
            #expect(breakdown.contains { $0.hasPrefix("fix fix-ads: 0/") }, "\(breakdown)")
        }
    }
}
