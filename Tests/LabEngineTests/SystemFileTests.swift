import Foundation
import Testing
@testable import LabEngine

/// System files: the shop's own, a broken one (every problem at once, each where it is), and
/// labs checked against a system they were not written for.
@Suite("System files")
struct SystemFileTests {
    private func problems(_ yaml: String) -> [String] {
        switch SystemLoader.validate(yaml: yaml, file: "chaoslab.yaml", directory: URL(fileURLWithPath: "/tmp")) {
        case .success: []
        case .failure(let error): error.problems.map(\.description)
        }
    }

    static let valid = """
        system: tiny
        title: Two services
        services:
          front:
            command: [python3, front.py, --port, "{port}", --back, "{url.back}"]
          back:
            command: [python3, back.py]
            environment: { PORT: "{port}" }
            health: /ready
            knobs: { timeout_ms: whole_number, fallback: flag }
        edges:
          - { from: front, to: back }
        journeys:
          look:
            steps: [ "GET front /" ]
            slo: { success_rate: 0.99, p95_ms: 500 }
        architecture:
          edges:
            - { from: front, to: back, critical: false }
        """

    @Test("the demo shop's file is valid and is the shop: four services, four edges, its knobs and journeys")
    func theShopIsASystemFile() {
        let shop = SystemDescription.demoShop
        #expect(shop.name == "shop")
        #expect(shop.services.map(\.name) == ["storefront", "checkout", "cache", "ads"])
        #expect(shop.edges.map(\.key) == ["storefront->ads", "storefront->checkout", "storefront->cache", "checkout->cache"])
        #expect(shop.topology.knobs["storefront"]?["ads_timeout_ms"] == .wholeNumber)
        #expect(shop.topology.knobs["checkout"]?["cart_fallback"] == .flag)
        #expect(Set(shop.journeys.keys) == ["checkout", "browse"])
        #expect(shop.architecture.first { $0.edge.key == "storefront->checkout" }?.critical == true)
    }

    @Test("a valid file reads into services, launches, health paths, knobs and edges")
    func aValidFileReads() throws {
        let system = try SystemLoader.validate(yaml: Self.valid, file: "chaoslab.yaml", directory: URL(fileURLWithPath: "/tmp")).get()
        #expect(system.service("back")?.health == "/ready")
        #expect(system.service("front")?.health == "/healthz", "the default health path")
        #expect(system.service("back")?.launch == .command(arguments: ["python3", "back.py"], directory: nil, environment: ["PORT": "{port}"]))
        #expect(system.topology.knobs == ["back": ["timeout_ms": .wholeNumber, "fallback": .flag]])
        #expect(system.directory.path == "/tmp")
    }

    @Test("a broken file reports every problem at once, each at its line and column")
    func everyProblemAtOnce() {
        let found = problems("""
            system: Tiny System
            title: Broken
            services:
              front:
                command: [python3, front.py, --back, "{url.back}", "{url.nowhere}", "{colour}"]
              back:
                command: [python3, back.py, --port, "{port}"]
                address: 127.0.0.1:9000
              outside:
                address: localhost
              faraway:
                address: 127.0.0.1:9001
                health: ready
            edges:
              - { from: front, to: back }
              - { from: front, to: back }
              - { from: front, to: ghost }
              - { from: faraway, to: back }
            journeys:
              look:
                steps: [ "GET nobody /" ]
                slo: { success_rate: 0.99, p95_ms: 500 }
            """)
        let expected = [
            "chaoslab.yaml:1:9: system name 'Tiny System' is not kebab-case",
            "chaoslab.yaml:5:14: the command of 'front' never names {port}",
            "chaoslab.yaml:5:5: {url.nowhere} in the command of front: front has no edge to 'nowhere'",
            "chaoslab.yaml:5:5: unknown placeholder {colour} in the command of front",
            "chaoslab.yaml:8:14: service 'back' has both a command and an address",
            "chaoslab.yaml:10:14: address 'localhost' of 'outside' must be HOST:PORT",
            "chaoslab.yaml:13:13: health 'ready' of 'faraway' must be a path starting with '/'",
            "chaoslab.yaml:16:5: duplicate edge 'front->back' (first at line 15)",
            "chaoslab.yaml:17:5: unknown service 'ghost' in edge front->ghost",
            "chaoslab.yaml:18:5: edge faraway->back: faraway is reached at an address, so chaoslab cannot tell it where back is",
            "chaoslab.yaml:21:14: unknown service 'nobody' in journey step 'GET nobody /'",
        ]
        for message in expected {
            #expect(found.contains { $0.hasPrefix(message) }, "missing: \(message)\nfound:\n\(found.joined(separator: "\n"))")
        }
    }

    @Test("an edge whose caller is never told the proxy's address is refused: its calls would bypass the fault")
    func anEdgeMustPassItsProxy() {
        let found = problems(Self.valid.replacingOccurrences(of: ", --back, \"{url.back}\"", with: ""))
        #expect(found.contains { $0.contains("edge front->back: the command and environment of front never name {url.back}") }, "\(found)")
    }

    @Test("a lab with no architecture or journeys takes its system's; one for another system is refused in one problem")
    func labsMeetTheirSystem() throws {
        let system = try SystemLoader.validate(yaml: Self.valid, file: "chaoslab.yaml", directory: URL(fileURLWithPath: "/tmp")).get()
        let lab = """
            system: tiny
            id: is-back-optional
            title: Is back optional?
            exercises:
              - id: block-back
                title: Block back
                brief: Block it.
                hypothesis:
                  question: What happens?
                  choices: { works: fine, broken: not fine }
                status_check: { journey: look, for: 2s }
                attack: { edge: front->back, fault: blackhole, duration: 5s }
                expect: { look: broken }
            """
        let loaded = try LabValidator.validate(yaml: lab, file: "lab.yaml", system: system).get()
        #expect(loaded.system == "tiny")
        #expect(loaded.architecture == system.architecture)
        #expect(Set(loaded.journeys.keys) == ["look"])

        let onTheShop = LabValidator.validate(yaml: lab, file: "lab.yaml")
        guard case .failure(let error) = onTheShop else { Issue.record("a tiny lab loaded on the shop"); return }
        #expect(error.problems.map(\.description) == [
            "lab.yaml:1:9: this lab is written for the system 'tiny', not 'shop' (The demo shop); "
                + "run it on a lab server started with that system's file: chaoslab start --system FILE",
        ])

        let wrongEdge = lab.replacingOccurrences(of: "edge: front->back", with: "edge: back->front")
        guard case .failure(let edgeError) = LabValidator.validate(yaml: wrongEdge, file: "lab.yaml", system: system) else {
            Issue.record("an edge the system lacks loaded"); return
        }
        #expect(edgeError.problems.first?.message == "unknown edge 'back->front'; known edges: front->back")
    }
}

extension SystemFileTests {
    @Test("a service fault must reach its service: in-process faults need service_faults, none reaches an address")
    func serviceFaultsMustReach() throws {
        // The valid system with a third service, one that runs outside chaoslab.
        let yaml = Self.valid.replacingOccurrences(of: "\nedges:", with: "\n  outside:\n    address: 127.0.0.1:9000\nedges:")
        let system = try SystemLoader.validate(yaml: yaml, file: "chaoslab.yaml", directory: URL(fileURLWithPath: "/tmp")).get()
        func problems(_ attack: String) -> [String] {
            let lab = """
                system: tiny
                id: faults
                title: Faults
                exercises:
                  - id: one
                    title: One
                    brief: Go.
                    hypothesis: { question: What happens?, choices: { works: fine, broken: not fine } }
                    status_check: { journey: look, for: 2s }
                    attack: \(attack)
                    expect: { look: broken }
                """
            switch LabValidator.validate(yaml: lab, file: "lab.yaml", system: system) {
            case .success: return []
            case .failure(let error): return error.problems.map(\.message)
            }
        }
        #expect(problems("{ service: back, fault: kill, duration: 5s }").isEmpty)
        #expect(problems("{ service: back, fault: errors, attributes: { rate: 1 }, duration: 5s }").first?
            .hasPrefix("errors is made inside the service through its /admin/faults endpoints, which back does not serve") == true)
        #expect(problems("{ service: outside, fault: kill, duration: 5s }").first?
            .hasPrefix("outside is reached at an address: chaoslab did not start it") == true)
        #expect(SystemDescription.demoShop.topology.inProcessFaults == ["storefront", "checkout", "cache", "ads"])
    }
}

@Suite("A lab drafted from a system file")
struct SystemLabDraftTests {
    @Test("for every edge a blackhole and a latency exercise, valid as written; recorded outcomes become the expectations")
    func theDraftIsAMatrix() throws {
        let shop = SystemDescription.demoShop
        let lab = try LabValidator.validate(yaml: SystemLabDraft.text(id: "shop-matrix", system: shop), file: "draft.yaml").get()
        #expect(lab.exercises.map(\.id) == SystemLabDraft.exerciseIDs(of: shop))
        #expect(lab.exercises.count == 2 * shop.edges.count)
        #expect(lab.exercises.allSatisfy { $0.expect.values.allSatisfy { $0 == .works } }, "unrecorded: works until filled in")
        #expect(lab.exercises.allSatisfy { $0.guardrails.abortWhen != nil }, "every attack has a guardrail")
        #expect(lab.diagramQuestion != nil)
        #expect(Set(lab.edges(cutBy: lab.exercises[0].attack.target)) == [EdgeID(from: "storefront", to: "ads")])

        let recorded = ["blackhole-storefront-ads": ["checkout": Outcome.broken, "browse": .broken]]
        let again = try LabValidator.validate(
            yaml: SystemLabDraft.text(id: "shop-matrix", system: shop, expected: recorded), file: "draft.yaml").get()
        #expect(again.exercise("blackhole-storefront-ads")?.expect == ["checkout": .broken, "browse": .broken])
        #expect(again.exercise("latency-storefront-ads")?.expect == ["checkout": .works, "browse": .works])
    }
}
