/// Whether a host names this machine's loopback: `localhost`, `::1`, or an IPv4 address
/// of four decimal octets starting with 127. Names that merely look like one
/// (`127.0.evil.example`) are not: they would let DNS rebinding through.
public func isLoopback(_ host: String) -> Bool {
    if host == "localhost" || host == "::1" { return true }
    let octets = host.split(separator: ".", omittingEmptySubsequences: false)
    return octets.count == 4 && octets.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && UInt8($0) != nil } && octets[0] == "127"
}
