import Foundation

/// Why the sandbox could not do what was asked; each message says what to do next.
public enum SandboxError: Error, CustomStringConvertible, Sendable {
    case launchFailed(executable: String, reason: String)
    /// The programs of service commands that are not there (or not executable), and what `{bin}` stands for.
    case serviceExecutablesMissing([String], servicesDirectory: String)
    case serviceDidNotStart(service: String, reason: String, lastLines: [String])
    case proxyFailed(edge: String, reason: String)
    case unknownService(String, known: [String] = [])
    /// A process fault on a service the sandbox reaches at an address and did not start.
    case notStarted(String)

    public var description: String {
        switch self {
        case .launchFailed(let executable, let reason):
            return "could not launch \(executable): \(reason)"
        case .serviceExecutablesMissing(let programs, let servicesDirectory):
            let inBuild = programs.filter { $0.hasPrefix(servicesDirectory + "/") }
            if let first = inBuild.first {
                return "no demo service executable at \(inBuild.joined(separator: ", ")); build the services with "
                    + "`swift build` (all of them), or one with `swift build --product \(URL(fileURLWithPath: first).lastPathComponent)`"
            }
            return "no executable \(programs.map { "'\($0)'" }.joined(separator: ", ")) (the first word of a service's command, "
                + "a path or a program on PATH); install it or correct the command in the system file"
        case .serviceDidNotStart(let service, let reason, let lastLines):
            let tail = lastLines.isEmpty
                ? "  (it wrote nothing)"
                : lastLines.map { "  | \($0)" }.joined(separator: "\n")
            return "service \(service) did not come up: \(reason)\nlast lines of its log:\n\(tail)"
        case .proxyFailed(let edge, let reason):
            return "fault proxy for edge \(edge) failed: \(reason)"
        case .unknownService(let name, let known):
            return "unknown service '\(name)'" + (known.isEmpty ? "" : "; services: \(known.joined(separator: ", "))")
        case .notStarted(let name):
            return "\(name) runs outside chaoslab (the system file gives its address), so it has no process here to kill or pause; "
                + "attack the edges into it instead"
        }
    }
}
