import ArgumentParser
import CacheService
import ShopKit

/// The cache executable: an in-memory key/value store, in the foreground until SIGINT or SIGTERM.
@main
struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "The demo shop's cache: an in-memory key/value store over HTTP (GET, PUT, DELETE /kv/KEY), like Redis.",
        discussion: """
            The storefront keeps its page cache in it and checkout its carts. It depends on no \
            other service:

              cache --port 9001
              curl -X PUT --data hello http://127.0.0.1:9001/kv/greeting

            It logs JSON lines to standard error, among them "listening" with the port it bound. \
            LOG_LEVEL (trace, debug, info, …) sets the level.
            """
    )

    @Option(help: "Port to listen on (0 picks a free one; the log line \"listening\" names it).")
    var port: Int = 0

    func run() async throws {
        try await runShopService(CacheRoutes(), options: ServiceOptions(port: port))
    }
}
