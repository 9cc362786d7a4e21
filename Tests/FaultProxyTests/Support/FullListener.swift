#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback listener whose accept queue is full and never drained: the kernel drops every
/// further SYN, so a connect to it neither succeeds nor fails (an upstream that does not
/// answer). Closes its sockets on `close()`.
final class FullListener {
    let port: Int
    private var sockets: [CInt] = []

    init() throws {
        let listener = socket(AF_INET, CInt(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ListenerError("socket", errno) }
        self.sockets.append(listener)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 0) == 0 else { throw ListenerError("bind/listen", errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        // Backlog 0 queues one connection; a few more connects (left pending) make sure.
        for _ in 0..<3 {
            let filler = socket(AF_INET, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue), 0)
            guard filler >= 0 else { throw ListenerError("socket", errno) }
            self.sockets.append(filler)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    func close() {
        for socket in self.sockets { _ = Glibc.close(socket) }
        self.sockets.removeAll()
    }
}

struct ListenerError: Error, CustomStringConvertible {
    let description: String
    init(_ call: String, _ code: CInt) { self.description = "\(call) failed: errno \(code)" }
}
