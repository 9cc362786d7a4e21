import Testing
@testable import LabEngine

/// Placeholders that make a lab's texts name the learner's own settings and the measured numbers.
@Suite("Lesson texts: settings and measurements filled in")
struct LessonTextTests {
    let fix: [String: [String: KnobValue]] = ["storefront": ["ads_timeout_ms": .int(250), "ads_fallback": .bool(false)]]

    @Test("a setting reads as a sentence does (250, off); a measurement in words; an unknown one stays as written")
    func filling() {
        let hang = JourneyMeasurement(journey: "checkout", requests: 8, successes: 0, errors: ["GET storefront /: timed out after 2s": 8])
        let fine = JourneyMeasurement(journey: "browse", requests: 40, successes: 39, p50Ms: 301.4, p95Ms: 312.6)
        let text = "At {fix.storefront.ads_timeout_ms} ms, fallback {fix.storefront.ads_fallback}: checkout "
            + "{measured.checkout.success} ({measured.checkout.timed_out} timed out, p95 {measured.checkout.p95}); "
            + "browse {measured.browse.success} over {measured.browse.requests}, p95 {measured.browse.p95}. {fix.cache.ttl}"
        #expect(LessonText.fill(text, fix: fix, measurements: ["checkout": hang, "browse": fine])
                == "At 250 ms, fallback off: checkout 0% (100% timed out, p95 no successful request); "
                + "browse 98% over 40, p95 313 ms. {fix.cache.ttl}")
        #expect(LessonText.fill("{measured.checkout.p50}", fix: nil, measurements: [:]) == "{measured.checkout.p50}",
                "before the attack there is nothing to fill in")
    }

    private func problems(_ exercises: String) -> [LabProblem] {
        Fixtures.problems(ofExercises: exercises)
    }

    @Test("the validator says where a placeholder cannot be filled: unknown knob, journey or field, a measurement before the attack, any in the brief")
    func misplacedPlaceholders() {
        let found = problems("""
              - id: fix-ads
                title: Fix ads
                brief: With {fix.storefront.ads_timeout_ms} ms.
                hypothesis:
                  question: At {fix.storefront.ads_timeot_ms} ms, {measured.checkout.p95}?
                  choices: { works: fine, broken: down }
                attack: { edge: storefront->ads, fault: blackhole, duration: 5s }
                fix: { storefront: { ads_timeout_ms: 300 } }
                expect: { checkout: works }
                debrief: "{measured.browse.p95} and {measured.checkout.p99}, with {fix.storefront.ads_timeout_ms} ms"
            """)
        #expect(found.map(\.message) == [
            "{fix.storefront.ads_timeout_ms} in the brief: the brief is read before any setting is chosen or measured; "
                + "put it in the question, a choice or the debrief",
            "{fix.storefront.ads_timeot_ms}: the fix sets no such knob; it has {fix.storefront.ads_timeout_ms}",
            "{measured.checkout.p95}: measurements exist only after the attack; use them in the debrief",
            "{measured.browse.p95}: the exercise judges no journey 'browse'; journeys: checkout",
            "{measured.checkout.p99}: unknown field 'p99'; fields: success, p50, p95, requests, timed_out",
        ], "\(found)")
        #expect(found.map(\.line) == [13, 15, 15, 20, 20], "each at its text: \(found)")
    }

    @Test("a setting placeholder needs a fix exercise; a well-placed one validates")
    func settingsOnlyInFixes() {
        let experiment = """
              - id: block-ads
                title: Block ads
                brief: Block it.
                hypothesis:
                  question: With {fix.storefront.ads_timeout_ms} ms?
                  choices: { works: fine, broken: down }
                attack: { edge: storefront->ads, fault: blackhole, duration: 5s }
                expect: { checkout: broken }
                debrief: "{measured.checkout.success} succeeded."
            """
        #expect(problems(experiment).map(\.message) == ["{fix.storefront.ads_timeout_ms}: only a fix exercise has settings to name"])
        #expect(problems(experiment.replacingOccurrences(of: "With {fix.storefront.ads_timeout_ms} ms?", with: "What happens?")) == [])
    }
}
