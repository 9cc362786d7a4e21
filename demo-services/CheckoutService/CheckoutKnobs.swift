import ShopKit

/// CheckoutKnobs are checkout's resilience knobs; the defaults carry the shop's flaws.
package struct CheckoutKnobs: ServiceKnobs {
    /// Timeout of each call to the cache, in milliseconds; 0 = none (flaw: a hung cache hangs checkout).
    var cacheTimeoutMs = 0
    /// When the cache fails or times out, keep carts in checkout's own memory (flaw: off, carts fail with 503).
    var cartFallback = false

    package init() {}
}
