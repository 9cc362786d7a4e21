import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

/// `chaoslab export ctk` against the real Chaos Toolkit (PyPI's chaostoolkit, installed by
/// scripts/setup.sh): the experiment validates, runs against the lab, shows the steady state
/// before, the deviation (or its absence) the lab expects, and leaves no fault behind.
extension EndToEndTests {
    @Test("an exported experiment validates, deviates as the lab expects under the fault, and rolls back")
    func chaosToolkitRunsAnExportedExperiment() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)
            let folder = try temporaryFolder()

            // block-ads: the lab expects checkout broken, so the steady state must deviate.
            let blocked = try await ChaosToolkitRun(exporting: ["is-ads-optional", "block-ads"], from: server, in: folder)
            #expect(blocked.validateCode == 0, "chaos validate: \(blocked.output)")
            #expect(blocked.runCode == 1, "chaos run exits 1 on a deviation: \(blocked.output)")
            let journal = try blocked.journal()
            #expect(journal.beforeMet == true, "steady state holds before the fault: \(blocked.output)")
            #expect(journal.afterMet == false, "the blackhole breaks the journey: \(blocked.output)")
            #expect(journal.deviated == true)
            #expect(journal.methodStatuses == [200, 200], "both toxics were created: \(journal.methodStatuses)")
            #expect(journal.rollbackStatuses == [204, 204], "both toxics were removed: \(journal.rollbackStatuses)")
            #expect(try await api.array("GET", "/api/faults").isEmpty, "no fault is left behind")

            // fix-ads: with the lab's fix the same fault leaves the steady state intact.
            let fixed = try await ChaosToolkitRun(exporting: ["is-ads-optional", "fix-ads"], from: server, in: folder)
            #expect(fixed.runCode == 0, "chaos run: \(fixed.output)")
            let fixedJournal = try fixed.journal()
            #expect(fixedJournal.beforeMet == true && fixedJournal.afterMet == true && fixedJournal.deviated == false)
            #expect(fixedJournal.methodStatuses.count == 3, "the fix, then two toxics: \(fixedJournal.methodStatuses)")
            #expect(try await api.array("GET", "/api/faults").isEmpty, "no fault is left behind")
            let status = try await api.json("GET", "/api/status", body: nil)
            let storefront = try #require((status["services"] as? [[String: Any]])?.first { $0["name"] as? String == "storefront" }?["url"] as? String)
            let knobs = try JSONSerialization.jsonObject(with: try await httpGet(storefront + "/admin/config")) as? [String: Any]
            #expect(knobs?["ads_timeout_ms"] as? Int == 0 && knobs?["ads_fallback"] as? Bool == false, "the fix is rolled back: \(knobs ?? [:])")
        }
    }

    @Test("an exported service fault goes through the lab API and its rollback ends it")
    func chaosToolkitKillsAndRestores() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)
            let folder = try temporaryFolder()

            let run = try await ChaosToolkitRun(exporting: ["kill-and-restart", "kill-checkout"], from: server, in: folder)
            #expect(run.validateCode == 0, "\(run.output)")
            let journal = try run.journal()
            #expect(journal.beforeMet == true && journal.afterMet == false && journal.deviated == true, "\(run.output)")
            #expect(journal.methodStatuses == [201], "the kill was accepted: \(journal.methodStatuses)")
            #expect(journal.rollbackStatuses == [200], "\(journal.rollbackStatuses)")
            #expect(try await api.array("GET", "/api/faults").isEmpty, "no fault is left behind")
            let healthy = await waitFor(timeout: .seconds(10)) {
                let status = try? await api.json("GET", "/api/status", body: nil)
                return (status?["services"] as? [[String: Any]])?.allSatisfy { $0["healthy"] as? Bool == true } ?? false
            }
            #expect(healthy, "checkout is back once the fault ends")
        }
    }
}

/// One exported experiment, validated and run by `python3 -m chaostoolkit`.
struct ChaosToolkitRun {
    let validateCode: Int32?
    let runCode: Int32?
    let output: String
    let journalFile: URL

    init(exporting arguments: [String], from server: LabServerProcess, in folder: URL) async throws {
        let export = try await server.command(["export", "ctk"] + arguments)
        #expect(export.code == 0, "\(export.output)")
        let name = arguments.last ?? "experiment"
        let experiment = folder.appendingPathComponent("\(name).json")
        try export.output.write(to: experiment, atomically: true, encoding: .utf8)
        journalFile = folder.appendingPathComponent("\(name)-journal.json")

        let validate = try Self.chaos(["validate", experiment.path])
        validateCode = await validate.waitForExit(timeout: .seconds(60))
        let run = try Self.chaos(["run", "--journal-path", journalFile.path, experiment.path])
        runCode = await run.waitForExit(timeout: .seconds(60))
        if runCode == nil { run.signal(SIGTERM) }
        output = (validate.lines + run.lines).joined(separator: "\n")
        #expect(!output.contains("No module named chaostoolkit"),
                "Chaos Toolkit is not installed; scripts/setup.sh installs it (pip install chaostoolkit)")
    }

    private static func chaos(_ arguments: [String]) throws -> TestProcess {
        try TestProcess(executable: "/usr/bin/env", ["python3", "-m", "chaostoolkit", "--no-version-check", "--no-log-file"] + arguments)
    }

    struct Journal {
        var beforeMet: Bool?
        var afterMet: Bool?
        var deviated: Bool?
        var methodStatuses: [Int]
        var rollbackStatuses: [Int]
    }

    func journal() throws -> Journal {
        let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: journalFile)) as? [String: Any] ?? [:]
        let states = object["steady_states"] as? [String: Any]
        func met(_ phase: String) -> Bool? { (states?[phase] as? [String: Any])?["steady_state_met"] as? Bool }
        func statuses(_ key: String) -> [Int] {
            (object[key] as? [[String: Any]] ?? []).compactMap { ($0["output"] as? [String: Any])?["status"] as? Int }
        }
        return Journal(beforeMet: met("before"), afterMet: met("after"), deviated: object["deviated"] as? Bool,
                       methodStatuses: statuses("run"), rollbackStatuses: statuses("rollbacks"))
    }
}

/// The body of a GET to any URL (a demo service's, not the lab server's).
func httpGet(_ url: String) async throws -> Data {
    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
    return Data(buffer: try await response.body.collect(upTo: 1 << 20))
}
