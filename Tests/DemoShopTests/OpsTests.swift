import Hummingbird
import HummingbirdTesting
import Testing

@testable import ShopKit
@testable import StorefrontService

/// Every service answers /healthz, /metrics, unknown routes and its admin config the same way.
@Suite struct OpsTests {
    static let unusedDependencies = ServiceOptions(
        adsURL: "http://127.0.0.1:9", checkoutURL: "http://127.0.0.1:9", cacheURL: "http://127.0.0.1:9"
    )

    @Test(arguments: ShopService.allCases)
    func healthzNamesTheService(service: ShopService) async throws {
        try await Shop.withService(service, Self.unusedDependencies) { live in
            let response = try await live.get("/healthz")
            #expect(response.status == .ok)
            #expect(response.text == #"{"service":"\#(service.rawValue)","status":"ok"}"#)
        }
    }

    @Test(arguments: ShopService.allCases)
    func metricsCountRequestsByRouteAndStatus(service: ShopService) async throws {
        try await Shop.withService(service, Self.unusedDependencies) { live in
            _ = try await live.get("/healthz")
            _ = try await live.get("/healthz")
            _ = try await live.get("/no/such/route")
            let text = try await live.get("/metrics").text
            #expect(text.contains("http_request_duration_seconds_bucket"))
            #expect(try await live.metric("http_requests_total", ["route": "/healthz", "status": "200"]) == 2)
            #expect(try await live.metric("http_requests_total", ["route": "NotFound", "status": "404"]) == 1)
            #expect(try await live.metric("request_count", ["service": service.rawValue]) >= 3)
        }
    }

    @Test func unknownRouteAnswersJSON404() async throws {
        try await Shop.withService(.cache) { cache in
            let response = try await cache.get("/nope")
            #expect(response.status == .notFound)
            #expect(response.errorMessage == "no route for GET /nope")
        }
    }

    @Test func startingStorefrontWithoutAdsURLFailsWithAClearMessage() async throws {
        let error = await #expect(throws: ShopServiceError.self) {
            _ = try await buildShopApplication(StorefrontRoutes(), options: ServiceOptions(), logger: Shop.quietLogger)
        }
        #expect(error?.description == "storefront needs --ads-url")
    }
}
