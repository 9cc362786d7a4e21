import ArgumentParser
import AdsService
import ShopKit

/// The ads executable: an ad for a page, in the foreground until SIGINT or SIGTERM.
@main
struct AdsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ads",
        abstract: "The demo shop's ad service: an ad for a page context, as JSON (GET /ads?context=home).",
        discussion: """
            The storefront shows its answer as the banner of the home page. It depends on no \
            other service:

              ads --port 9002
              curl 'http://127.0.0.1:9002/ads?context=home'

            It logs JSON lines to standard error, among them "listening" with the port it bound. \
            LOG_LEVEL (trace, debug, info, …) sets the level.
            """
    )

    @Option(help: "Port to listen on (0 picks a free one; the log line \"listening\" names it).")
    var port: Int = 0

    func run() async throws {
        try await runShopService(AdsRoutes(), options: ServiceOptions(port: port))
    }
}
