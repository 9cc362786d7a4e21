import ArgumentParser
import DemoShop
import Foundation

/// Runs one demo service in this process: what the sandbox launches, and a way to run a service standalone.
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Run one demo service (storefront, checkout, cache or ads) in the foreground.",
        discussion: """
            The lab server runs each service this way as a child process. To run one by hand:

              chaoslab service cache --port 9001
              chaoslab service checkout --port 9002 --cache-url http://127.0.0.1:9001
            """
    )

    @Argument(help: "The service: storefront, checkout, cache or ads.")
    var name: String

    @Option(help: "Port to listen on (0 picks a free one; the log line \"listening\" names it).")
    var port: Int = 0

    @Option(help: "Base URL of the ad service (storefront).")
    var adsURL: String?

    @Option(help: "Base URL of the checkout service (storefront).")
    var checkoutURL: String?

    @Option(help: "Base URL of the cache (storefront's page cache, checkout's cart storage).")
    var cacheURL: String?

    func validate() throws {
        guard ShopService(rawValue: name) != nil else {
            throw ValidationError("unknown service '\(name)'; choose one of: \(ShopService.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let options = ServiceOptions(port: port, adsURL: adsURL, checkoutURL: checkoutURL, cacheURL: cacheURL)
        try await runShopService(ShopService(rawValue: name)!, options: options)
    }
}
