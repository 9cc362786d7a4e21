import ArgumentParser
import ShopKit
import StorefrontService

/// The storefront executable: the web shop a person uses, in the foreground until SIGINT or SIGTERM.
@main
struct StorefrontCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storefront",
        abstract: "The demo shop's web shop: home page, cart and checkout, for people (HTML) and for probes (JSON).",
        discussion: """
            It calls three services: ads (the banner), checkout (cart and orders) and the cache \
            (its page cache). The lab server runs it as a child process with each URL pointing at \
            a fault proxy; to run the shop by hand, start the others first:

              cache --port 9001
              ads --port 9002
              checkout --port 9003 --cache-url http://127.0.0.1:9001
              storefront --port 9000 --ads-url http://127.0.0.1:9002 \\
                --checkout-url http://127.0.0.1:9003 --cache-url http://127.0.0.1:9001

            It logs JSON lines to standard error, among them "listening" with the port it bound. \
            LOG_LEVEL (trace, debug, info, …) sets the level.
            """
    )

    @Option(help: "Port to listen on (0 picks a free one; the log line \"listening\" names it).")
    var port: Int = 0

    @Option(help: "Base URL of the ad service, e.g. http://127.0.0.1:9002.")
    var adsURL: String

    @Option(help: "Base URL of the checkout service, e.g. http://127.0.0.1:9003.")
    var checkoutURL: String

    @Option(help: "Base URL of the cache (the page cache), e.g. http://127.0.0.1:9001.")
    var cacheURL: String

    func run() async throws {
        let options = ServiceOptions(port: port, adsURL: adsURL, checkoutURL: checkoutURL, cacheURL: cacheURL)
        try await runShopService(StorefrontRoutes(), options: options)
    }
}
