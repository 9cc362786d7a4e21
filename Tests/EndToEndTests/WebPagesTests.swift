import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

/// The web pages at the HTTP level, on a real lab server: what each page shows at each
/// step of a run, the report downloads, and the assets. (The whole journey in a real
/// browser is in BrowserTests.)
extension EndToEndTests {
    @Test("home, run, summary, sandbox and report pages show what the learner needs at each step")
    func webPagesThroughARun() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)
            let home = try await page(server, "/")
            #expect(home.contains("Is the ad service really optional?") && home.contains("Is the cache just a cache?"))
            #expect(home.contains(#"<label for="learner">"#), "the name field is labelled")
            #expect(home.contains(#"href="/assets/app.css""#) && !home.contains("http://cdn"), "assets are local")
            #expect(home.contains("storefront") && home.contains("✔ up"))

            let css = try await api.send("GET", "/assets/app.css", body: nil)
            #expect(css.status == 200 && String(decoding: css.body, as: UTF8.self).contains("[hidden]"))
            // Every page loads the common script, then its own.
            #expect(home.contains(#"<script src="/assets/common.js" defer></script>"#) && home.contains(#"src="/assets/home.js""#))
            let script = try await api.send("GET", "/assets/common.js", body: nil)
            #expect(script.status == 200 && String(decoding: script.body, as: UTF8.self).contains("streamLines"))
            let homeScript = try await api.send("GET", "/assets/home.js", body: nil)
            #expect(homeScript.status == 200 && String(decoding: homeScript.body, as: UTF8.self).contains(#"onPage("home", homePage)"#))
            try await api.expectError("GET", "/assets/nope.js", body: nil, status: 404, mentioning: "no asset")

            let run = try #require(try await api.json("POST", "/api/runs", body: #"{"lab":"is-ads-optional","learner":"Ada","quick":true}"#)["run"] as? String)
            var runPage = try await page(server, "/runs/\(run)")
            #expect(runPage.contains("Exercise 1 of 2: Block the ad service"))
            #expect(runPage.contains("<strong>blackholes</strong>"), "the brief is rendered from Markdown")
            #expect(runPage.contains("⚡ under attack"), "the diagram marks the attacked edge in words")
            #expect(runPage.contains(#"<input type="radio" name="outcome" id="outcome-broken" value="broken">"#))
            #expect(runPage.contains(#"id="start-attack" class="primary" disabled"#), "no attack before a hypothesis and a status check")

            // The status check on its own streams samples and a verdict.
            let check = try await api.send("POST", "/api/runs/\(run)/exercises/block-ads/status-check", body: nil)
            let checkLines = String(decoding: check.body, as: UTF8.self).split(separator: "\n")
            #expect(check.status == 200 && checkLines.contains { $0.contains("probe_sample") })
            #expect(checkLines.last?.contains(#""passed":true"#) == true, "\(checkLines.last ?? "")")

            // Answer as the page's script does, through the lab API.
            _ = try await api.send("PUT", "/api/runs/\(run)/exercises/block-ads/hypothesis", body: #"{"outcome":"works"}"#)
            runPage = try await page(server, "/runs/\(run)")
            #expect(runPage.contains(#"id="outcome-works" value="works" checked"#), "a saved hypothesis shows when the page is reloaded")
            let attack = try await api.send("POST", "/api/runs/\(run)/exercises/block-ads/attack", body: nil)
            #expect(String(decoding: attack.body, as: UTF8.self).contains(#""status":"completed""#))
            try await api.expectError("PUT", "/api/runs/\(run)/exercises/block-ads/hypothesis", body: #"{"outcome":"broken"}"#,
                                      status: 409, mentioning: "locked")
            runPage = try await page(server, "/runs/\(run)")
            #expect(runPage.contains("Exercise 2 of 2") && runPage.contains("Your fix: choose the settings"), "the next exercise, with its fix")
            #expect(runPage.contains(#"id="knob-storefront-ads_timeout_ms" class="knob" data-service="storefront" data-knob="ads_timeout_ms" data-type="int" value="300""#))
            #expect(runPage.contains(#"id="knob-storefront-ads_fallback" class="knob" data-service="storefront" data-knob="ads_fallback" data-type="bool" checked"#))
            _ = try await api.send("PUT", "/api/runs/\(run)/exercises/fix-ads/hypothesis", body: #"{"outcome":"works"}"#)
            _ = try await api.send("POST", "/api/runs/\(run)/exercises/fix-ads/attack", body: nil)
            runPage = try await page(server, "/runs/\(run)")
            #expect(runPage.contains("The diagram: which edges are critical?") && runPage.contains(#"role="button" tabindex="0""#))
            _ = try await api.send("PUT", "/api/runs/\(run)/diagram", body: #"{"edges":{"storefront->ads":true,"storefront->checkout":true,"storefront->cache":false,"checkout->cache":true}}"#)
            _ = try await api.send("POST", "/api/runs/\(run)/finish", body: nil)

            // A closed run's page leads to its summary.
            let closed = try await api.send("GET", "/runs/\(run)", body: nil)
            #expect(closed.status == 200 && String(decoding: closed.body, as: UTF8.self).contains("Summary: Is the ad service really optional?"),
                    "the redirect is followed to the summary")
            let summary = try await page(server, "/runs/\(run)/summary")
            #expect(summary.contains(#"id="score""#))
            #expect(summary.contains("✗ not as predicted"), "the wrong prediction is marked in words")
            #expect(summary.contains("The claim was wrong about: <strong>storefront-&gt;ads</strong>"), "\(summary)")
            #expect(summary.contains("fault injected: blackhole on storefront-&gt;ads"), "the timeline")
            for (format, marker) in [("md", "# chaoslab report"), ("html", "<h1>chaoslab report"), ("json", #""lab" : "is-ads-optional""#)] {
                let report = try await api.send("GET", "/runs/\(run)/report.\(format)", body: nil)
                #expect(report.status == 200 && String(decoding: report.body, as: UTF8.self).contains(marker), "report.\(format)")
            }

            let sandbox = try await page(server, "/sandbox")
            #expect(sandbox.contains("Fault playground") && sandbox.contains(#"<label for="fault-type">"#))
            #expect(sandbox.contains("Last log lines of checkout") && sandbox.contains("listening"))
            let best = try await api.json("GET", "/api/learners/Ada/scores", body: nil)
            #expect(best["is-ads-optional"] as? Int != nil)

            // Text a learner controls is escaped everywhere, the HTML report included.
            let evil = try #require(try await api.json("POST", "/api/runs", body: #"{"lab":"is-ads-optional","learner":"<img src=x onerror=alert(1)>"}"#)["run"] as? String)
            for path in ["/runs/\(evil)", "/runs/\(evil)/summary", "/runs/\(evil)/report.html"] {
                let html = try await page(server, path)
                #expect(!html.contains("<img src=x") && html.contains("&lt;img src=x"), "\(path) escapes the learner's name")
            }
        }
    }

    private func page(_ server: LabServerProcess, _ path: String) async throws -> String {
        let response = try await APIClient(port: server.port).send("GET", path, body: nil)
        #expect(response.status == 200, "GET \(path): \(response.status)")
        return String(decoding: response.body, as: UTF8.self)
    }
}
