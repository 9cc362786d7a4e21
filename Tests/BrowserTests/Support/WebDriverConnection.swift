import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// WebDriverConnection sends W3C WebDriver commands to a driver on 127.0.0.1 and unwraps the
/// answers: `{"value": …}` on success, `{"value": {"error", "message", "stacktrace"}}` on failure.
struct WebDriverConnection: Sendable {
    let port: Int
    /// How long one command may take; a page load counts as one command.
    var timeout: Duration = .seconds(30)

    /// Sends one command and returns the answer's `value`.
    /// `path` starts with a slash ("/session", "/session/ID/url"); `body` goes with POST only
    /// (WebDriver wants `{}` for a POST without parameters); `timeout` replaces the usual one.
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, _ body: JSONValue = [:], timeout: Duration? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if method == .POST {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        }
        let bytes: ByteBuffer
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .init(timeout ?? self.timeout))
            bytes = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw WebDriverError.unreachable(method: method.rawValue, path: path, reason: "\(error)")
        }
        let text = String(buffer: bytes)
        guard let answer = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
              let value = answer["value"]
        else { throw WebDriverError.unexpectedAnswer(method: method.rawValue, path: path, answer: text) }
        if let error = value["error"]?.string {
            throw WebDriverError.command(
                method: method.rawValue, path: path, error: error,
                message: Self.firstLine(of: value["message"]?.string ?? ""))
        }
        return value
    }

    /// chromedriver appends "(Session info: chrome=…)" on a second line; the first says it all.
    private static func firstLine(of message: String) -> String {
        String(message.split(separator: "\n", maxSplits: 1).first ?? "")
    }
}
