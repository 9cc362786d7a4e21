import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// ProcessProbe reads this test process's resources from the kernel, to check that a resource fault
/// really loads the process and really lets go afterwards.
enum ProcessProbe {
    /// Resident set size in bytes: the second field of `/proc/self/statm`, in pages.
    static func residentBytes() throws -> Int {
        let fields = try read("/proc/self/statm").split(separator: " ")
        let pages = try #require(fields.count > 1 ? Int(fields[1]) : nil, "cannot read /proc/self/statm")
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// CPU time used so far by every thread of the process.
    static func cpuTime() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    /// The ids of the threads whose name is `name` (`/proc/self/task/*/comm`).
    static func threads(named name: String) -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.filter { task in
            (try? read("/proc/self/task/\(task)/comm"))?.trimmingCharacters(in: .whitespacesAndNewlines) == name
        }
    }

    /// User plus system CPU time of the threads named `name` that still run (`/proc/self/task/*/stat`).
    static func cpuTime(ofThreadsNamed name: String) -> Duration {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let ticks = threads(named: name).compactMap { task -> Double? in
            // After the name in parentheses come the state (field 3) and more; utime and stime are fields 14 and 15.
            guard let stat = try? read("/proc/self/task/\(task)/stat"), let end = stat.lastIndex(of: ")") else {
                return nil
            }
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
                return nil
            }
            return user + system
        }.reduce(0, +)
        return .milliseconds(Int(ticks / ticksPerSecond * 1000))
    }

    private static func read(_ path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    }
}

