/// ShopService names one of the four demo services; the raw value is its name on the command line and in logs.
public enum ShopService: String, CaseIterable, Sendable {
    /// The web shop a person uses; depends on ads, checkout and cache (page cache).
    case storefront
    /// Carts and orders; keeps carts in the cache.
    case checkout
    /// An in-memory key/value store, like Redis.
    case cache
    /// Returns an ad for a page context.
    case ads
}

/// ServiceOptions says where a service listens and where its dependencies answer.
public struct ServiceOptions: Sendable {
    /// Address to bind.
    public var host: String
    /// Port to bind; 0 picks a free port (the real one is logged in the "listening" line).
    public var port: Int
    /// Base URL of ads, e.g. "http://127.0.0.1:40001" (storefront only).
    public var adsURL: String?
    /// Base URL of checkout (storefront only).
    public var checkoutURL: String?
    /// Base URL of cache (storefront's page cache, checkout's cart storage).
    public var cacheURL: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        adsURL: String? = nil,
        checkoutURL: String? = nil,
        cacheURL: String? = nil
    ) {
        self.host = host
        self.port = port
        self.adsURL = adsURL
        self.checkoutURL = checkoutURL
        self.cacheURL = cacheURL
    }

    /// The dependency URL for `flag`, checked and without a trailing slash.
    func requiredURL(_ url: String?, flag: String, for service: ShopService) throws -> String {
        guard let url, !url.isEmpty else {
            throw ShopServiceError("\(service.rawValue) needs \(flag)")
        }
        guard url.hasPrefix("http://") else {
            throw ShopServiceError("\(flag) must be an http:// URL, got '\(url)'")
        }
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}

/// ShopServiceError reports options a service cannot start with, e.g. "storefront needs --ads-url".
public struct ShopServiceError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
