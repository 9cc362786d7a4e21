import Foundation

/// What the sandbox runs and how.
public struct SandboxConfiguration: Sendable {
    /// The services and edges.
    public var system: SandboxSystem
    /// What `{bin}` stands for in commands: the folder of chaoslab's own executables, where
    /// `swift build` puts the demo shop's four services.
    public var servicesDirectory: String
    /// How long a service may take from launch to a healthy `/healthz`.
    public var startTimeout: Duration
    /// First wait before restarting a service that died; doubles while it keeps dying, up to `maxRestartDelay`.
    public var restartDelay: Duration
    public var maxRestartDelay: Duration
    /// Extra environment for the children.
    public var environment: [String: String]
    /// Seeds the fault proxies' random draws; nil draws a seed at random.
    public var seed: UInt64?

    public init(
        system: SandboxSystem,
        servicesDirectory: String = SandboxConfiguration.currentExecutableDirectory,
        startTimeout: Duration = .seconds(15),
        restartDelay: Duration = .milliseconds(250),
        maxRestartDelay: Duration = .seconds(5),
        environment: [String: String] = [:],
        seed: UInt64? = nil
    ) {
        self.system = system
        self.seed = seed
        self.servicesDirectory = servicesDirectory
        self.startTimeout = startTimeout
        self.restartDelay = restartDelay
        self.maxRestartDelay = maxRestartDelay
        self.environment = environment
    }

    /// The path of the running program (Linux: `/proc/self/exe`).
    public static var currentExecutable: String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return CommandLine.arguments[0]
    }

    /// The folder of the running program. `swift build` puts chaoslab, the four services
    /// and the test bundle side by side (in `.build/debug`), so this is where the services are.
    public static var currentExecutableDirectory: String {
        URL(fileURLWithPath: currentExecutable).deletingLastPathComponent().path
    }
}
