// Chaos Toolkit's experiment format (https://chaostoolkit.org/reference/api/experiment/), as
// much of it as an exported exercise uses: HTTP probes and actions, pauses, rollbacks.

extension ChaosToolkitExport {
    public struct Experiment: Encodable, Sendable {
        public var version = "1.0.0"
        public var title: String
        public var description: String
        public var tags: [String]
        public var configuration: [String: ConfigurationEntry]
        public var steadyStateHypothesis: SteadyStateHypothesis
        public var method: [Activity]
        public var rollbacks: [Activity]
        /// Roll back after every ending, also a failed probe or an interruption: the default
        /// strategy skips the rollbacks of a failed run and would leave the fault behind.
        public var runtime = Runtime()
        public var extensions: [Extension]

        enum CodingKeys: String, CodingKey {
            case version, title, description, tags, configuration, method, rollbacks, runtime, extensions
            case steadyStateHypothesis = "steady-state-hypothesis"
        }
    }

    /// A value read from the environment, with a default.
    public struct ConfigurationEntry: Encodable, Sendable {
        public var type = "env"
        public var key: String
        public var `default`: String
    }

    public struct SteadyStateHypothesis: Encodable, Sendable {
        public var title: String
        public var probes: [Activity]
    }

    public struct Runtime: Encodable, Sendable {
        public var rollbacks = ["strategy": "always"]
    }

    public struct Pauses: Encodable, Sendable {
        /// Seconds.
        public var after: Double
    }

    /// What chaoslab knew when it exported: the lab, the exercise and what the lab expects.
    public struct Extension: Encodable, Sendable {
        public var name = "chaoslab"
        public var lab: String
        public var exercise: String
        public var journey: String
        public var attack: String
        public var expect: [String: String]
        /// True when the lab expects the steady state to deviate under the fault.
        public var expectDeviation: Bool

        enum CodingKeys: String, CodingKey {
            case name, lab, exercise, journey, attack, expect
            case expectDeviation = "expect_deviation"
        }
    }

    /// A probe or an action with Chaos Toolkit's HTTP provider.
    public struct Activity: Encodable, Sendable {
        public var type: String
        public var name: String
        public var tolerance: Tolerance?
        public var provider: HTTPProvider
        public var pauses: Pauses?

        static func action(_ name: String, _ provider: HTTPProvider) -> Activity {
            Activity(type: "action", name: name, provider: provider)
        }

        static func probe(_ name: String, tolerance: Tolerance, _ provider: HTTPProvider) -> Activity {
            Activity(type: "probe", name: name, tolerance: tolerance, provider: provider)
        }
    }

    /// Chaos Toolkit's range tolerance on a probe's HTTP status.
    public struct Tolerance: Encodable, Sendable {
        public var type = "range"
        public var range: [Int]
        public var target = "status"

        /// Any 2xx, as chaoslab's probe counts success.
        static let twoHundreds = Tolerance(range: [200, 299])
    }

    public struct HTTPProvider: Encodable, Sendable {
        public var type = "http"
        public var url: String
        public var method: String
        public var headers: [String: String]?
        /// The JSON body (sent as JSON because of the Content-Type header).
        var arguments: JSONValue?
        /// Seconds. Only the provider's timeout bounds the request: an activity-level one is ignored.
        public var timeout: Double

        init(url: String, method: String, headers: [String: String] = [:], json: JSONValue? = nil, timeout: Double = 5) {
            self.url = url
            self.method = method
            var headers = headers
            if json != nil { headers["Content-Type"] = "application/json" }
            self.headers = headers.isEmpty ? nil : headers
            self.arguments = json
            self.timeout = timeout
        }
    }
}
