import Foundation
import Testing
@testable import LabEngine

@Suite("Running an experiment")
struct ExperimentRunnerTests {
    @Test func withoutAHypothesisNothingHappens() async {
        let sandbox = FakeSandbox()
        let events = EventLog()

        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(exercise: "block-ads", hypothesis: nil, events: events.record)
        }

        #expect(result.status == .refused)
        #expect(result.reason?.hasPrefix("record a hypothesis first") == true)
        #expect(sandbox.calls.isEmpty)
        #expect(events.kinds == ["exercise_started", "exercise_finished"])
    }

    @Test("the status check probes every journey the attack will judge, not only its own")
    func theStatusCheckCoversEveryJudgedJourney() async {
        let sandbox = FakeSandbox(.checkoutDown)
        let browse = Journey(name: "browse", steps: [JourneyStep(method: .get, service: "storefront", path: "/")],
                             slo: SLO(successRate: 0.99, p95Ms: 500))
        var lab = TestLab.lab
        lab.journeys["browse"] = browse
        var exercise = TestLab.exercise("both")
        exercise.statusCheck.journey = "browse"
        exercise.expect = ["browse": .broken, "checkout": .broken]
        lab.exercises = [exercise]
        let runner = ExperimentRunner(lab: lab, faults: sandbox, config: sandbox, client: sandbox,
                                      clock: sandbox.clock, now: { sandbox.clock.date })

        let result = await sandbox.clock.run { await runner.run(exercise: "both", hypothesis: .broken, events: { _ in }) }

        #expect(result.refusedByStatusCheck, "browse works, checkout does not: \(result.reason ?? "")")
        #expect(result.reason?.hasPrefix("steady state does not hold: checkout broken") == true, "\(result.reason ?? "")")
        #expect(result.statusCheck?.journey == "browse" && result.statusCheck?.successRate == 1, "the status check's own journey is the one shown")
        #expect(sandbox.calls.isEmpty, "nothing was injected")
    }

    @Test func aBlackholedOptionalDependencyWithoutTimeoutBreaksTheJourney() async {
        let sandbox = FakeSandbox()
        let events = EventLog()

        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(exercise: "block-ads", hypothesis: .works, events: events.record)
        }

        #expect(result.status == .completed, "\(result.reason ?? "")")
        #expect(result.statusCheck?.successRate == 1)
        #expect(result.observed == ["checkout": .broken])
        #expect(result.measurements["checkout"]?.errors.keys.contains("GET storefront /: timed out after 300ms") == true)
        #expect(result.matchesExpectation)
        #expect(sandbox.calls == ["inject blackhole storefront->ads", "remove f1"])
        #expect(sandbox.activeFaults == 0)
        #expect(events.kinds == ["exercise_started", "status_check_started", "status_check_passed", "fault_injected",
                                 "fault_removed", "exercise_finished"])
        #expect(!events.samples(.statusCheck).isEmpty && !events.samples(.attack).isEmpty)
        #expect(abs(result.finishedAt.timeIntervalSince(result.startedAt) - 3.25) < 0.001,
                "start and finish follow the run's clock: 1 s status check, 2 s attack, 250 ms for the last iteration to time out")
    }

    @Test("a status check that passed a moment ago stands for the attack's: steady state is not probed twice")
    func aRecentStatusCheckIsNotRepeated() async {
        let sandbox = FakeSandbox()
        let events = EventLog()
        let recent = JourneyMeasurement(journey: "checkout", requests: 12, successes: 12, p50Ms: 20, p95Ms: 30)

        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(exercise: "block-ads", hypothesis: .broken, recentStatusCheck: recent, events: events.record)
        }

        #expect(result.status == .completed, "\(result.reason ?? "")")
        #expect(result.statusCheck == recent)
        #expect(events.kinds == ["exercise_started", "status_check_passed", "fault_injected", "fault_removed", "exercise_finished"])
        #expect(events.samples(.statusCheck).isEmpty, "no status-check probe ran")
    }

    @Test func whenSteadyStateDoesNotHoldNoFaultIsInjected() async {
        let sandbox = FakeSandbox(.checkoutDown)
        let events = EventLog()

        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(exercise: "block-ads", hypothesis: .broken, events: events.record)
        }

        #expect(result.status == .inconclusive)
        #expect(result.reason?.hasPrefix("steady state does not hold: checkout broken, success 0 over") == true,
                "\(result.reason ?? "")")
        #expect(result.haltedBy == "guardrail: status check")
        #expect(sandbox.calls.isEmpty)
        #expect(events.kinds.contains("status_check_failed") && events.kinds.contains("guardrail_tripped"))
    }

    @Test func theAbortGuardrailHaltsTheAttackEarlyAndRemovesTheFault() async {
        let sandbox = FakeSandbox()
        let events = EventLog()
        let clock = sandbox.clock

        let started = clock.now
        let result = await clock.run {
            await TestLab.runner(sandbox).run(exercise: "block-ads-guarded", hypothesis: .broken, events: events.record)
        }

        #expect(result.haltedBy == "guardrail: success rate 0.00 < 0.50")
        #expect(result.status == .completed)
        #expect(result.observed == ["checkout": .broken])
        #expect(clock.now - started == .seconds(2), "a 20 s attack halted at its first second, after a 1 s status check")
        #expect(sandbox.calls == ["inject blackhole storefront->ads", "remove f1"])
        #expect(events.kinds.firstIndex(of: "guardrail_tripped")! < events.kinds.firstIndex(of: "fault_removed")!)
    }

    @Test func aFixIsAppliedBeforeTheStatusCheckAndResetAfterwards() async {
        let sandbox = FakeSandbox()
        let events = EventLog()

        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(exercise: "fix-ads", hypothesis: .works, events: events.record)
        }

        #expect(result.kind == .fix)
        #expect(result.observed == ["checkout": .works], "\(result.measurements)")
        #expect(sandbox.calls == ["apply storefront", "inject blackhole storefront->ads", "remove f1", "reset storefront"])
        #expect(sandbox.state.current.knobs.isEmpty)
        #expect(events.kinds.prefix(2) == ["exercise_started", "fix_applied"])
    }

    @Test func quickModeCapsEveryWindowAtThreeSeconds() async {
        let sandbox = FakeSandbox()
        let events = EventLog()
        let clock = sandbox.clock

        let started = clock.now
        let result = await clock.run {
            await TestLab.runner(sandbox, quick: true).run(exercise: "block-ads-long", hypothesis: .broken,
                                                           events: events.record)
        }
        let elapsed = clock.now - started

        #expect(result.observed == ["checkout": .broken])
        #expect(elapsed <= .seconds(6) + TestLab.probe.timeout, "5 s status check and 20 s attack both capped at 3 s")
        #expect(events.all.contains(.statusCheckStarted(journey: "checkout", window: .seconds(3))))
        #expect(events.samples(.attack).count <= 4)
    }

    @Test func cancellingTheRunStillRemovesTheFault() async {
        let sandbox = FakeSandbox()
        let events = EventLog()
        let runner = TestLab.runner(sandbox)

        let result = await sandbox.clock.run {
            await withTaskGroup(of: ExerciseResult.self) { group in
                group.addTask { await runner.run(exercise: "block-ads-long", hypothesis: .broken, events: events.record) }
                await events.waitFor("fault_injected")
                group.cancelAll()
                return await group.next()!
            }
        }

        #expect(result.status == .errored)
        #expect(result.reason == "cancelled during the attack; the fault was removed")
        #expect(sandbox.calls == ["inject blackhole storefront->ads", "remove f1"])
        #expect(sandbox.activeFaults == 0)
    }

    @Test func aClientThatHangsCannotKeepTheFaultInPlace() async {
        let sandbox = FakeSandbox(.hangsUnderFaultIgnoringTimeouts)

        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(exercise: "block-ads", hypothesis: .broken, events: { _ in })
        }

        #expect(result.observed == ["checkout": .broken], "the probe's timeout ends iterations the client never ends")
        #expect(sandbox.calls == ["inject blackhole storefront->ads", "remove f1"])
        #expect(sandbox.activeFaults == 0)
    }

    @Test func aFailedInjectionIsAnErrorAndEveryFaultIsCleared() async {
        let sandbox = FakeSandbox(failInjection: true)

        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(exercise: "block-ads", hypothesis: .broken, events: { _ in })
        }

        #expect(result.status == .errored)
        #expect(result.reason?.hasPrefix("could not inject blackhole on storefront->ads") == true)
        #expect(sandbox.calls == ["inject blackhole storefront->ads", "remove all"])
    }

    @Test func anUnknownExerciseIsAnError() async {
        let sandbox = FakeSandbox()
        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(exercise: "nope", hypothesis: .works, events: { _ in })
        }
        #expect(result.status == .errored)
        #expect(result.reason?.hasPrefix("unknown exercise 'nope'; exercises: block-ads") == true)
    }
}

@Suite("Proof that the fault landed")
struct FaultContactTests {
    @Test("a fault that touched nothing is inconclusive, with that reason, and not graded; the fault still comes off")
    func aFaultThatMetNoTrafficIsInconclusive() async {
        let sandbox = FakeSandbox()
        sandbox.state.withLock { $0.contact = FaultContact(connections: 0, bytes: 0) }

        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(exercise: "block-ads", hypothesis: .broken, events: { _ in })
        }

        #expect(result.status == .inconclusive)
        #expect(result.reason?.hasPrefix("the fault never met traffic: nothing went through storefront->ads") == true, "\(result.reason ?? "")")
        #expect(result.faultContact == FaultContact(connections: 0, bytes: 0))
        #expect(sandbox.calls == ["inject blackhole storefront->ads", "remove f1"])
        let score = Grader.grade(lab: TestLab.lab, results: [result], diagramAnswer: nil, runErrored: false)
        #expect(score.breakdown.first { $0.item == "block-ads" }.map { ($0.earned, $0.max) } ?? (-1, -1) == (0, 0),
                "neither right nor wrong: \(score.breakdown)")
    }

    @Test("what the fault touched is kept with the result and reported each second of the attack")
    func theContactIsStoredAndLive() async {
        let sandbox = FakeSandbox()
        sandbox.state.withLock { $0.contact = FaultContact(connections: 3, bytes: 1_200) }
        let events = EventLog()

        let result = await sandbox.clock.run {
            await TestLab.runner(sandbox).run(exercise: "block-ads", hypothesis: .broken, events: events.record)
        }

        #expect(result.status == .completed, "\(result.reason ?? "")")
        #expect(result.faultContact == FaultContact(connections: 3, bytes: 1_200))
        #expect(events.kinds.contains("fault_contact"), "\(events.kinds)")
        #expect(FaultContact(connections: 3, bytes: 1_200).summary == "3 connections, 1.2 kB")
    }
}
