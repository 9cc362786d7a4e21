import Foundation

/// Why the sandbox could not do what was asked; each message says what to do next.
public enum SandboxError: Error, CustomStringConvertible, Sendable {
    case launchFailed(executable: String, reason: String)
    /// The paths of the service executables that are not there (or not executable).
    case serviceExecutablesMissing([String])
    case serviceDidNotStart(service: String, reason: String, lastLines: [String])
    case proxyFailed(edge: String, reason: String)
    case unknownService(String)

    public var description: String {
        switch self {
        case .launchFailed(let executable, let reason):
            return "could not launch \(executable): \(reason)"
        case .serviceExecutablesMissing(let paths):
            let first = URL(fileURLWithPath: paths[0]).lastPathComponent
            return "no demo service executable at \(paths.joined(separator: ", ")); "
                + "build the services with `swift build` (all of them), or one with `swift build --product \(first)`"
        case .serviceDidNotStart(let service, let reason, let lastLines):
            let tail = lastLines.isEmpty
                ? "  (it wrote nothing)"
                : lastLines.map { "  | \($0)" }.joined(separator: "\n")
            return "service \(service) did not come up: \(reason)\nlast lines of its log:\n\(tail)"
        case .proxyFailed(let edge, let reason):
            return "fault proxy for edge \(edge) failed: \(reason)"
        case .unknownService(let name):
            return "unknown service '\(name)'; services: \(ShopTopology.services.joined(separator: ", "))"
        }
    }
}
