import ArgumentParser
import Foundation
import LabEngine
import LabServer

struct LabsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labs",
        abstract: "List the labs of the running lab server.")
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let list: API.LabList = try await LabClient(server).get("/api/labs")
        if json { return try printJSON(list) }
        for lab in list.labs {
            let minutes = lab.estimatedMinutes.map { " (~\($0) min)" } ?? ""
            say("\(lab.id)\(minutes)\n  \(lab.title)")
            if let summary = lab.summary { say("  \(summary)") }
            say("  exercises: \(lab.exercises.joined(separator: ", "))")
        }
        for problem in list.problems { say("not loaded: \(problem)") }
    }
}

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check lab files; print every problem as FILE:LINE:COL: message.",
        discussion: "Exits 0 when every file is valid, 1 otherwise. Needs no running server.")

    @Argument(help: "Lab files (YAML).") var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one lab file, e.g. chaoslab validate Labs/*.yaml") }
    }

    func run() async throws {
        var failed = 0
        for file in files {
            let problems = validateLabFile(URL(fileURLWithPath: file))
            if problems.isEmpty {
                say("\(file): ok")
            } else {
                failed += 1
                for problem in problems { say(problem) }
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

/// Every problem of one lab file, as `FILE:LINE:COL: message`; empty when it is valid.
func validateLabFile(_ url: URL) -> [String] {
    do {
        _ = try LabLoader.load(file: url)
        return []
    } catch {
        return error.problems.map(\.description)
    }
}
