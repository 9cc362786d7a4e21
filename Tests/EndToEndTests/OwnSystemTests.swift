import Foundation
import LabDomain
import LabEngine
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A system chaoslab has never seen, through the same lab server: the Python bookshop of
/// examples/bookshop, started from its system file, mapped, attacked, graded.
@Suite(.serialized)
struct OwnSystemTests {
    let system = repositoryFolder.appendingPathComponent("examples/bookshop/chaoslab.yaml").path

    @Test("the Python bookshop runs its lab end to end: map, attacks, outcomes, score; nothing of it outlives the server")
    func theBookshopLabEndToEnd() async throws {
        let pids = try await withLabServer(arguments: ["--system", system]) { server in
            #expect(server.process.lines.contains { $0.contains("system bookshop: A bookshop in Python") }, "\(server.process.lines)")
            #expect(server.process.lines.contains { $0.contains("gateway:") }, "the entry service is named: \(server.process.lines)")
            let labs = try await server.command(["labs"])
            #expect(labs.output.contains("are-reviews-optional"), "\(labs.output)")
            #expect(!labs.output.contains("is-ads-optional"), "the shop's labs are not this system's: \(labs.output)")

            let drawn = try await server.command(["map", "are-reviews-optional", "--iterations", "3", "--json"])
            #expect(drawn.code == 0, "\(drawn.output)")
            let map = try JSONDecoder().decode(TrafficMap.self, from: Data(jsonBlock(in: drawn.output).utf8))
            let browse = try #require(map.journeys.first { $0.journey == "browse" })
            let order = try #require(map.journeys.first { $0.journey == "order" })
            #expect(browse.share(of: "gateway->reviews") == 1 && browse.share(of: "gateway->catalog") == 1, "\(browse)")
            #expect(order.share(of: "gateway->reviews") == 0, "an order never asks reviews: \(order)")
            #expect(map.disagreements.contains { $0.hasPrefix("gateway->reviews: claimed optional, carried on 100% of ") },
                    "\(map.disagreements)")

            let answers = try writeAnswers("""
                hypotheses: { block-reviews: broken, slow-catalog: works, kill-catalog: broken }
                map: { browse: [ "gateway->catalog" ], order: [ "gateway->catalog" ] }
                diagram: { "gateway->catalog": true, "gateway->reviews": true }
                """)
            let run = try await server.command(["run", "are-reviews-optional", "--learner", "bo", "--answers", answers, "--quick", "--json"])
            #expect(run.code == 0, "chaoslab run failed:\n\(run.output)")
            let summary = try decodeSummary(from: run.output)
            let block = try #require(summary.exercises.first { $0.id == "block-reviews" })
            #expect(block.observed["browse"] == .broken && block.observed["order"] == .works, "\(block)")
            let contact = try #require(block.faultContact)
            #expect(contact.connections > 0, "the blackhole met gateway's calls to reviews: \(contact)")
            let kill = try #require(summary.exercises.first { $0.id == "kill-catalog" })
            #expect(kill.observed["order"] == .broken, "\(kill)")
            #expect(summary.diagram.discovered["gateway->reviews"] == .some(true), "\(summary.diagram)")
            #expect(summary.diagram.discovered["gateway->catalog"] == .some(true), "\(summary.diagram)")
            #expect(summary.score == 100, "every answer was right: \(summary.breakdown)")
            // The map was predicted first: browse's call to reviews was the surprise.
            #expect(summary.mapPrediction?.journeys["browse"] == ["gateway->catalog"])
            let comparison = try #require(summary.mapComparison, "the prediction is set beside the map")
            #expect(comparison.right == 3 && comparison.total == 4, "\(comparison)")
            #expect(comparison.surprises == ["browse used gateway->reviews (100% of iterations); you did not expect it"], "\(comparison)")
            #expect(run.output.contains("Your prediction: 3 of 4 journey-and-edge cells right"), "\(run.output)")

            let faults = try await server.command(["fault", "list"])
            #expect(faults.output.contains("no active faults"), "no fault stays behind: \(faults.output)")

            // The pages, the reports, the Toxiproxy API and the Chaos Toolkit export work unchanged on it.
            let api = APIClient(port: server.port)
            for (path, mark) in [("/", "are-reviews-optional"), ("/sandbox", "gateway-reviews"), ("/map?lab=are-reviews-optional", "draw-map"),
                                 ("/runs/\(summary.run)", "gateway"), ("/runs/\(summary.run)/report.md", "gateway->reviews")] {
                let page = try await api.send("GET", path, body: nil)
                let text = String(decoding: page.body, as: UTF8.self)
                #expect(page.status == 200 && text.contains(mark), "\(path): \(page.status) \(text.prefix(300))")
            }
            let proxies = try JSONSerialization.jsonObject(with: try await api.send("GET", "/proxies", body: nil).body) as? [String: Any]
            #expect(Set(proxies?.keys.map { $0 } ?? []) == ["gateway-catalog", "gateway-reviews"])
            let export = try await server.command(["export", "ctk", "--system", system, "are-reviews-optional", "block-reviews"])
            #expect(export.code == 0 && export.output.contains("/proxies/gateway-reviews/toxics"), "\(export.output)")

            let status = try await APIClient(port: server.port).send("GET", "/api/status", body: nil)
            let services = try JSONDecoder().decode(StatusPids.self, from: status.body).services
            #expect(Set(services.map(\.name)) == ["catalog", "reviews", "gateway"])
            return services.compactMap(\.pid)
        }
        #expect(pids.count == 3)
        for pid in pids {
            let gone = await waitFor(timeout: .seconds(10)) { kill(pid, 0) != 0 || processState(pid) == "Z" }
            #expect(gone, "service process \(pid) ended with the lab server")
        }
    }

    @Test("a lab server killed outright takes the Python services with it")
    func pythonServicesDieWithAKilledServer() async throws {
        let server = try await LabServerProcess(arguments: ["--system", system])
        let status = try await APIClient(port: server.port).send("GET", "/api/status", body: nil)
        let pids = try JSONDecoder().decode(StatusPids.self, from: status.body).services.compactMap(\.pid)
        #expect(pids.count == 3)
        server.process.signal(SIGKILL)
        _ = await server.process.waitForExit(timeout: .seconds(10))
        for pid in pids {
            // A zombie still answers kill(0); /proc says whether it has run its course.
            let gone = await waitFor(timeout: .seconds(10)) { kill(pid, 0) != 0 || processState(pid) == "Z" }
            #expect(gone, "python service \(pid) outlived its killed lab server")
        }
    }

    @Test("new-lab --from-system --record writes a matrix lab whose expectations are what the bookshop did")
    func aRecordedMatrixLab() async throws {
        let output = try temporaryFolder().appendingPathComponent("bookshop-matrix.yaml").path
        let written = try TestProcess(["new-lab", "bookshop-matrix", "--from-system", system, "--record", "--output", output])
        #expect(await written.waitForExit(timeout: .seconds(180)) == 0, "\(written.lines.joined(separator: "\n"))")
        let lab = try LabLoader.load(file: URL(fileURLWithPath: output), system: try SystemLoader.load(file: URL(fileURLWithPath: system)))
        #expect(lab.exercises.count == 4)
        #expect(lab.exercise("blackhole-gateway-reviews")?.expect == ["browse": .broken, "order": .works], "\(lab.exercises)")
        #expect(lab.exercise("blackhole-gateway-catalog")?.expect == ["browse": .broken, "order": .broken], "\(lab.exercises)")
    }

    @Test("in group mode each team gets its own copy of the system")
    func teamsGetTheirOwnBookshop() async throws {
        try await withGroupServer(arguments: ["--system", system]) { server, facilitator in
            let api = APIClient(port: server.port)
            let team = try await api.createTeam("readers", token: facilitator)
            let info = try JSONSerialization.jsonObject(with: try await api.send(
                "GET", "/api/teams/readers", body: nil, headers: [("Authorization", "Bearer \(facilitator)")]).body) as? [String: Any]
            let services = info?["services"] as? [String: Bool] ?? [:]
            #expect(services == ["catalog": true, "reviews": true, "gateway": true], "\(info ?? [:])")
            #expect(try await fetch(team.storefront + "/api/books", timeout: .seconds(5)) == 200, "the team's entry is its own gateway")
            let status = try await api.send("GET", "/api/status", body: nil, headers: [("Authorization", "Bearer \(facilitator)")])
            let defaultServices = (try JSONSerialization.jsonObject(with: status.body) as? [String: Any])?["services"] as? [[String: Any]]
            let urls = (defaultServices ?? []).compactMap { $0["url"] as? String }
            #expect(urls.count == 3, "\(String(decoding: status.body, as: UTF8.self))")
            #expect(!urls.contains(team.storefront), "the team's gateway is not the default one")
        }
    }

    @Test("the system files' schema accepts the shop's and the bookshop's files and flags a broken one, as an editor would")
    func theSystemSchema() async throws {
        let folder = try temporaryFolder()
        let schema = folder.appendingPathComponent("system.schema.json")
        try SystemSchema.text.write(to: schema, atomically: true, encoding: .utf8)
        let broken = folder.appendingPathComponent("broken.yaml")
        try "system: Not Kebab\ntitle: x\nservices: { a: { comand: [x] } }\nedges: []\n".write(to: broken, atomically: true, encoding: .utf8)
        let shop = repositoryFolder.appendingPathComponent("demo-services/system/shop.yaml").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/lab_schema_check.py").path
        let python = try TestProcess(executable: "/usr/bin/env", ["python3", script, schema.path, "--valid", shop, system, "--invalid", broken.path])
        let code = await python.waitForExit(timeout: .seconds(60))
        let text = python.lines.joined(separator: "\n")
        #expect(code == 0 && text.contains("all checks passed"), "\(text)")
        let copy = try String(contentsOf: repositoryFolder.appendingPathComponent("docs/system.schema.json"), encoding: .utf8)
        #expect(copy == SystemSchema.text + "\n", "docs/system.schema.json is out of date: swift run chaoslab schema --system-file > docs/system.schema.json")
    }

    @Test("a lab written for another system is refused with one clear problem")
    func aLabForAnotherSystemIsRefused() async throws {
        let described = try SystemLoader.load(file: URL(fileURLWithPath: system))
        let shopLab = URL(fileURLWithPath: labsFolder).appendingPathComponent("is-ads-optional.yaml")
        do {
            _ = try LabLoader.load(file: shopLab, system: described)
            Issue.record("the shop's lab should not load on the bookshop")
        } catch {
            #expect(error.problems.count == 1, "\(error)")
            #expect(error.problems.first?.message.contains("written for the system 'shop', not 'bookshop'") == true, "\(error)")
        }
    }
}

/// The part of `GET /api/status` these tests read.
private struct StatusPids: Decodable {
    struct Service: Decodable {
        let name: String
        let pid: Int32?
    }
    let services: [Service]
}
