#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A toxic in force on a proxy, until it is removed or until `expiresAt`.
public struct ActiveToxic: Sendable, Equatable {
    public let toxic: Toxic
    public let appliedAt: Date
    /// nil: it stays until removed (Toxiproxy's behaviour).
    public let expiresAt: Date?
    /// The lab-level fault this toxic is part of ("blackhole-1"), if it was added as one.
    public let faultID: String?

    public init(toxic: Toxic, appliedAt: Date, expiresAt: Date?, faultID: String?) {
        self.toxic = toxic
        self.appliedAt = appliedAt
        self.expiresAt = expiresAt
        self.faultID = faultID
    }
}
