import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// BrowserProcesses finds the processes of one chromedriver's Chromium by the folder their
/// command lines name: the browser, zygotes, renderers, GPU and utility processes all carry
/// `--user-data-dir=PROFILE`, and the crash handlers, which detach into sessions of their own,
/// `--database=CRASH-REPORTS`. Both folders are new for each driver, so no other process matches.
enum BrowserProcesses {
    /// The pids of live processes with an argument that contains `folder`'s path.
    static func running(mentioning folder: URL) -> [Int32] {
        let path = folder.path
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard pid != getpid(),
                  let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return false }
            // Arguments are separated by NUL bytes.
            let arguments = commandLine.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.contains { $0.contains(path) } && isAlive(pid)
        }.sorted()
    }

    /// Waits up to `timeout` for every process that mentions `folder` to end; SIGKILLs those
    /// left and returns their pids (empty when all ended by themselves).
    static func waitUntilGone(mentioning folder: URL, timeout: Duration) async -> [Int32] {
        if await eventually(within: timeout, every: .milliseconds(50), { running(mentioning: folder).isEmpty }) { return [] }
        let left = running(mentioning: folder)
        left.forEach { kill($0, SIGKILL) }
        return left
    }
}
