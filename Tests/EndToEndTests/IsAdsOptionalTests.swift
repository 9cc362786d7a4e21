import Foundation
import TestSupport
import LabEngine
import LabDomain
import LabServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The whole learner loop with real parts: `chaoslab start`, then `chaoslab run`
/// in quick mode with an answers file, against the real demo shop and proxies.
/// One at a time: each starts a lab server and its shop, and measures latency.
@Suite(.serialized)
struct EndToEndTests {
    @Test("a quick run of is-ads-optional observes the flaw, verifies the fix, and scores the answers")
    func quickRunWithAnswers() async throws {
        try await withLabServer { server in try await quickRunWithAnswers(server) }
    }

    private func quickRunWithAnswers(_ server: LabServerProcess) async throws {
        let answers = try writeAnswers("""
            hypotheses: { block-ads: broken, fix-ads: works }
            diagram: { "storefront->ads": true, "storefront->checkout": true, "storefront->cache": false, "checkout->cache": true }
            """)

        let run = try await server.command(["run", "is-ads-optional", "--learner", "ana", "--answers", answers, "--quick", "--json"])
        #expect(run.code == 0, "chaoslab run failed:\n\(run.output)")
        let summary = try decodeSummary(from: run.output)

        #expect(summary.lab == "is-ads-optional")
        #expect(summary.learner == "ana")
        let block = try #require(summary.exercises.first { $0.id == "block-ads" })
        let fix = try #require(summary.exercises.first { $0.id == "fix-ads" })
        #expect(block.observed["checkout"] == .broken, "blackholed ads without a timeout breaks checkout: \(block)")
        #expect((block.measurements["checkout"]?.successRate ?? 1) < 0.5)
        #expect(fix.observed["checkout"] == .works, "with the timeout and fallback checkout works: \(fix)")
        let contact = try #require(block.faultContact, "what the blackhole touched is kept")
        #expect(contact.connections > 0 && contact.bytes > 0, "the blackhole met the home page's ad calls: \(contact)")
        #expect((fix.measurements["checkout"]?.successRate ?? 0) >= 0.99)
        #expect(summary.diagram.discovered["storefront->ads"] == .some(true), "the experiments show ads is critical")
        #expect(summary.diagram.claimed["storefront->ads"] == false)
        #expect(summary.score == 100, "every answer was right: \(summary.breakdown)")
        #expect(run.output.contains("── The map that traffic draws, before any fault ──"), "\(run.output)")
        // One line per second of attack, both journeys side by side, with what the fault has met so far.
        #expect(run.output.components(separatedBy: "[attack 1s of 3s]").count - 1 == 2, "one first-second line per attack: \(run.output)")
        #expect(run.output.contains(" · fault met "), "\(run.output)")
        let map = try #require(summary.map, "the run's map is kept with it")
        #expect(map.disagreements.contains { $0.hasPrefix("storefront->ads: claimed optional, carried on 100% of ") }, "\(map.disagreements)")

        let faults = try await server.command(["fault", "list"])
        #expect(faults.output.contains("no active faults"), "no fault stays behind: \(faults.output)")
    }

    @Test("the terminal offers the browser's fix choice: a learner's own settings go in, and a fix that does not hold is told so")
    func ownFixInTheTerminal() async throws {
        try await withLabServer { server in
            let answers = try writeAnswers("""
                hypotheses: { block-ads: broken, fix-ads: works }
                fixes: { fix-ads: { storefront: { ads_fallback: false } } }
                """)
            let run = try await server.command(["run", "is-ads-optional", "--answers", answers, "--quick", "--json"])
            #expect(run.code == 0, "chaoslab run failed:\n\(run.output)")
            #expect(run.output.contains("The fix applied for this experiment: storefront: ads_fallback=false, ads_timeout_ms=300 (yours)"),
                    "\(run.output)")
            #expect(run.output.contains("The fix did not hold"), "the debrief follows the measurement: \(run.output)")
            let summary = try decodeSummary(from: run.output)
            #expect(summary.exercises.first { $0.id == "fix-ads" }?.observed["checkout"] == .broken)
            #expect(summary.breakdown.contains { $0.hasPrefix("fix fix-ads: 0/10") }, "\(summary.breakdown)")

            let unknown = try writeAnswers("""
                hypotheses: { block-ads: broken, fix-ads: works }
                fixes: { fix-ads: { storefront: { retries: 3 } } }
                """)
            let refused = try await server.command(["run", "is-ads-optional", "--answers", unknown, "--quick"])
            #expect(refused.code != 0 && refused.output.contains("the fix of fix-ads sets no knob storefront.retries; its knobs: "
                                                                  + "storefront.ads_fallback, storefront.ads_timeout_ms"), "\(refused.output)")
        }
    }

    @Test("wrong predictions cost points, and the score survives a restart of the lab server")
    func wrongAnswersAndRestart() async throws {
        let data = try temporaryFolder()
        let server = try await LabServerProcess(data: data)
        let answers = try writeAnswers("""
            hypotheses: { block-ads: works, fix-ads: works }
            diagram: { "storefront->ads": false }
            """)
        let run = try await server.command(["run", "is-ads-optional", "--answers", answers, "--quick", "--json"])
        #expect(run.code == 0, "chaoslab run failed:\n\(run.output)")
        let summary = try decodeSummary(from: run.output)
        #expect(summary.score < 100 && summary.score > 0, "one wrong prediction and a wrong edge: \(summary.breakdown)")
        #expect(await server.stop() == 0, "SIGTERM stops the lab server cleanly")

        let again = try await withLabServer(data: data) { try await $0.command(["summary", summary.run, "--json"]) }
        #expect(again.code == 0, "\(again.output)")
        let stored = try decodeSummary(from: again.output)
        #expect(stored.score == summary.score)
        #expect(stored.status == "finished")
    }

    @Test("Ctrl-C during an attack halts it: the fault is removed and the shop is healthy again")
    func interruptHaltsTheAttack() async throws {
        try await withLabServer { server in
            let answers = try writeAnswers("hypotheses: { block-ads: broken, fix-ads: works }")
            let run = try TestProcess(["run", "is-ads-optional", "--answers", answers, "--port", String(server.port)])
            // The second attack (fix-ads) runs its full 20 s: no guardrail ends it before the interrupt.
            let secondAttack = await waitFor(timeout: .seconds(90)) {
                run.lines.filter { $0.contains("attack: blackhole") }.count == 2
            }
            #expect(secondAttack, "the fix-ads attack started: \(run.lines.joined(separator: "\n"))")
            let during = try await server.command(["fault", "list"])
            #expect(during.output.contains("blackhole"), "the fault is active before the interrupt: \(during.output)")

            run.signal(SIGINT)
            #expect(await run.waitForExit(timeout: .seconds(20)) == 130)
            let faults = try await server.command(["fault", "list"])
            #expect(faults.output.contains("no active faults"), "\(faults.output)")
            let status = try await server.command(["status"])
            #expect(!status.output.contains("UNHEALTHY"), "\(status.output)")
        }
    }

    @Test("a command line killed during an attack (SIGKILL, no halt sent) halts it: the server sees the client go")
    func killedClientHaltsTheAttack() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)
            let answers = try writeAnswers("hypotheses: { block-ads: broken, fix-ads: works }")
            let run = try TestProcess(["run", "is-ads-optional", "--answers", answers, "--port", String(server.port)])
            let secondAttack = await waitFor(timeout: .seconds(90)) {
                run.lines.filter { $0.contains("attack: blackhole") }.count == 2
            }
            #expect(secondAttack, "the fix-ads attack started: \(run.lines.joined(separator: "\n"))")
            #expect(try await api.array("GET", "/api/faults").count == 1, "the blackhole is in force")

            run.signal(SIGKILL)
            _ = await run.waitForExit(timeout: .seconds(10))
            // The attack's window is 20 s: the fault is gone long before it would end by itself.
            let removed = await waitFor(timeout: .seconds(3)) {
                (try? await api.array("GET", "/api/faults").isEmpty) ?? false
            }
            #expect(removed, "the fault was removed once the client was gone")
        }
    }

    @Test("Ctrl-C during the second attack halts it and leaves the run open; --resume continues from that exercise to a full score")
    func interruptedRunResumes() async throws {
        try await withLabServer { server in
            let api = APIClient(port: server.port)
            let answers = try writeAnswers("""
                hypotheses: { block-ads: broken, fix-ads: works }
                diagram: { "storefront->ads": true, "storefront->checkout": true, "storefront->cache": false, "checkout->cache": true }
                """)
            // Quick mode (3 s windows), which the resumed run keeps: the signal lands well inside the window.
            let run = try TestProcess(["run", "is-ads-optional", "--learner", "Resume Rita", "--answers", answers, "--quick",
                                       "--port", String(server.port)])
            let secondAttack = await waitFor(timeout: .seconds(90)) {
                run.lines.filter { $0.contains("attack: blackhole") }.count == 2
            }
            #expect(secondAttack, "the fix-ads attack started: \(run.lines.joined(separator: "\n"))")

            run.signal(SIGINT)
            #expect(await run.waitForExit(timeout: .seconds(10)) == 130)
            let told = "stays open: continue it with `chaoslab run is-ads-optional --resume --learner 'Resume Rita'`"
            #expect(run.lines.contains { $0.contains(told) }, "\(run.lines.suffix(5).joined(separator: "\n"))")
            #expect(try await api.array("GET", "/api/faults").isEmpty, "the halt removed the blackhole")

            let resumed = try await server.command(["run", "is-ads-optional", "--resume", "--learner", "Resume Rita",
                                                    "--answers", answers, "--json"])
            #expect(resumed.code == 0, "\(resumed.output)")
            #expect(resumed.output.contains("continuing: 1 of 2 exercises done"), "\(resumed.output)")
            #expect(resumed.output.components(separatedBy: "attack: blackhole").count == 2, "only fix-ads ran again: \(resumed.output)")
            let summary = try decodeSummary(from: resumed.output)
            #expect(summary.status == "finished")
            #expect(summary.exercises.map(\.status) == ["completed", "completed"])
            #expect(summary.score == 100, "\(summary.breakdown)")

            let none = try await server.command(["abandon", "--learner", "Resume Rita"])
            #expect(none.code != 0)
            #expect(none.output.contains("Resume Rita has no unfinished run"), "\(none.output)")
        }
    }

    @Test("SIGTERM during an attack stops the lab server at once, with every service stopped")
    func terminateDuringAnAttack() async throws {
        let server = try await LabServerProcess()
        let pids = try await servicePIDs(server)
        let answers = try writeAnswers("hypotheses: { block-ads: broken, fix-ads: works }")
        let run = try TestProcess(["run", "is-ads-optional", "--answers", answers, "--port", String(server.port)])
        let secondAttack = await waitFor(timeout: .seconds(90)) {
            run.lines.filter { $0.contains("attack: blackhole") }.count == 2
        }
        #expect(secondAttack, "the fix-ads attack started: \(run.lines.joined(separator: "\n"))")

        let start = ContinuousClock.now
        #expect(await server.stop() == 0, "\(server.process.lines.suffix(10).joined(separator: "\n"))")
        #expect(ContinuousClock.now - start < .seconds(10), "the 20 s attack did not hold up the shutdown")
        for pid in pids { #expect(!isAlive(pid), "service pid \(pid) is stopped") }
        _ = await run.waitForExit(timeout: .seconds(10))
    }

    private func servicePIDs(_ server: LabServerProcess) async throws -> [Int32] {
        let status = try await server.command(["status", "--json"])
        let decoded = try JSONDecoder().decode(StatusShape.self, from: Data(jsonBlock(in: status.output).utf8))
        return decoded.services.compactMap(\.pid)
    }

    @Test("no child outlives a lab server killed with SIGKILL, also after a lab has run")
    func noOrphansAfterSIGKILL() async throws {
        let server = try await LabServerProcess()
        let pids = try await servicePIDs(server)
        #expect(pids.count == 4)
        // A lab first: the kill comes after the processes have lived a while (and idle
        // pooled threads have retired), not just after start-up.
        let answers = try writeAnswers("hypotheses: { block-ads: broken, fix-ads: works }")
        let run = try await server.command(["run", "is-ads-optional", "--answers", answers, "--quick"])
        #expect(run.code == 0, "\(run.output)")
        for pid in pids { #expect(isAlive(pid)) }

        server.process.signal(SIGKILL)
        _ = await server.process.waitForExit(timeout: .seconds(10))
        _ = await waitFor(timeout: .seconds(10)) { !pids.contains(where: isAlive) }
        for pid in pids { #expect(!isAlive(pid), "service pid \(pid) outlived its lab server") }
    }

    @Test("a second lab server on a taken port says so and exits non-zero")
    func portInUse() async throws {
        try await withLabServer { server in
            let second = try TestProcess(["start", "--port", String(server.port), "--data", try temporaryFolder().path, "--labs", labsFolder])
            let code = await second.waitForExit(timeout: .seconds(30))
            #expect(code != nil && code != 0)
            #expect(second.lines.joined().contains("port \(server.port)"), "\(second.lines.joined(separator: "\n"))")
        }
    }

    @Test("is-the-cache-just-a-cache: the cart cache breaks checkout, the page cache does not, the fix holds")
    func cacheLabBehavesAsWritten() async throws {
        try await withLabServer { server in try await cacheLab(server) }
    }

    private struct StatusShape: Decodable {
        struct Service: Decodable { let pid: Int32? }
        let services: [Service]
    }
}

func writeAnswers(_ yaml: String) throws -> String {
    let file = try temporaryFolder().appendingPathComponent("answers.yaml")
    try yaml.write(to: file, atomically: true, encoding: .utf8)
    return file.path
}

/// The pretty-printed JSON document at the end of a command's merged output.
func jsonBlock(in output: String) -> String {
    let lines = output.components(separatedBy: "\n")
    guard let start = lines.lastIndex(where: { $0 == "{" }) else { return output }
    return lines[start...].joined(separator: "\n")
}

func decodeSummary(from output: String) throws -> RunSummary {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    do {
        return try decoder.decode(RunSummary.self, from: Data(jsonBlock(in: output).utf8))
    } catch {
        throw TestFailure("no summary JSON in the output (\(error)):\n\(output)")
    }
}
