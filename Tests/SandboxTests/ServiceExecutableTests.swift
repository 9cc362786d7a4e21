import Foundation
import TestSupport
import Testing
@testable import Sandbox

#if canImport(Glibc)
import Glibc
#endif

/// The four demo services as the executables the sandbox runs, started by hand.
struct ServiceExecutableTests {
    @Test("each service's --help says what it is and names its options", arguments: [
        ("storefront", ["--port", "--ads-url", "--checkout-url", "--cache-url"]),
        ("checkout", ["--port", "--cache-url"]),
        ("cache", ["--port"]),
        ("ads", ["--port"]),
    ])
    func helpTeaches(service: String, options: [String]) async throws {
        let process = try TestProcess(executable: try serviceBinary(service), ["--help"])
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        let help = process.lines.joined(separator: "\n")
        #expect(help.contains("USAGE: \(service)"), "\(help)")
        #expect(help.contains("demo shop"), "\(help)")
        for option in options { #expect(help.contains(option), "\(service) --help names \(option)") }
    }

    @Test("a service on port 0 logs \"listening\" with the port it bound, and stops on SIGTERM")
    func logsItsRealPort() async throws {
        let cache = try TestProcess(executable: try serviceBinary("cache"), ["--port", "0"])
        let line = await cache.waitForLine(containing: #""msg":"listening""#, timeout: .seconds(30))
        let port = line.flatMap { text -> Int? in
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            return object?["port"] as? Int ?? (object?["port"] as? String).flatMap(Int.init)
        }
        #expect(port.map { $0 > 0 } == true, "\(cache.lines)")
        cache.signal(SIGTERM)
        #expect(await cache.waitForExit(timeout: .seconds(10)) == 0)
    }

    @Test("the storefront without its dependencies' URLs says which option is missing")
    func storefrontNeedsItsDependencies() async throws {
        let process = try TestProcess(executable: try serviceBinary("storefront"), ["--port", "0", "--cache-url", "http://127.0.0.1:1"])
        #expect(await process.waitForExit(timeout: .seconds(30)) == 64)
        let output = process.lines.joined(separator: "\n")
        #expect(output.contains("--ads-url"), "\(output)")
    }
}
