/// LabSkeleton is the commented lab that `chaoslab new-lab` writes: every field of the format with
/// what it means and its default, one experiment and one fix. It validates as written, and its
/// experiments hold against the demo shop (a slow ad service breaks checkout; a timeout and a
/// fallback fix it), so that an author starts from a lab that passes `chaoslab validate --live`.
public enum LabSkeleton {
    /// The skeleton of lab `id`; with `schema`, a modeline that points editors at the JSON Schema.
    public static func text(id: String, schema: String? = nil) -> String {
        let modeline = schema.map { "# yaml-language-server: $schema=\($0)\n" } ?? ""
        return modeline + template.replacingOccurrences(of: "LAB-ID", with: id)
    }

    /// Why `id` cannot name a lab, or nil when it can: lab ids are kebab-case, like the loader wants.
    public static func problem(withID id: String) -> String? {
        isKebabCase(id) ? nil : "'\(id)' is not a lab id: use lowercase words and digits joined by '-', like is-checkout-retry-safe"
    }

    private static let template = """
        # LAB-ID: a chaoslab lab. Every field and its default: docs/authoring-labs.md.
        #   chaoslab validate LAB-ID          # check the file (from the folder that holds Labs/)
        #   chaoslab validate --live LAB-ID   # run its experiments against a fresh sandbox
        # As written, it tests one claim (storefront -> ads is optional) with a slow ad service.
        # Replace the texts, the fault and the expected outcomes with your own.

        # Required. Kebab-case, unique among the labs; the file is Labs/<id>.yaml.
        id: LAB-ID
        # The system the lab is written for, as its system file names it. Default: shop (the demo shop).
        system: shop
        # Required. The question the lab answers.
        title: Is the ad service really optional?
        # One line for the list of labs. Default: empty.
        summary: The diagram calls the ad banner decoration. Slow it down and see what a customer sees.
        # How long the lab takes, in minutes. Default: not shown.
        estimated_minutes: 10
        # What the learner practises, one sentence each. Default: none.
        objectives:
          - Test a claim about a dependency instead of trusting the diagram.

        # The diagram the team believes in: each edge once, critical or not (default false).
        # Default: the system file's architecture.
        # Edges: storefront->ads, storefront->checkout, storefront->cache, checkout->cache.
        # The learner's diagram answer is graded against what the experiments reveal.
        architecture:
          edges:
            - { from: storefront, to: ads, critical: false }
            - { from: storefront, to: checkout, critical: true }
            - { from: storefront, to: cache, critical: false }
            - { from: checkout, to: cache, critical: false }

        # At least one. The user journeys the probe drives, by name. Default: the system file's journeys.
        journeys:
          checkout:
            # Required. "METHOD SERVICE PATH" requests, in order; an iteration fails if any step fails.
            steps: [ "GET storefront /", "POST storefront /api/cart/items", "POST storefront /api/checkout" ]
            # Required. works: success rate at least success_rate (0..1) and p95 at most p95_ms.
            slo: { success_rate: 0.99, p95_ms: 500 }
            # A success rate below this is broken, between it and the SLO degraded. Default: 0.5.
            failure_threshold: 0.5

        # How hard the probe drives each journey: iterations started per second (default 5, at most 100)
        # and the time allowed for one iteration (default 2s).
        probe: { rate: 5, timeout: 2s }

        # Optional. Named status checks: criteria that must all hold before (and during) an attack.
        # Kinds: journey, http, prometheus, alerts, calendar; `chaoslab check LAB` runs them now.
        status_checks:
          site-up:
            - kind: http
              url: "{storefront}/healthz"       # {service} or {lab}, or an http:// URL on this machine
              method: GET                       # default GET
              headers: { Accept: "*/*" }
              # body: '{"probe": true}'         # for POST, PUT and PATCH
              status: 200                       # a code, a list [200, 204], or "200-299"; default 200-299
              max_ms: 500                       # the slowest acceptable answer
              # json: { path: "$.status", equals: "ok" }   # or expect: ">= 1" on a number
              # matches: "ok"                   # a regular expression the body must contain
              timeout: 2s
          weather:
            - { kind: alerts, matching: { severity: page } }     # no incident open in Alertmanager
            - { kind: prometheus, query: 'min(up{job="shop", team="$team"})', expect: "== 1" }
            - { kind: journey, journey: checkout, for: 3s }
            # - { kind: calendar, file: ../monitoring/calendars/sale-day-freeze.ics, others: sandbox }

        # Required, at least one. Each exercise: hypothesis, status check, attack, expected outcome.
        exercises:
          # An experiment: does the claim hold?
          - id: slow-ads                     # required, kebab-case, unique in the lab
            title: Slow down the ad service  # required
            # Required, Markdown: the claim under test and the fault.
            brief: |
              The diagram marks **storefront → ads** as not critical. This exercise delays every answer
              of the ad service by 3 seconds.
            # Required: the question, and a sentence for each outcome the learner may choose.
            hypothesis:
              question: If every ad arrives 3 seconds late, what happens to a customer checking out?
              choices:
                works: Nothing visible; the banner just shows up later or not at all.
                degraded: Checkout succeeds but is slow.
                broken: Most checkouts fail.
                # refused: It does not go ahead; the status check refuses it.   (with weather, below)
            # Steady state first: the named checks must pass, then this journey must meet its SLO,
            # or nothing is injected. Defaults: the first journey of expect, by name; for 5s (3s at
            # most in quick mode); no named checks. A continuous check halts the attack when it fails.
            status_check:
              journey: checkout
              for: 5s
              checks: [ site-up ]
              # continuous: { checks: [ weather ], every: 1s }
            # Weather the learner did not make: a fault the lab puts in before the status check; it
            # waits (at most `within`, default 30s) until the weather shows in a named check (that
            # check fails), and takes it out after the run. With weather, a choice `refused` may be
            # offered, and `expect: refused` says the status check must refuse the attack.
            # weather: { inject: { edge: storefront->checkout, fault: reset_peer }, shows_in: site-up, within: 30s }
            # Required. edge: <edge> for a network fault, or service: <service> for a process fault.
            # Faults, their attributes and units: docs/authoring-labs.md, or `chaoslab schema`.
            attack:
              edge: storefront->ads
              fault: latency
              attributes: { latency: 3000, jitter: 0 }  # milliseconds
              stream: downstream                        # toxics only; default downstream (the answers)
              duration: 20s                             # how long to observe; default 20s (3s in quick mode)
            guardrails:
              max_duration: 60s                         # the attack never lasts longer; default 60s
              # Halt early when the journey gets this bad (success_rate_below, p95_above_ms or both).
              # Default: no early halt.
              abort_when: { journey: checkout, success_rate_below: 0.1, p95_above_ms: 10000 }
            # Required: the outcome of each journey under the fault: works, degraded or broken.
            # These journeys are the ones probed during the attack.
            expect: { checkout: broken }
            # Markdown, shown after the outcome. Default: empty.
            debrief: |
              Storefront waits for ads with no timeout, so a slow ad service holds every page back
              past the probe's 2 s timeout: **storefront → ads is critical**.
            # Shown one at a time when the prediction was wrong. Default: none.
            hints:
              - What does storefront do while it waits for an ad?

          # A fix exercise (it has fix:): does the remedy hold under the same fault?
          - id: fix-slow-ads
            title: Give up on ads after 300 ms
            brief: |
              Storefront gives up on ads after `ads_timeout_ms` and renders the page without a banner
              when `ads_fallback` is on. This exercise sets both and slows ads down again.
            hypothesis:
              question: With a 300 ms ad timeout and a fallback, what happens to checkout?
              choices:
                works: Checkout meets its SLO; pages lose the banner and about 300 ms.
                degraded: Checkout succeeds but breaks its latency objective.
                broken: Checkout still fails.
            status_check: { journey: checkout, for: 5s }
            attack: { edge: storefront->ads, fault: latency, attributes: { latency: 3000 }, duration: 20s }
            guardrails: { max_duration: 60s, abort_when: { journey: checkout, success_rate_below: 0.1 } }
            # Knobs per service, set before the status check and reset afterwards; the learner may
            # change their values in the browser. Knobs: docs/authoring-labs.md. Default: none.
            fix:
              storefront: { ads_timeout_ms: 300, ads_fallback: true }
            # Or watch an alert in Alertmanager during the attack (the choices are then alerted and
            # silent), and make the exercise a fix of its rule file in monitoring/rules/: the lab
            # reloads Prometheus before the run; `solution` is what `validate --live` tests it with.
            # hypothesis: { question: Does CartSlow fire in time?, choices: { alerted: Yes., silent: No. } }
            # alert: { name: CartSlow, within: 15s, expect: alerted }
            # fix_rules: { file: cart-alerts.yml, solution: ../monitoring/solutions/cart-alerts.yml }
            expect: { checkout: works }
            debrief: |
              A timeout turns the slow answer into a fast error, and the fallback turns the error
              into a page without a banner: the dependency is now optional in fact.
            hints:
              - Add the ad timeout to a page's time and compare it with the p95 objective.

        # The closing question about the diagram.
        # Default: "For each edge of the diagram: is it critical for the user?"
        diagram:
          question: Which edges are critical after all? Mark each edge critical or not.

        # Optional. Game-day scenarios: exercises of this lab run one after another, each behind
        # its own status check; a scenario stops at the first status check that fails, and at a
        # { check: NAME } step between attacks that does not pass.
        scenarios:
          - id: slow-then-fixed
            title: Slow ads, then the fix
            steps: [ slow-ads, { check: site-up }, fix-slow-ads ]

        """
}
