import AsyncHTTPClient
import Foundation
import LabEngine
import NIOCore
import NIOHTTP1

/// The status checks' HTTP port: one real request, timed from send to the last byte.
package struct HTTPCheckClient: CheckHTTPClient {
    package let client: HTTPClient

    package init(client: HTTPClient) {
        self.client = client
    }

    package func fetch(_ request: CheckHTTPRequest, timeout: Duration) async -> CheckHTTPResponse {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double { (clock.now - start).seconds * 1000 }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(string: body)) }
        do {
            let response = try await client.execute(outgoing, timeout: TimeAmount(timeout))
            let body = try await response.body.collect(upTo: 1 << 20)
            return .answered(status: Int(response.status.code), body: String(buffer: body), elapsedMs: elapsed())
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return .failed(reason: "no answer within \(DurationParser.format(timeout))", elapsedMs: elapsed())
        } catch {
            let text = String(describing: error)
            return .failed(reason: text.count > 120 ? String(text.prefix(120)) : text, elapsedMs: elapsed())
        }
    }
}
