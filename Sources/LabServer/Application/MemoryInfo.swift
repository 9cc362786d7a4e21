import Foundation
import LabDomain

/// The machine's memory, from /proc/meminfo (Linux); nil elsewhere or when unreadable.
enum MemoryInfo {
    /// MemAvailable in MiB: what can still be used without swapping.
    static func availableMiB() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let kib = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kib.map { $0 / 1024 }
        }
        return nil
    }
}
