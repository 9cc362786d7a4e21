import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// While armed, Ctrl-C asks the lab server to halt (remove every fault, stop the
/// experiment) before the command exits with status 130.
final class HaltOnInterrupt: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    /// `afterHalt` is said once the halt is done: what became of the interrupted work.
    init(client: LabClient, afterHalt: String? = nil) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            FileHandle.standardError.write(Data("\ninterrupted: halting the experiment…\n".utf8))
            let done = DispatchSemaphore(value: 0)
            Task {
                _ = try? await client.send("POST", "/api/halt", body: Optional<String>.none, as: NoContent.self)
                done.signal()
            }
            _ = done.wait(timeout: .now() + 5)
            if let afterHalt { FileHandle.standardError.write(Data("\(afterHalt)\n".utf8)) }
            exit(130)
        }
        source.resume()
    }

    func disarm() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
