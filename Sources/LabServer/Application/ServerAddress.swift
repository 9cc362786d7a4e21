import NIOConcurrencyHelpers

/// Where clients reach the lab server: the host to put in URLs and the port it bound
/// (known once it listens; port 0 picks a free one).
final class ServerAddress: Sendable {
    let host: String
    private let boundPort: NIOLockedValueBox<Int>

    init(host: String, port: Int) {
        self.host = host
        boundPort = NIOLockedValueBox(port)
    }

    var port: Int { boundPort.withLockedValue { $0 } }

    func setPort(_ port: Int) { boundPort.withLockedValue { $0 = port } }

    var baseURL: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return "http://\(name):\(port)"
    }

    func apiBase(secret: String) -> String { "\(baseURL)/t/\(secret)" }
}
