import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import AdsService
@testable import CacheService
@testable import CheckoutService
@testable import ShopKit
@testable import ShopModel
@testable import StorefrontService

/// LiveService is one service running on a real port on 127.0.0.1 for the length of a test.
struct LiveService: Sendable {
    let client: any TestClientProtocol
    let port: Int

    var url: String { "http://127.0.0.1:\(port)" }

    func get(_ path: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: headers, body: nil)
    }

    func post(_ path: String, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    func put(_ path: String, body: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .put, body: ByteBuffer(string: body))
    }

    func delete(_ path: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .delete)
    }

    /// Sets knobs through the admin endpoint and checks that they were taken.
    func setKnobs(_ json: String) async throws {
        let response = try await put("/admin/config", body: json)
        #expect(response.status == .ok, "PUT /admin/config \(json): \(response.text)")
    }

    /// The value of one Prometheus sample whose labels include `labels`, or 0 when absent.
    func metric(_ name: String, _ labels: [String: String] = [:]) async throws -> Double {
        let text = try await get("/metrics").text
        return text.split(separator: "\n").compactMap { line -> Double? in
            guard line.hasPrefix(name + "{") || line.hasPrefix(name + " ") else { return nil }
            guard labels.allSatisfy({ line.contains("\($0.key)=\"\($0.value)\"") }) else { return nil }
            return line.split(separator: " ").last.flatMap { Double($0) }
        }.reduce(0, +)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try ShopJSON.decode(type, from: body)
    }

    var errorMessage: String? { try? json(ErrorBody.self).error }
}

/// The running shop: every service, with storefront and checkout wired to the others unless a test
/// points an edge somewhere else (a closed port, a blackhole).
struct LiveShop: Sendable {
    let storefront: LiveService
    let checkout: LiveService
    let cache: LiveService
    let ads: LiveService
}

enum Shop {
    static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `service` on its own routes, as its executable does.
    static func withService<T: Sendable>(
        _ service: ShopService,
        _ options: ServiceOptions = ServiceOptions(),
        _ body: @Sendable (LiveService) async throws -> T
    ) async throws -> T {
        switch service {
        case .storefront: try await withRoutes(StorefrontRoutes(), options, body)
        case .checkout: try await withRoutes(CheckoutRoutes(), options, body)
        case .cache: try await withRoutes(CacheRoutes(), options, body)
        case .ads: try await withRoutes(AdsRoutes(), options, body)
        }
    }

    private static func withRoutes<T: Sendable>(
        _ routes: some ShopServiceRoutes,
        _ options: ServiceOptions,
        _ body: @Sendable (LiveService) async throws -> T
    ) async throws -> T {
        let app = try await buildShopApplication(routes, options: options, logger: quietLogger)
        return try await app.test(.live) { client in
            try await body(LiveService(client: client, port: try #require(client.port)))
        }
    }

    /// Runs the four services; `adsURL`, `pageCacheURL`, `checkoutURL` and `cartCacheURL` replace an edge's target.
    static func withShop(
        adsURL: String? = nil,
        pageCacheURL: String? = nil,
        checkoutURL: String? = nil,
        cartCacheURL: String? = nil,
        _ body: @Sendable (LiveShop) async throws -> Void
    ) async throws {
        try await withService(.cache) { cache in
            try await withService(.ads) { ads in
                try await withService(.checkout, ServiceOptions(cacheURL: cartCacheURL ?? cache.url)) { checkout in
                    let options = ServiceOptions(
                        adsURL: adsURL ?? ads.url,
                        checkoutURL: checkoutURL ?? checkout.url,
                        cacheURL: pageCacheURL ?? cache.url
                    )
                    try await withService(.storefront, options) { storefront in
                        try await body(LiveShop(storefront: storefront, checkout: checkout, cache: cache, ads: ads))
                    }
                }
            }
        }
    }
}

/// HomeJSON is `/api/home` as a test reads it.
struct HomeJSON: Decodable {
    let products: [Product]
    let ad: Ad?
    let cartCount: Int?
    let pageCache: String
}

extension HTTPFields {
    static func session(_ id: String) -> HTTPFields {
        [.init("X-Session")!: id]
    }
}
