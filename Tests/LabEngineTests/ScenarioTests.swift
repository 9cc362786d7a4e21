import Foundation
import Testing
@testable import LabEngine

/// Game-day scenarios: the lab's exercises one after another, stopping at the first failed status check.
@Suite("Running a scenario")
struct ScenarioTests {
    @Test func everyStepRunsInOrderWhenSteadyStateHolds() async {
        let sandbox = FakeSandbox()
        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(scenario: "drill", hypotheses: ["block-ads": .broken, "fix-ads": .works],
                                              events: { _ in })
        }

        #expect(result.completed, "\(result.reason ?? "")")
        #expect(result.steps.map(\.exerciseID) == ["block-ads", "fix-ads"])
        #expect(result.steps.map(\.status) == [.completed, .completed])
        #expect(result.steps.map { $0.observed["checkout"] } == [.broken, .works])
        #expect(sandbox.calls.filter { $0.hasPrefix("inject") }.count == 2)
    }

    @Test func aFailedStatusCheckStopsTheScenarioBeforeTheNextAttack() async {
        let sandbox = FakeSandbox(.checkoutDownAfterFirstFault)
        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(scenario: "drill", hypotheses: ["block-ads": .broken, "fix-ads": .works],
                                              events: { _ in })
        }

        #expect(!result.completed)
        #expect(result.stoppedAt == "fix-ads")
        #expect(result.reason?.contains("the status check before fix-ads failed") == true, "\(result.reason ?? "")")
        #expect(result.steps.map(\.status) == [.completed, .inconclusive])
        #expect(sandbox.calls.filter { $0.hasPrefix("inject") } == ["inject blackhole storefront->ads"],
                "only the first step attacked: \(sandbox.calls)")
        #expect(sandbox.state.current.faults.isEmpty, "nothing is left injected")
    }

    @Test func aStepWithoutAHypothesisStopsTheScenario() async {
        let sandbox = FakeSandbox()
        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(scenario: "drill", hypotheses: [:], events: { _ in })
        }

        #expect(result.stoppedAt == "block-ads")
        #expect(result.reason?.contains("refused") == true)
        #expect(sandbox.calls.isEmpty, "nothing ran: \(sandbox.calls)")
    }

    @Test func anUnknownScenarioIsNamed() async {
        let sandbox = FakeSandbox()
        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(scenario: "nope", hypotheses: [:], events: { _ in })
        }
        #expect(result.steps.isEmpty)
        #expect(result.reason == "unknown scenario 'nope'; scenarios: drill")
    }

    @Test func scenariosReadFromALabFile() throws {
        let yaml = try Fixtures.text("ValidLab") + """

            scenarios:
              - { id: drill, title: The drill, steps: [ block-ads, block-ads ] }
            """
        let lab = try LabValidator.validate(yaml: yaml, file: "scenario.yaml").get()
        #expect(lab.scenarios == [Scenario(id: "drill", title: "The drill", steps: ["block-ads", "block-ads"])])
    }

    @Test(arguments: [
        ("- { id: drill, title: The drill, steps: [ block-adz ] }", "scenario 'drill' names unknown exercise 'block-adz'; exercises: block-ads"),
        ("- { id: drill, title: The drill, steps: [] }", "a scenario needs at least one step"),
        ("- { id: drill, title: T, steps: [ block-ads ] }\n  - { id: drill, title: T, steps: [ block-ads ] }", "duplicate scenario id 'drill'"),
        ("- { id: drill, steps: [ block-ads ] }", "missing required field 'title'"),
    ])
    func aBrokenScenarioIsReported(scenario: String, message: String) throws {
        let yaml = try Fixtures.text("ValidLab") + "\nscenarios:\n  \(scenario)\n"
        let problems = LabValidator.validate(yaml: yaml, file: "scenario.yaml").failureProblems
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.message.contains(message) == true, "\(problems)")
    }
}
