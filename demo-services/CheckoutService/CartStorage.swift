import Hummingbird
import Logging
import ShopDependencyClient
import ShopKit
import ShopModel

/// CartStorage keeps carts in the cache under `cart:{id}`, and in its own memory when the cache fails and
/// the `cart_fallback` knob allows it. Without the fallback a cache failure is a 503 "cart storage unavailable".
struct CartStorage: Sendable {
    let cache: DependencyClient
    let knobs: KnobStore<CheckoutKnobs>
    let local: LocalCarts
    let logger: Logger

    /// The JSON stored in the cache for one cart.
    struct StoredCart: Codable {
        var items: [CartItem]
    }

    func items(of cartID: String) async throws -> [CartItem] {
        try await withFallback(cartID, fallback: { await local.items(of: cartID) }) { timeout in
            let answer = try await cache.send("GET", "/kv/cart:\(cartID)", timeoutMS: timeout)
            if answer.status == 404 { return [] }
            guard answer.isSuccess else { throw failure(answer) }
            return try answer.decode(StoredCart.self, from: cache.name).items
        }
    }

    func save(_ items: [CartItem], for cartID: String) async throws {
        try await withFallback(cartID, fallback: { await local.save(items, for: cartID) }) { timeout in
            let body = ShopJSON.encode(StoredCart(items: items))
            let answer = try await cache.send("PUT", "/kv/cart:\(cartID)", body: body, timeoutMS: timeout)
            guard answer.isSuccess else { throw failure(answer) }
        }
    }

    func clear(_ cartID: String) async throws {
        await local.save([], for: cartID)
        try await withFallback(cartID, fallback: {}) { timeout in
            let answer = try await cache.send("DELETE", "/kv/cart:\(cartID)", timeoutMS: timeout)
            guard answer.isSuccess else { throw failure(answer) }
        }
    }

    private func failure(_ answer: DependencyClient.Answer) -> DependencyError {
        .failed(dependency: cache.name, status: answer.status, message: answer.errorMessage)
    }

    private func withFallback<T: Sendable>(
        _ cartID: String,
        fallback: () async -> T,
        _ operation: (_ timeoutMS: Int) async throws -> T
    ) async throws -> T {
        let knobs = await knobs.current
        do {
            return try await operation(knobs.cacheTimeoutMs)
        } catch let error as DependencyError {
            guard knobs.cartFallback else {
                throw ShopHTTPError(.serviceUnavailable, "cart storage unavailable: \(error.reason)")
            }
            logger.warning("cart storage degraded: using local memory", metadata: [
                "cart_id": "\(cartID)", "error": "\(error)",
            ])
            return await fallback()
        }
    }
}

/// LocalCarts is checkout's own memory of carts, used only by the cart fallback.
actor LocalCarts {
    private var carts: [String: [CartItem]] = [:]

    func items(of cartID: String) -> [CartItem] { carts[cartID] ?? [] }
    func save(_ items: [CartItem], for cartID: String) { carts[cartID] = items }
}
