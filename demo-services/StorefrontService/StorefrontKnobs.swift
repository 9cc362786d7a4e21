import ShopKit

/// StorefrontKnobs are storefront's resilience knobs; the defaults carry the shop's flaws.
package struct StorefrontKnobs: ServiceKnobs {
    /// Timeout of the page cache read and write-back, in milliseconds.
    var pageCacheTimeoutMs = 100
    /// On a page cache failure compute the listing and go on (true: this edge really is optional).
    var pageCacheFallback = true
    /// Timeout of the call to ads, in milliseconds; 0 = none (flaw: a hung ads hangs the page).
    var adsTimeoutMs = 0
    /// On an ads failure render the page without a banner (flaw: off, the page fails with 502).
    var adsFallback = false
    /// Timeout of each call to checkout (cart count, add item, order), in milliseconds; 0 = none (flaw).
    var checkoutTimeoutMs = 0
    /// On a cart count failure render the page with `cart_count: null` (flaw: off, the page fails with 502).
    var cartCountFallback = false
    /// Retries of a failed call to checkout (5xx, timeout, connection error; never a 4xx).
    var checkoutRetries = 2
    /// Wait before the first retry, in milliseconds, doubling on each next one; 0 = retry at once (flaw).
    var retryBackoffMs = 0

    package init() {}
}
