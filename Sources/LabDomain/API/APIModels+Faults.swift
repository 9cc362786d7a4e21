import Foundation
import LabEngine
import Sandbox

// The faults of the lab API: add one, what is in force, removals and halts.
extension API {
    /// A fault to add by hand: on an edge (a toxic, `blackhole` or `refuse`) or on a
    /// service (`kill`, `pause`, `cpu`, `memory`, `errors`, `empty`).
    public struct NewFault: Codable, Sendable {
        /// An edge ("storefront-ads", or "storefront->ads") or a service ("checkout").
        public var target: String
        public var type: String
        /// Toxiproxy's attribute names and units for toxics; see `chaoslab fault add --help`.
        public var attributes: [String: Double]
        /// For toxics: "upstream" or "downstream" (the default).
        public var stream: String?
        public var ttlMs: Int?

        public init(target: String, type: String, attributes: [String: Double] = [:], stream: String? = nil, ttlMs: Int? = nil) {
            self.target = target
            self.type = type
            self.attributes = attributes
            self.stream = stream
            self.ttlMs = ttlMs
        }

        enum CodingKeys: String, CodingKey {
            case target, type, attributes, stream
            case ttlMs = "ttl_ms"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.target = try container.decode(String.self, forKey: .target)
            self.type = try container.decode(String.self, forKey: .type)
            self.attributes = try container.decodeIfPresent([String: Double].self, forKey: .attributes) ?? [:]
            self.stream = try container.decodeIfPresent(String.self, forKey: .stream)
            self.ttlMs = try container.decodeIfPresent(Int.self, forKey: .ttlMs)
        }
    }

    /// A fault in force and where: an edge or a service.
    public struct TargetFault: Codable, Sendable {
        public var target: String
        public var fault: FaultStatus

        public init(target: String, fault: FaultStatus) {
            self.target = target
            self.fault = fault
        }
    }

    /// How many faults a removal ended.
    public struct Removed: Codable, Sendable {
        public var removed: Int

        public init(removed: Int) {
            self.removed = removed
        }
    }

    /// The state of the emergency stop.
    public struct LockState: Codable, Sendable {
        public var locked: Bool

        public init(locked: Bool) {
            self.locked = locked
        }
    }

    public struct Halted: Codable, Sendable {
        public var removed: Int
        public var cancelledExperiments: Int
        /// New faults are refused until `chaoslab unlock`.
        public var locked: Bool

        enum CodingKeys: String, CodingKey {
            case removed, locked
            case cancelledExperiments = "cancelled_experiments"
        }

        public init(removed: Int, cancelledExperiments: Int, locked: Bool) {
            self.removed = removed
            self.cancelledExperiments = cancelledExperiments
            self.locked = locked
        }
    }
}
