import CSpawn
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One running child process whose output is read line by line.
///
/// A dedicated thread spawns the child, reads its merged standard output and
/// error until end of file, then reaps it. The thread lives exactly as long as
/// the child: Linux's parent-death signal follows the *thread* that spawned a
/// process, so spawning from a pooled thread that may retire would kill the
/// child early.
package final class ChildProcess: Sendable {
    package let pid: pid_t
    private let reaping: Reaping

    private init(pid: pid_t, reaping: Reaping) {
        self.pid = pid
        self.reaping = reaping
    }

    /// Starts `executable` (a path) with `arguments`, in `directory` (the lab server's when nil).
    /// `onLine` receives every output line; `onExit` the wait status once the child has ended.
    package static func launch(
        executable: String,
        arguments: [String],
        environment: [String: String],
        directory: String? = nil,
        onLine: @escaping @Sendable (String) -> Void,
        onExit: @escaping @Sendable (Int32) -> Void
    ) throws(SandboxError) -> ChildProcess {
        let started = SpawnResult()
        let reaping = Reaping()
        let thread = Thread {
            var fds: [Int32] = [-1, -1]
            guard chaoslab_pipe(&fds) == 0 else {
                started.finish(.failure(SpawnErrno(code: errno)))
                return
            }
            let argv = [executable] + arguments
            let envp = environment.map { "\($0.key)=\($0.value)" }
            var pid: pid_t = 0
            let rc = withCStrings(argv) { cArgv in
                withCStrings(envp) { cEnvp in
                    if let directory {
                        chaoslab_spawn(executable, cArgv, cEnvp, fds[1], directory, &pid)
                    } else {
                        chaoslab_spawn(executable, cArgv, cEnvp, fds[1], nil, &pid)
                    }
                }
            }
            close(fds[1])
            guard rc == 0 else {
                close(fds[0])
                started.finish(.failure(SpawnErrno(code: rc)))
                return
            }
            started.finish(.success(pid))
            readLines(from: fds[0], onLine: onLine)
            close(fds[0])
            onExit(reaping.reap(pid))
        }
        thread.name = "chaoslab-child"
        thread.start()
        switch started.wait() {
        case .success(let pid):
            return ChildProcess(pid: pid, reaping: reaping)
        case .failure(let error):
            throw .launchFailed(executable: executable, reason: String(cString: strerror(error.code)))
        }
    }

    /// Sends `signal` to the child's process group (its own, led by it: a wrapper script and
    /// the server it starts both get it), unless the child has been reaped: its pid may then
    /// belong to another process already.
    package func send(_ signal: Int32) {
        reaping.unlessReaped { kill(-pid, signal) }
    }
}

/// Reads `fd` to end of file and hands over complete lines (and a last partial one).
private func readLines(from fd: Int32, onLine: @Sendable (String) -> Void) {
    var pending = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        pending.append(contentsOf: buffer[0..<count])
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            onLine(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
    }
    if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Hands the spawn result from the child's thread to the caller.
private final class SpawnResult: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<pid_t, SpawnErrno>?

    func finish(_ result: Result<pid_t, SpawnErrno>) {
        condition.withLock {
            self.result = result
            condition.signal()
        }
    }

    func wait() -> Result<pid_t, SpawnErrno> {
        condition.withLock {
            while result == nil { condition.wait() }
            return result!
        }
    }
}

private struct SpawnErrno: Error { let code: Int32 }

/// Reaps a child so that no signal can be sent to its pid after it is reused.
private final class Reaping: @unchecked Sendable {
    private let lock = NSLock()
    private var reaped = false

    /// Waits for the child to end, then reaps it under the lock; returns its wait status.
    func reap(_ pid: pid_t) -> Int32 {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        return lock.withLock {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            reaped = true
            return status
        }
    }

    func unlessReaped(_ body: () -> Void) {
        lock.withLock { if !reaped { body() } }
    }
}
