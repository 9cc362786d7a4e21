import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// MemoryBallast is `megabytes` MiB of anonymous memory with every page written, so that the process's
/// resident size really grows by that much. The memory goes back to the system (`munmap`) when the
/// ballast is released, that is when its last reference goes.
final class MemoryBallast: @unchecked Sendable {
    let megabytes: Int
    private let base: UnsafeMutableRawPointer
    private let byteCount: Int

    /// Maps and touches the memory on a thread of its own, so that touching gigabytes does not hold up
    /// the cooperative pool.
    static func fill(megabytes: Int) async throws -> MemoryBallast {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try MemoryBallast(megabytes: megabytes) })
            }.start()
        }
    }

    /// Maps and touches the memory on the calling thread.
    init(megabytes: Int) throws {
        let byteCount = megabytes * 1024 * 1024
        let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw MemoryBallastError(megabytes: megabytes, reason: String(cString: strerror(errno)))
        }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        for offset in stride(from: 0, to: byteCount, by: pageSize) {
            mapped.storeBytes(of: 0xA5, toByteOffset: offset, as: UInt8.self)
        }
        self.megabytes = megabytes
        self.base = mapped
        self.byteCount = byteCount
    }

    deinit {
        munmap(base, byteCount)
    }
}

/// MemoryBallastError says that the system would not give the memory asked for.
struct MemoryBallastError: Error, CustomStringConvertible {
    let megabytes: Int
    let reason: String

    var description: String { "could not allocate \(megabytes) MB: \(reason)" }
}
