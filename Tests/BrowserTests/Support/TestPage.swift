import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport

/// TestPage is a small page for the harness's own test, served on 127.0.0.1: a form whose
/// script greets the name typed in (a little later, so that a test has to wait), and a button
/// that writes to the console with `console.error`.
enum TestPage {
    static let title = "Harness check"

    static let html = """
        <!doctype html>
        <html>
        <head>
          <meta charset="utf-8">
          <title>\(title)</title>
          <link rel="icon" href="data:,">
        </head>
        <body>
          <form id="greeting">
            <label>Name <input id="name" name="name" autocomplete="off"></label>
            <button id="greet" type="submit">Greet</button>
            <button id="later" type="button" disabled>Later</button>
          </form>
          <p id="output"></p>
          <button id="fail" type="button">Fail</button>
          <script>
            document.getElementById("greeting").addEventListener("submit", event => {
              event.preventDefault();
              const name = document.getElementById("name").value;
              setTimeout(() => { document.getElementById("output").textContent = "Hello, " + name + "!"; }, 200);
            });
            document.getElementById("fail").addEventListener("click", () => {
              console.error("harness check: deliberate failure");
            });
          </script>
        </body>
        </html>
        """

    /// Serves the page at `/` on a free port of 127.0.0.1 while `body` runs; passes it the page's URL.
    static func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
        var logger = Logger(label: "test-page")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            guard let port = client.port else { throw TestFailure("the test page server has no port") }
            return try await body("http://127.0.0.1:\(port)/")
        }
    }
}
