import Foundation
import Testing
@testable import LabEngine

@Suite("Loading lab directories")
struct LabLoaderTests {
    @Test func everyShippedLabValidatesWithNoProblems() {
        let catalog = LabLoader.load(directory: Fixtures.shippedLabsDirectory)

        #expect(catalog.problems == [], "\(catalog.problems.map(\.description).joined(separator: "\n"))")
        #expect(catalog.labs.map(\.id) == [
            "dependency-matrix", "did-monitoring-see-it", "gray-failure", "is-ads-optional", "is-the-cache-just-a-cache", "kill-and-restart",
            "latency-is-not-an-outage", "learning-from-an-incident", "retry-storms", "take-the-temperature",
        ])
    }

    /// A lab is a lesson: it says what it teaches, and every exercise has a brief, three
    /// plausible answers, a debrief and hints.
    @Test func everyShippedLabIsALesson() {
        for lab in LabLoader.load(directory: Fixtures.shippedLabsDirectory).labs {
            #expect(!lab.summary.isEmpty && lab.estimatedMinutes != nil && lab.objectives.count >= 2, "\(lab.id)")
            #expect(lab.diagramQuestion != nil, "\(lab.id) asks for the diagram at the end")
            for exercise in lab.exercises {
                let place = "\(lab.id) / \(exercise.id)"
                #expect(exercise.brief.count > 200, "\(place): a brief that teaches (\(exercise.brief.count) characters)")
                #expect(exercise.debrief.count > 200, "\(place): a debrief that explains (\(exercise.debrief.count) characters)")
                #expect(!exercise.hints.isEmpty, "\(place): hints")
                // A choice per outcome of the question asked: of a journey, of a watched alert, and
                // `refused` where the lab brings weather.
                let question = exercise.alert != nil ? Outcome.alertOutcomes
                    : exercise.weather != nil ? [.refused, .works, .broken] : Outcome.predictable
                #expect(Set(exercise.hypothesis.choices.keys) == Set(question), "\(place): a choice per outcome")
            }
        }
    }

    @Test("no brief or question of a shipped lab names the outcome its exercise expects, before the prediction",
          arguments: LabLoader.load(directory: Fixtures.shippedLabsDirectory).labs.map(\.id))
    func noAnswerGivenAway(lab id: String) throws {
        let lab = try #require(LabLoader.load(directory: Fixtures.shippedLabsDirectory).lab(id))
        for exercise in lab.exercises {
            let answers = exercise.expectsRefusal ? [Outcome.refused] : exercise.alert.map { [$0.expect] } ?? Array(exercise.expect.values)
            for answer in Set(answers) {
                let word = try Regex("(?i)\\b\(answer.rawValue)\\b")
                #expect(!exercise.brief.contains(word), "\(id) / \(exercise.id): the brief says \(answer.rawValue)")
                #expect(!exercise.hypothesis.question.contains(word), "\(id) / \(exercise.id): the question says \(answer.rawValue)")
            }
        }
    }

    @Test("validate flags a brief that names the expected outcome, at the brief's line")
    func aBriefThatGivesTheAnswerAway() {
        let yaml = """
            id: telling
            title: Telling
            architecture:
              edges:
                - { from: storefront, to: ads, critical: false }
            journeys:
              checkout:
                steps: [ "GET storefront /" ]
                slo: { success_rate: 0.99, p95_ms: 500 }
            exercises:
              - id: block-ads
                title: Block ads
                brief: Without a timeout the page waits forever, so checkout is Broken.
                hypothesis: { question: "What happens?", choices: { works: a, degraded: b, broken: c } }
                attack: { edge: storefront->ads, fault: blackhole }
                expect: { checkout: broken }
            """
        guard case .failure(let error) = LabValidator.validate(yaml: yaml, file: "telling.yaml") else {
            Issue.record("the lab should not load")
            return
        }
        #expect(error.problems.map(\.description) == [
            "telling.yaml:13:12: the brief says 'broken', the outcome this exercise expects, before the learner predicts it; "
                + "state the situation and the claim, and keep the answer for the debrief",
        ])
    }

    @Test("expect as one word other than refused says what it takes, at its line")
    func expectAsAWord() {
        let yaml = """
            id: one-word
            title: One word
            architecture:
              edges:
                - { from: storefront, to: ads, critical: false }
            journeys:
              checkout:
                steps: [ "GET storefront /" ]
                slo: { success_rate: 0.99, p95_ms: 500 }
            exercises:
              - id: block-ads
                title: Block ads
                brief: Block it.
                hypothesis: { question: "What happens?", choices: { works: a, degraded: b, broken: c } }
                attack: { edge: storefront->ads, fault: blackhole }
                expect: broken
            """
        guard case .failure(let error) = LabValidator.validate(yaml: yaml, file: "one-word.yaml") else {
            Issue.record("the lab should not load")
            return
        }
        #expect(error.problems.map(\.description) == [
            "one-word.yaml:16:13: expect is a mapping of journeys to outcomes, like `expect: { checkout: broken }`, "
                + "or `expect: refused`; got 'broken'",
        ])
    }

    @Test func theShippedLabsSayWhatTheDemoShopDoes() throws {
        let catalog = LabLoader.load(directory: Fixtures.shippedLabsDirectory)
        let ads = try #require(catalog.lab("is-ads-optional"))
        let cache = try #require(catalog.lab("is-the-cache-just-a-cache"))

        #expect(ads.exercise("block-ads")?.expect["checkout"] == .broken)
        #expect(ads.exercise("fix-ads")?.kind == .fix)
        #expect(ads.exercise("fix-ads")?.fix?["storefront"] == ["ads_timeout_ms": .int(300), "ads_fallback": .bool(true)])
        #expect(cache.exercise("block-cart-cache")?.expect["checkout"] == .broken)
        #expect(cache.exercise("block-page-cache")?.expect["checkout"] == .works)
        #expect(cache.exercise("fix-cart-cache")?.expect["checkout"] == .works)
        #expect(cache.exercise("fix-cart-cache")?.attack.target == .edge(EdgeID(from: "checkout", to: "cache")))
    }

    @Test func aBrokenLabNeverKeepsTheValidOnesFromLoading() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("labs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Fixtures.text("ValidLab").write(to: directory.appendingPathComponent("good.yaml"), atomically: true, encoding: .utf8)
        try Fixtures.text("LabWithUnknownEdge").write(to: directory.appendingPathComponent("bad.yml"), atomically: true,
                                                     encoding: .utf8)
        try "not a lab".write(to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)

        let catalog = LabLoader.load(directory: directory)

        #expect(catalog.labs.map(\.id) == ["valid-lab"])
        #expect(catalog.problems.map(\.file) == ["bad.yml"])
        #expect(catalog.problems.first?.message.contains("unknown edge") == true)
    }

    @Test func aMissingFileSaysSo() {
        #expect(throws: LabLoadError.self) {
            try LabLoader.load(file: URL(fileURLWithPath: "/nonexistent/lab.yaml"))
        }
    }
}
