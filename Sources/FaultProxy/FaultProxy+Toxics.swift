import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Toxiproxy's toxics on this proxy: add, update, remove. Every change applies to open
/// connections as well as new ones before the call returns.
extension FaultProxy {
    /// Toxics in force, in the order they were added.
    public var toxics: [ActiveToxic] {
        self.state.withLockedValue { $0.toxics }
    }

    public func toxic(named name: String) -> ActiveToxic? {
        self.state.withLockedValue { state in state.toxics.first { $0.toxic.name == name } }
    }

    /// Adds a toxic. With a `ttl` it is removed by itself when that runs out.
    /// Throws `toxicExists` if the name is taken, or a `ToxicError` for bad values.
    @discardableResult
    public func addToxic(_ toxic: Toxic, ttl: Duration? = nil) throws -> ActiveToxic {
        try self.addToxics([toxic], ttl: ttl, faultID: nil)[0]
    }

    /// Adds toxics at once (a lab fault may be several toxics); all or none.
    func addToxics(_ toxics: [Toxic], ttl: Duration?, faultID: String?) throws -> [ActiveToxic] {
        for toxic in toxics {
            try toxic.validate()
            try toxic.kind.validate()
        }
        let now = Date()
        let (added, update) = try self.state.withLockedValue { state -> ([ActiveToxic], PolicyUpdate?) in
            for toxic in toxics where state.toxics.contains(where: { $0.toxic.name == toxic.name }) {
                throw FaultProxyError.toxicExists(edge: self.name, name: toxic.name)
            }
            let expiresAt = ttl.map { now.addingTimeInterval($0.seconds) }
            let added = toxics.map { ActiveToxic(toxic: $0, appliedAt: now, expiresAt: expiresAt, faultID: faultID) }
            guard !state.isStopped else { return (added, nil) }
            for entry in added {
                state.toxics.append(entry)
                state.tallies[entry.toxic.name] = ToxicTally(faultID: faultID)
                state.versions[entry.toxic.name] = state.nextVersion
                state.nextVersion += 1
                if let ttl {
                    let name = entry.toxic.name
                    state.expiryTimers[name] = self.group.next().scheduleTask(in: TimeAmount(ttl)) {
                        _ = self.removeToxic(named: name)
                    }
                }
            }
            return (added, state.toxicsChanged())
        }
        update?.send()
        return added
    }

    /// Changes a toxic's attributes and toxicity in place (its name, type and stream stay).
    /// Connections restart it with the new values; what it held goes on first.
    @discardableResult
    public func updateToxic(named name: String, kind: ToxicKind, toxicity: Double) throws -> ActiveToxic {
        try kind.validate()
        let (entry, update) = try self.state.withLockedValue { state -> (ActiveToxic, PolicyUpdate) in
            guard let index = state.toxics.firstIndex(where: { $0.toxic.name == name }) else {
                throw FaultProxyError.toxicNotFound(edge: self.name, name: name)
            }
            let old = state.toxics[index]
            var toxic = old.toxic
            toxic.kind = kind
            toxic.toxicity = toxicity
            try toxic.validate()
            let entry = ActiveToxic(toxic: toxic, appliedAt: old.appliedAt, expiresAt: old.expiresAt, faultID: old.faultID)
            state.toxics[index] = entry
            state.versions[name] = state.nextVersion
            state.nextVersion += 1
            return (entry, state.toxicsChanged())
        }
        update.send()
        return entry
    }

    /// Removes one toxic and restores what it changed. False if no toxic has that name.
    @discardableResult
    public func removeToxic(named name: String) -> Bool {
        self.removeToxics { $0.toxic.name == name } > 0
    }

    /// Removes every toxic (Toxiproxy's reset of one proxy). Returns how many were removed.
    @discardableResult
    public func removeAllToxics() -> Int {
        self.removeToxics { _ in true }
    }

    /// Removes the toxics that match; returns how many.
    func removeToxics(where matches: (ActiveToxic) -> Bool) -> Int {
        let (count, update) = self.state.withLockedValue { state -> (Int, PolicyUpdate?) in
            let removed = state.toxics.filter(matches)
            guard !removed.isEmpty else { return (0, nil) }
            state.toxics.removeAll(where: matches)
            for entry in removed {
                state.versions.removeValue(forKey: entry.toxic.name)
                state.expiryTimers.removeValue(forKey: entry.toxic.name)?.cancel()
            }
            for id in Set(removed.compactMap(\.faultID)) where !state.toxics.contains(where: { $0.faultID == id }) {
                state.faultKinds.removeValue(forKey: id)
            }
            return (removed.count, state.toxicsChanged())
        }
        update?.send()
        return count
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) * 1e-18
    }

    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = self.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
