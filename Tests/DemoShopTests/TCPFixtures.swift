#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blackhole listens on 127.0.0.1 and never accepts: the kernel completes each connection into the
/// backlog, so a client connects, sends its request and never hears back.
final class Blackhole: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        (descriptor, port) = try Self.bindLoopback()
        guard listen(descriptor, 128) == 0 else { throw FixtureError("listen failed") }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    deinit { close(descriptor) }

    /// A socket bound to 127.0.0.1 on a free port.
    static func bindLoopback() throws -> (Int32, Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw FixtureError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw FixtureError("bind failed")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

/// ClosedPort is a port on 127.0.0.1 where nothing listens: connections are refused.
///
/// The port stays bound (without SO_REUSEADDR, never listening) until the test process
/// ends, so that no server started by a test running alongside can take it and answer.
enum ClosedPort {
    static func url() throws -> String {
        let (_, port) = try Blackhole.bindLoopback()  // the descriptor is kept open on purpose
        return "http://127.0.0.1:\(port)"
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
