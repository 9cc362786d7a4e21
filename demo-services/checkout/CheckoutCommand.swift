import ArgumentParser
import CheckoutService
import ShopKit

/// The checkout executable: carts and orders, in the foreground until SIGINT or SIGTERM.
@main
struct CheckoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: "The demo shop's checkout: carts (kept in the cache) and orders, as JSON.",
        discussion: """
            The lab server runs it as a child process, its cache URL pointing at a fault proxy. \
            By hand, with a cache already running:

              cache --port 9001
              checkout --port 9003 --cache-url http://127.0.0.1:9001

            It logs JSON lines to standard error, among them "listening" with the port it bound. \
            LOG_LEVEL (trace, debug, info, …) sets the level.
            """
    )

    @Option(help: "Port to listen on (0 picks a free one; the log line \"listening\" names it).")
    var port: Int = 0

    @Option(help: "Base URL of the cache that keeps the carts, e.g. http://127.0.0.1:9001.")
    var cacheURL: String

    func run() async throws {
        try await runShopService(CheckoutRoutes(), options: ServiceOptions(port: port, cacheURL: cacheURL))
    }
}
