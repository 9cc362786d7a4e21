import Foundation
import Testing
import TestSupport

/// A learner takes is-ads-optional in a real headless Chromium, from the home page to the
/// summary, in quick mode: every step goes through the page as a person would, and the
/// page must say the right thing at each step. Screenshots of each page are saved as
/// test artifacts (.build/test-artifacts/browser/).
@Suite(.serialized) struct LabInTheBrowserTests {
    @Test func isAdsOptionalFromHomeToSummary() async throws {
        try await withLabServer { server in
            let base = "http://127.0.0.1:\(server.port)"
            try await withBrowser { browser in
                try await browser.setViewportSize(width: 1280, height: 800)

                // Home: the labs, a name, quick mode, start.
                try await browser.navigate(to: base + "/")
                #expect(try await browser.title == "Labs · chaoslab")
                #expect(try await browser.find(css: "#halt-bar").isDisplayed == false, "no halt bar without faults")
                try await browser.saveScreenshot(named: "01-home")
                try await browser.find(css: "#learner").sendKeys("Ada")
                try await browser.find(css: "#quick").click()
                try await browser.find(css: #"button.start-lab[data-lab="is-ads-optional"]"#).click()
                try await browser.waitUntil("the run page", timeout: .seconds(10)) { try await browser.currentURL.contains("/runs/") }

                // Exercise 1: the brief, the diagram, the hypothesis; the attack is locked.
                #expect(try await browser.waitFor(css: "#exercise-title").text == "Exercise 1 of 2: Block the ad service")
                #expect(try await browser.find(css: ".brief").text.contains("blackholes"))
                #expect(try await browser.find(css: ".claimed svg").text.contains("under attack"))
                #expect(try await browser.find(css: "#start-attack").isEnabled == false)
                try await browser.saveScreenshot(named: "02-exercise")
                // Before any fault: predict the map (browse uses only the cache, says this learner), then see it.
                try await browser.find(css: "#predict-browse-storefront-cache").click()
                try await browser.find(css: "#draw-run-map").click()
                try await browser.waitUntil("the map", timeout: .seconds(10)) {
                    try await browser.find(css: "#run-map").text.contains("The traffic questions the claim: storefront->ads: claimed optional")
                }
                let drawn = try await browser.find(css: "#run-map").text
                #expect(drawn.contains("✗ browse used storefront->ads; you did not expect it"), "\(drawn)")
                #expect(drawn.contains("Your prediction: "), "\(drawn)")
                // A wrong prediction: the page says so, and shows the hints.
                try await experiment(browser, predict: "works", expectVerdict: "✗ Not as you predicted: you said works; the checkout journey broke.")
                try await browser.saveScreenshot(named: "05-outcome-wrong")
                try await browser.find(css: "#next-step").click()

                // Exercise 2: the fix, verified under the same fault.
                try await browser.waitUntil("exercise 2", timeout: .seconds(10)) {
                    try await browser.find(css: "#exercise-title").text.hasPrefix("Exercise 2 of 2")
                }
                #expect(try await browser.find(css: ".fix").text.contains("ads_timeout_ms"))
                #expect(try await browser.find(css: "#knob-storefront-ads_timeout_ms").property("value") == "300")
                _ = try await browser.executeScript("document.querySelector('#fix-form').scrollIntoView({block: 'center'})")
                try await browser.saveScreenshot(named: "05b-fix-exercise")
                try await browser.find(css: "#save-fix").click()
                try await browser.waitUntil("the fix saved", timeout: .seconds(5)) {
                    try await browser.find(css: "#fix-status").text == "These settings will be applied."
                }
                try await experiment(browser, predict: "works", expectVerdict: "✓ As you predicted: the checkout journey kept working.", exercise: 2)
                let debrief = try await browser.find(css: ".debrief").text
                #expect(debrief.hasPrefix("With a 300 ms timeout and the fallback on, "), "\(debrief)")
                #expect(debrief.contains(try Regex(#"checkout keeps its objective: (99|100)% success, p95 \d+ ms\."#)), "measured: \(debrief)")
                try await browser.saveScreenshot(named: "05c-outcome-fix")
                try await browser.find(css: "#next-step").click()

                // The diagram starts from the team's claim, with the run's evidence beside each edge;
                // press edges to mark them critical.
                try await browser.waitFor(css: "#diagram-step", timeout: .seconds(10))
                #expect(try await browser.find(css: "#edge-storefront-checkout").property("checked") == true, "claimed critical")
                #expect(try await browser.find(css: "label[for=edge-storefront-ads]").text
                        == "storefront → ads is critical (claimed not critical; your experiments: critical)")
                #expect(try await browser.find(css: "label[for=edge-checkout-cache]").text.hasSuffix("your experiments: not tested)"))
                let adsEdge = try await browser.find(css: #"#diagram-step g[data-edge="storefront->ads"]"#)
                #expect(try await adsEdge.attribute("aria-pressed") == "false")
                try await adsEdge.click()
                #expect(try await adsEdge.attribute("aria-pressed") == "true", "pressing an edge marks it critical")
                #expect(try await browser.find(css: "#edge-storefront-ads").property("checked") == true, "the checkbox follows")
                try await browser.find(css: "#edge-checkout-cache").click()
                try await browser.saveScreenshot(named: "06-diagram")
                try await browser.find(css: "#finish-run").click()
                try await browser.waitUntil("the summary", timeout: .seconds(10)) { try await browser.currentURL.hasSuffix("/summary") }

                // The summary: the score, predictions beside outcomes, the diagrams, the timeline, the downloads.
                let score = try await browser.waitFor(css: "#score").text
                #expect(score.hasPrefix("Score ") && !score.hasPrefix("Score 100"), "one prediction was wrong: \(score)")
                let predictions = try await browser.find(css: "table.predictions").text
                #expect(predictions.contains("✗ not as predicted") && predictions.contains("✓ as predicted"), "\(predictions)")
                #expect(try await browser.find(css: "#diagrams-heading + .notice").text.contains("storefront->ads"))
                #expect(try await browser.findAll(css: ".diagrams svg").count == 3)
                #expect(try await browser.find(css: "#map-questions").text.contains("storefront->ads: claimed optional"),
                        "the summary shows the run's map")
                #expect(try await browser.find(css: ".timeline").text.contains("fault injected: blackhole on storefront->ads"))
                #expect(try await browser.findAll(css: ".downloads a").count == 3)
                try await browser.saveScreenshot(named: "07-summary")
                try await browser.setViewportSize(width: 1280, height: 1500)  // the diagrams side by side too
                try await browser.saveScreenshot(named: "07b-summary-whole")

                #expect(try await browser.consoleErrors() == [], "the browser console logged no errors")
            }
        }
    }

    /// The learner's own fix breaks the shop (the fallback off): the verdict, the debrief, the
    /// points and the summary all say it did not hold.
    @Test func aFixThatBreaksTheShopIsToldSo() async throws {
        try await withLabServer { server in
            let base = "http://127.0.0.1:\(server.port)"
            try await withBrowser { browser in
                try await browser.setViewportSize(width: 1280, height: 800)
                try await browser.navigate(to: base + "/")
                try await browser.find(css: "#learner").sendKeys("Linus")
                try await browser.find(css: "#quick").click()
                try await browser.find(css: #"button.start-lab[data-lab="is-ads-optional"]"#).click()
                try await browser.waitUntil("the run page", timeout: .seconds(10)) { try await browser.currentURL.contains("/runs/") }
                try await experiment(browser, predict: "broken", expectVerdict: "✓ As you predicted: the checkout journey broke.",
                                     shots: "broken-fix-")
                try await browser.find(css: "#next-step").click()
                try await browser.waitUntil("exercise 2", timeout: .seconds(10)) {
                    try await browser.find(css: "#exercise-title").text.hasPrefix("Exercise 2 of 2")
                }
                // The question names the settings as they stand, and follows the learner's changes.
                let question = { try await browser.find(css: "#hypothesis-form legend").text }
                let asked = try await question()
                #expect(asked.contains("ad timeout at 300 ms and the fallback on"), "\(asked)")
                // A shorter timeout without the fallback: a hang becomes a fast error, and the page still fails.
                let timeout = try await browser.find(css: "#knob-storefront-ads_timeout_ms")
                try await timeout.clear()
                try await timeout.sendKeys("250")
                try await browser.find(css: "#knob-storefront-ads_fallback").click()
                try await browser.waitUntil("the question names the new settings", timeout: .seconds(5)) {
                    try await question().contains("ad timeout at 250 ms and the fallback off")
                }
                try await browser.find(css: "#save-fix").click()
                try await browser.waitUntil("the fix saved", timeout: .seconds(5)) {
                    try await browser.find(css: "#fix-status").text == "These settings will be applied."
                }
                try await experiment(browser, predict: "works", expectVerdict: "✗ Not as you predicted: you said works; the checkout journey broke.",
                                     exercise: 2, shots: "broken-fix-")
                let debrief = try await browser.find(css: ".debrief").text
                #expect(debrief.hasPrefix("The fix did not hold: with the ad timeout at 250 ms and the fallback off, "),
                        "the debrief follows the measurement and names the settings: \(debrief)")
                #expect(debrief.contains("% of checkouts succeeded under the same blackhole ("), "the measured share: \(debrief)")
                #expect(!debrief.contains("{") && !debrief.contains("…"), "every placeholder filled: \(debrief)")
                #expect(!debrief.contains("keeps its SLO. The dependency is now optional"), "not the text for a fix that holds")
                try await browser.saveScreenshot(named: "09-fix-did-not-hold")
                try await browser.find(css: "#next-step").click()
                try await browser.waitFor(css: "#diagram-step", timeout: .seconds(10))
                try await browser.find(css: "#finish-run").click()
                try await browser.waitUntil("the summary", timeout: .seconds(10)) { try await browser.currentURL.hasSuffix("/summary") }
                let breakdown = try await browser.find(css: "#breakdown-heading + ul").text
                #expect(breakdown.contains("fix fix-ads: 0/10") && breakdown.contains("the fix did not hold"), "\(breakdown)")
                let predictions = try await browser.find(css: "table.predictions").text
                #expect(predictions.contains("checkout broken"), "\(predictions)")
            }
        }
    }

    /// A run left after its first exercise (the tab closed): the home page offers it under the
    /// learner's name; Continue goes back to the second exercise, Abandon ends it with a
    /// summary that says so. The map page draws the traffic of the lab's journeys.
    @Test func anUnfinishedRunContinuesOrIsAbandoned() async throws {
        try await withLabServer { server in
            let base = "http://127.0.0.1:\(server.port)"
            try await withBrowser { browser in
                try await browser.setViewportSize(width: 1280, height: 800)
                try await browser.navigate(to: base + "/")
                try await browser.find(css: "#learner").sendKeys("Grace Hopper")
                try await browser.find(css: "#quick").click()
                try await browser.find(css: #"button.start-lab[data-lab="is-ads-optional"]"#).click()
                try await browser.waitUntil("the run page", timeout: .seconds(10)) { try await browser.currentURL.contains("/runs/") }
                try await experiment(browser, predict: "broken", expectVerdict: "✓ As you predicted: the checkout journey broke.",
                                     shots: "unfinished-")

                // The learner leaves; back home, the run waits under their name.
                try await browser.navigate(to: base + "/")
                let left = try await browser.waitFor(css: "#open-runs li").text
                #expect(left.contains("Is the ad service really optional? — 1 of 2 exercises done, next: Make ads truly optional"), "\(left)")
                try await browser.saveScreenshot(named: "unfinished-home")
                try await browser.find(css: "#open-runs a.continue-run").click()
                try await browser.waitUntil("exercise 2", timeout: .seconds(10)) {
                    try await browser.find(css: "#exercise-title").text.hasPrefix("Exercise 2 of 2")
                }

                try await browser.navigate(to: base + "/")
                try await browser.waitFor(css: "#open-runs li").find(css: "button.abandon-run").click()
                try await browser.waitUntil("the summary", timeout: .seconds(10)) { try await browser.currentURL.hasSuffix("/summary") }
                #expect(try await browser.find(css: "#abandoned-note").text.hasPrefix("This run was abandoned after 1 of 2 exercises"))
                try await browser.navigate(to: base + "/")
                #expect(try await browser.find(css: "#unfinished").isDisplayed == false, "nothing left to continue")

                // The map of the lab's journeys, before any fault.
                try await browser.navigate(to: base + "/map?lab=is-ads-optional")
                try await browser.find(css: "#draw-map").click()
                let row = try await browser.waitFor(css: #"table.map[data-journey="checkout"] tr[data-edge="storefront->ads"]"#).text
                #expect(row.contains("optional on 100% of iterations"), "\(row)")
                #expect(try await browser.find(css: "#map-disagreements").text
                        .contains("storefront->ads: claimed optional, carried on 100% of browse and checkout journeys"))
                try await browser.saveScreenshot(named: "10-map")
                #expect(try await browser.consoleErrors() == [], "the browser console logged no errors")
            }
        }
    }

    /// take-the-temperature's first exercise with real monitoring: the learner predicts that the
    /// experiment must not go ahead, the lab's weather fires an alert, the status check refuses
    /// the attack, the page says the prediction was right, and the next exercise follows.
    @Test func aRefusalIsTheRightAnswer() async throws {
        try await withLabServer(arguments: ["--monitoring"]) { server in
            let base = "http://127.0.0.1:\(server.port)"
            try await withBrowser { browser in
                try await browser.setViewportSize(width: 1280, height: 800)
                try await browser.navigate(to: base + "/")
                try await browser.find(css: "#learner").sendKeys("Grace")
                try await browser.find(css: "#quick").click()
                try await browser.find(css: #"button.start-lab[data-lab="take-the-temperature"]"#).click()
                try await browser.waitUntil("the run page", timeout: .seconds(10)) { try await browser.currentURL.contains("/runs/") }
                #expect(try await browser.waitFor(css: "#exercise-title").text == "Exercise 1 of 2: Should the experiment go ahead?")
                #expect(try await browser.find(css: "label[for=outcome-refused]").text.contains("refuses the attack"))

                try await browser.find(css: "#outcome-refused").click()
                try await browser.find(css: "#save-hypothesis").click()
                try await browser.waitUntil("the hypothesis saved", timeout: .seconds(5)) {
                    try await browser.find(css: "#hypothesis-status").text == "Saved: refused."
                }
                // Before the run the shop is healthy: the learner's own status check passes.
                try await browser.find(css: "#status-check").click()
                try await browser.waitUntil("the status check", timeout: .seconds(20)) {
                    try await browser.find(css: "#status-result").text.hasPrefix("✔ Steady state holds")
                }
                try await browser.find(css: "#start-attack").click()
                // The weather goes in, shows in Alertmanager, the attack is refused, the weather clears.
                try await browser.waitUntil("the outcome", timeout: .seconds(75)) { try await browser.find(css: "#outcome").isDisplayed }
                let verdict = try await browser.find(css: "#outcome-verdict").text
                #expect(verdict.hasPrefix("✓ As you predicted: the status check refused the attack"), "\(verdict)")
                #expect(verdict.contains("no-incident") && verdict.contains("StorefrontErrors"), "the evidence: \(verdict)")
                try await browser.saveScreenshot(named: "08-refused")
                try await browser.find(css: "#next-step").click()
                try await browser.waitUntil("exercise 2", timeout: .seconds(10)) {
                    try await browser.find(css: "#exercise-title").text.hasPrefix("Exercise 2 of 2")
                }
                #expect(try await browser.consoleErrors() == [], "the browser console logged no errors")
            }
        }
    }

    /// Hypothesis, status check, attack with its live chart, and the outcome.
    /// One exercise's hypothesis, status check and attack; its screenshots are named after `shots`
    /// and the exercise's number (the walkthrough's pictures come from the first test).
    private func experiment(_ browser: Browser, predict outcome: String, expectVerdict verdict: String, exercise: Int = 1,
                            shots: String = "") async throws {
        try await browser.find(css: "#outcome-\(outcome)").click()
        try await browser.find(css: "#save-hypothesis").click()
        try await browser.waitUntil("the hypothesis saved", timeout: .seconds(5)) {
            try await browser.find(css: "#hypothesis-status").text == "Saved: \(outcome)."
        }
        #expect(try await browser.find(css: "#start-attack").isEnabled == false, "still locked: no status check yet")

        try await browser.find(css: "#status-check").click()
        try await browser.waitUntil("the status check", timeout: .seconds(20)) {
            try await browser.find(css: "#status-result").text.hasPrefix("✔ Steady state holds")
        }
        #expect(try await browser.findAll(css: "#chart circle").count >= 2, "the chart shows the status check's seconds")
        #expect(try await browser.find(css: "#start-attack").isEnabled)
        try await browser.saveScreenshot(named: "\(shots)03-status-check-\(exercise)")

        try await browser.find(css: "#start-attack").click()
        try await browser.waitUntil("the fault window", timeout: .seconds(20)) {
            try await !browser.findAll(css: "#chart rect.fault-window").isEmpty
        }
        #expect(try await browser.find(css: "#countdown").text.hasPrefix("Fault active"))
        #expect(try await browser.find(css: "#outcome-\(outcome)").isEnabled == false, "the hypothesis is locked once the attack starts")
        try await browser.waitUntil("the halt bar", timeout: .seconds(3)) { try await browser.find(css: "#halt-bar").isDisplayed }
        try await browser.waitUntil("an attack sample", timeout: .seconds(5)) {
            try await browser.find(css: "#chart-latest").text.hasPrefix("attack")
        }
        try await browser.waitUntil("what the fault has met", timeout: .seconds(5)) {
            try await browser.find(css: "#fault-contact").text.hasPrefix("The fault has met ")
        }
        _ = try await browser.executeScript("document.querySelector('#start-attack').scrollIntoView({block: 'start'})")
        try await browser.saveScreenshot(named: "\(shots)04-attack-\(exercise)")

        try await browser.waitUntil("the outcome", timeout: .seconds(30)) { try await browser.find(css: "#outcome").isDisplayed }
        #expect(try await browser.find(css: "#outcome-verdict").text == verdict)
        #expect(try await browser.find(css: "#outcome-measurements").text.contains("checkout:"))
        let right = verdict.hasPrefix("✓")
        let hints = try #require(try await browser.findAll(css: "#hints").first, "the lab has hints")
        #expect(try await hints.isDisplayed == !right, right ? "no hints after a right prediction" : "hints after a wrong prediction")
        #expect(try await browser.find(css: ".debrief").isDisplayed == right, "after a wrong prediction the hints come before the debrief")
        if !right {
            _ = try await browser.executeScript("document.querySelector('#outcome').scrollIntoView({block: 'start'})")
            try await browser.saveScreenshot(named: "\(shots)05a-hints-\(exercise)")
            try await browser.find(css: "#show-debrief").click()
        }
        #expect(try await browser.find(css: ".debrief").text.isEmpty == false)
    }
}
