import Foundation
import HummingbirdTesting
import Testing

@testable import LabServer

/// `toxicity: 0` means "applies to no connection", also through the Toxiproxy API: Toxiproxy
/// itself once read an explicit 0 as "not given" and applied the toxic to every connection
/// (its issue #603). The proxy's side (a 0 never applies, and costs nothing) is in FaultProxyTests.
@Suite("Toxiproxy API: toxicity 0")
struct ToxicityZeroTests {
    struct ToxicAnswer: Decodable {
        let name: String
        let toxicity: Double
    }

    @Test("an explicit toxicity 0 is kept on create and on update; a toxic given none gets 1")
    func zeroIsKept() async throws {
        try await InProcessServer().test { client in
            let created = try await client.call(.post, "/proxies/storefront-ads/toxics",
                                                json: #"{"name":"never","type":"latency","attributes":{"latency":1000},"toxicity":0}"#)
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            #expect(try created.json(ToxicAnswer.self).toxicity == 0)
            let read = try await client.call(.get, "/proxies/storefront-ads/toxics/never")
            #expect(try read.json(ToxicAnswer.self).toxicity == 0)

            let always = try await client.call(.post, "/proxies/storefront-ads/toxics", json: #"{"name":"always","type":"noop"}"#)
            #expect(try always.json(ToxicAnswer.self).toxicity == 1, "no toxicity given: every connection")
            let updated = try await client.call(.post, "/proxies/storefront-ads/toxics/always", json: #"{"toxicity":0}"#)
            #expect(updated.status == .ok, "\(String(buffer: updated.body))")
            #expect(try updated.json(ToxicAnswer.self).toxicity == 0, "an update to 0 is not read as 'not given'")
            let untouched = try await client.call(.post, "/proxies/storefront-ads/toxics/never", json: #"{"attributes":{"latency":500}}"#)
            #expect(try untouched.json(ToxicAnswer.self).toxicity == 0, "an update that names no toxicity keeps 0")
        }
    }
}
