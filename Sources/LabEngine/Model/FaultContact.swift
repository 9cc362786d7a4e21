import Foundation

/// What an attack's fault touched while it was in force: the connections it acted on and the
/// bytes that went into it (for a fault on a service: the connections and bytes that reached
/// the service's edges). A fault that touched nothing never met traffic: the experiment
/// watched the system without the fault, and cannot say what the fault does.
public struct FaultContact: Hashable, Sendable, Codable {
    public var connections: Int
    public var bytes: Int

    public init(connections: Int, bytes: Int) {
        self.connections = connections
        self.bytes = bytes
    }

    /// No byte went into the fault, and no connection met it.
    public var touchedNothing: Bool { bytes == 0 && connections == 0 }

    /// "3 connections, 12.4 kB".
    public var summary: String {
        "\(connections) connection\(connections == 1 ? "" : "s"), \(Self.size(bytes))"
    }

    /// "604 B", "6.5 kB", "1.2 MB".
    public static func size(_ bytes: Int) -> String {
        bytes < 1000 ? "\(bytes) B" : bytes < 1_000_000
            ? String(format: "%.1f kB", Double(bytes) / 1000) : String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
