import Foundation
import LabDomain

#if canImport(Glibc)
import Glibc
#endif

/// The facilitator's token of a group server: new at every start, written to
/// `DATA/facilitator-token` readable and writable by its owner only (mode 0600), for
/// scripts (`CHAOSLAB_TOKEN=$(cat DATA/facilitator-token)`).
public enum FacilitatorToken {
    public static func path(in dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent("facilitator-token")
    }

    /// Draws a token and writes it; the file is created with mode 0600 (and set so if it existed).
    static func create(in dataDirectory: URL) throws -> String {
        let token = Secret.token()
        let path = path(in: dataDirectory).path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LabServerError.tokenFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw LabServerError.tokenFile(path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array((token + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw LabServerError.tokenFile(path: path, reason: String(cString: strerror(errno))) }
        return token
    }
}
