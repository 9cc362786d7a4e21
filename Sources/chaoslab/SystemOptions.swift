import ArgumentParser
import Foundation
import LabEngine

/// `--system FILE`: the system under test, the demo shop when absent.
struct SystemOptions: ParsableArguments {
    @Option(name: .customLong("system"), help: ArgumentHelp(
        "The system file (chaoslab.yaml) of the system under test. Default: the demo shop (demo-services/system/shop.yaml).",
        valueName: "FILE"))
    var file: String?

    /// The system file read and validated; its problems, every one as FILE:LINE:COL: message, otherwise.
    func load() throws -> SystemDescription {
        guard let file else { return .demoShop }
        do {
            return try SystemLoader.load(file: URL(fileURLWithPath: file))
        } catch {
            throw CLIError("the system file \(file) does not validate:\n" + error.problems.map(\.description).joined(separator: "\n"))
        }
    }

    /// The labs of `system`: the `labs` folder beside its file when it has one, else ./Labs or the checkout's.
    func labsDirectory(of system: SystemDescription) -> URL {
        if file != nil {
            let beside = system.directory.appendingPathComponent("labs")
            if FileManager.default.fileExists(atPath: beside.path) { return beside }
        }
        return defaultLabsDirectory()
    }
}

/// "1 edge", "2 edges".
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
