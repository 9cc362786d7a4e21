/// Why the lab server could not start; each message says what to do next.
public enum LabServerError: Error, CustomStringConvertible {
    case portInUse(host: String, port: Int)
    case labsFolderMissing(String)
    /// The web pages' templates and assets are not beside the binary.
    case missingResources
    /// The facilitator token could not be written to the data folder.
    case tokenFile(path: String, reason: String)
    /// Too little memory left for another sandbox.
    case lowMemory(availableMiB: Int, neededMiB: Int)

    public var description: String {
        switch self {
        case .portInUse(let host, let port):
            return "port \(port) on \(host) is already in use (another chaoslab or a Toxiproxy server?). "
                + "Stop it, or start on another port: chaoslab start --port \(port + 1)"
        case .missingResources:
            return "the web pages' templates are missing (chaoslab_LabServer.resources beside the binary); rebuild with swift build"
        case .tokenFile(let path, let reason):
            return "could not write the facilitator token to \(path): \(reason); check the data folder (--data DIR)"
        case .lowMemory(let available, let needed):
            return "the machine has \(available) MiB of memory available, below the \(needed) MiB kept free (--min-free-memory); "
                + "remove a team, or start the server with a lower --min-free-memory"
        case .labsFolderMissing(let path):
            return "no labs folder at \(path); run chaoslab from the repository root or pass --labs DIR"
        }
    }
}
