import Foundation

/// How the sandbox launches the demo services.
public struct SandboxConfiguration: Sendable {
    /// The program that runs one service, e.g. the chaoslab binary itself.
    public var executable: String
    /// Arguments placed before `NAME --port P --ads-url …`, e.g. `["service"]`.
    public var serviceCommand: [String]
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
        executable: String,
        serviceCommand: [String] = ["service"],
        startTimeout: Duration = .seconds(15),
        restartDelay: Duration = .milliseconds(250),
        maxRestartDelay: Duration = .seconds(5),
        environment: [String: String] = [:],
        seed: UInt64? = nil
    ) {
        self.seed = seed
        self.executable = executable
        self.serviceCommand = serviceCommand
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
}
