import Foundation
import Testing
import TestSupport

/// The browser harness, checked on a page of its own: a real headless Chromium types, clicks,
/// waits for script output, reports console errors, takes screenshots, and leaves no process
/// behind. Needs chromium and chromium-driver (scripts/setup.sh); fails, not skips, without them.
@Suite struct WebDriverHarnessTests {
    @Test func drivesAFormInHeadlessChromiumAndLeavesNoProcessBehind() async throws {
        try await TestPage.serve { pageURL in
            let session = try await withBrowser { browser in
                // Given the test page in a 1280×800 window.
                try await browser.navigate(to: pageURL)
                #expect(try await browser.title == TestPage.title)
                #expect(try await browser.currentURL == pageURL)
                #expect(try await browser.windowSize() == PixelSize(width: 1280, height: 800))
                #expect(!browser.runningProcesses().isEmpty, "the harness must see the session's Chromium processes")

                // When a name is typed in and the form submitted.
                let name = try await browser.find(css: "#name")
                try await name.sendKeys("Bob")
                try await name.clear()
                try await name.sendKeys("Ada")
                #expect(try await name.property("value") == "Ada")
                #expect(try await name.attribute("autocomplete") == "off")
                #expect(try await name.attribute("placeholder") == nil)
                try await browser.find(css: "#greeting").find(css: "#greet").click()

                // Then the greeting that the page writes 200 ms later shows.
                try await browser.waitUntil("the greeting", timeout: .seconds(5)) {
                    try await browser.find(css: "#output").text == "Hello, Ada!"
                }
                #expect(try await browser.find(css: "#output").isDisplayed)
                #expect(try await browser.findAll(css: "button").count == 3)
                #expect(try await browser.find(css: "#later").isEnabled == false)
                #expect(try await browser.findAll(css: ".none").isEmpty)
                #expect(try await browser.executeScript("return arguments[0].value + arguments[1]", args: [name.json, "!"]) == "Ada!")
                #expect(try await browser.consoleErrors() == [], "no console error before the Fail button")

                // When the Fail button calls console.error, then the error is reported.
                try await browser.waitFor(css: "#fail", timeout: .seconds(1)).click()
                try await browser.waitUntil("the console error", timeout: .seconds(5)) {
                    try await browser.consoleErrors().contains { $0.message.contains("harness check: deliberate failure") }
                }

                // A failing command names the WebDriver error.
                let missing = await #expect(throws: WebDriverError.self) { try await browser.find(css: "#missing") }
                #expect(missing?.code == "no such element")
                #expect(missing?.description.contains("#missing") == true)
                let thrown = await #expect(throws: WebDriverError.self) { try await browser.executeScript("throw new Error('kaput')") }
                #expect(thrown?.code == "javascript error")
                #expect(thrown?.description.contains("kaput") == true)

                // Screenshots are PNGs the size of the viewport, and are saved as artifacts.
                let png = try await browser.screenshot()
                #expect(PixelSize(png: png) == (try await browser.viewportSize()))
                #expect(png.count > 5_000)
                try await browser.setViewportSize(width: 800, height: 600)
                #expect(PixelSize(png: try await browser.screenshot()) == PixelSize(width: 800, height: 600))
                let saved = try await browser.saveScreenshot(named: "harness-check")
                #expect(PixelSize(png: try Data(contentsOf: saved)) == PixelSize(width: 800, height: 600))

                // The driver's folder holds the session's profile and the crash handlers' reports.
                return (chromium: browser.browserPID, chromedriver: browser.driverPID, workspace: browser.profile.deletingLastPathComponent())
            }

            // After the session: no chromedriver, no Chromium process, no profile folder.
            let chromium = try #require(session.chromium, "chromedriver reports Chromium's pid")
            #expect(!isAlive(chromium))
            #expect(!isAlive(session.chromedriver))
            #expect(BrowserProcesses.running(mentioning: session.workspace) == [])
            #expect(!FileManager.default.fileExists(atPath: session.workspace.path))
        }
    }

    @Test func missingChromedriverFailsWithTheSetupAdvice() async throws {
        var options = BrowserOptions()
        options.chromedriverPath = "/nonexistent/chromedriver"
        let error = await #expect(throws: WebDriverError.self) { try await WebDriver.start(options) }
        #expect(error?.description.contains("run scripts/setup.sh") == true)
    }
}
