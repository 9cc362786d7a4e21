import Hummingbird
import ShopDependencyClient
import ShopKit
import ShopModel

/// CheckoutClient calls checkout for the storefront: cart, add item, place order.
///
/// Each call is retried `checkout_retries` times on a 5xx, a timeout or a connection error (never on a 4xx),
/// waiting `retry_backoff_ms` before the first retry and twice as long before each next one; with the default
/// backoff of 0 retries go out at once, which amplifies load on a struggling checkout.
struct CheckoutClient: Sendable {
    let checkout: DependencyClient
    let knobs: KnobStore<StorefrontKnobs>

    struct AddItem: Codable {
        let sku: String
        let qty: Int
    }

    struct PlaceOrder: Codable {
        let cartId: String
    }

    func cart(_ session: String) async throws -> Cart {
        try await call("GET", "/carts/\(session)", body: nil)
    }

    func addItem(sku: String, to session: String) async throws -> Cart {
        try await call("POST", "/carts/\(session)/items", body: ShopJSON.encode(AddItem(sku: sku, qty: 1)))
    }

    func placeOrder(for session: String) async throws -> Order {
        try await call("POST", "/orders", body: ShopJSON.encode(PlaceOrder(cartId: session)))
    }

    private func call<T: Decodable>(_ method: String, _ path: String, body: ByteBuffer?) async throws -> T {
        let knobs = await knobs.current
        var attempt = 0
        while true {
            do {
                let answer = try await checkout.send(method, path, body: body, timeoutMS: knobs.checkoutTimeoutMs)
                guard answer.isSuccess else {
                    throw DependencyError.failed(
                        dependency: checkout.name, status: answer.status, message: answer.errorMessage
                    )
                }
                return try answer.decode(T.self, from: checkout.name)
            } catch let error as DependencyError where error.isRetryable && attempt < knobs.checkoutRetries {
                attempt += 1
                if knobs.retryBackoffMs > 0 {
                    let wait = knobs.retryBackoffMs << min(attempt - 1, 10)
                    try await Task.sleep(for: .milliseconds(wait))
                }
            }
        }
    }
}
