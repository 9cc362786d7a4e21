import Foundation

/// The last `capacity` lines a child process wrote, oldest first. Thread-safe.
public final class LogTail: @unchecked Sendable {
    public let capacity: Int
    private let lock = NSLock()
    private var lines: [String] = []
    private var start = 0

    public init(capacity: Int = 200) {
        precondition(capacity > 0, "a log tail keeps at least one line")
        self.capacity = capacity
    }

    public func append(_ line: String) {
        lock.withLock {
            if lines.count < capacity {
                lines.append(line)
            } else {
                lines[start] = line
                start = (start + 1) % capacity
            }
        }
    }

    /// The kept lines, oldest first; `last` limits them to the newest ones.
    public func snapshot(last: Int? = nil) -> [String] {
        let all = lock.withLock { Array(lines[start...] + lines[..<start]) }
        guard let last, last < all.count else { return all }
        return Array(all.suffix(last))
    }
}
