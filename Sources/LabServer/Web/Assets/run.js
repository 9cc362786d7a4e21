// MARK: A run: hypothesis, status check, attack, outcome; then the diagram.

function runPage() {
  const exercise = $("#exercise");
  if (exercise) exerciseStep(exercise);
  const diagram = $("#diagram-step");
  if (diagram) diagramStep(diagram);
}

function exerciseStep(section) {
  const { run, exercise, journey } = section.dataset;
  const base = `${API()}/runs/${encodeURIComponent(run)}/exercises/${encodeURIComponent(exercise)}`;
  const attackButton = $("#start-attack");
  const checkButton = $("#status-check");
  const gateText = $("#attack-gate");
  const hypothesisStatus = $("#hypothesis-status");
  const statusResult = $("#status-result");
  const countdown = $("#countdown");
  const chart = new LiveChart($("#chart"), { success: Number(section.dataset.sloSuccess), p95: Number(section.dataset.sloP95) });
  let hypothesisSaved = section.dataset.hasHypothesis === "true";
  let statusPassed = false;
  let busy = false;

  function gate() {
    attackButton.disabled = busy || !(hypothesisSaved && statusPassed);
    checkButton.disabled = busy;
    gateText.textContent = busy ? "Running…" : hypothesisSaved && statusPassed ? "Ready." :
      !hypothesisSaved ? "Save a hypothesis first." : "Run a passing status check first.";
  }

  /** The fix form's settings as {service: {knob: value}}, or null on a plain experiment. */
  function chosenFix() {
    const knobs = $$("#fix-form .knob");
    if (knobs.length === 0) return null;
    const fix = {};
    for (const input of knobs) {
      const { service, knob, type } = input.dataset;
      const value = type === "bool" ? input.checked : type === "int" ? Number.parseInt(input.value, 10)
        : type === "double" ? Number.parseFloat(input.value) : input.value;
      if ((type === "int" || type === "double") && Number.isNaN(value)) throw new Error(`${service}: ${knob} needs a number`);
      (fix[service] = fix[service] || {})[knob] = value;
    }
    return fix;
  }

  async function saveFix() {
    const fix = chosenFix();
    if (fix === null) return;
    await api("PUT", `${base}/fix`, fix);
    $("#fix-status").textContent = "These settings will be applied.";
  }

  /** Every element that names a setting ({fix.SERVICE.KNOB} in the lab's texts), also inside the debriefs' templates. */
  function settingSpans(key) {
    const selector = `[data-setting="${CSS.escape(key)}"]`;
    return $$(selector).concat(...$$("template").map((template) => Array.from(template.content.querySelectorAll(selector))));
  }

  /** The question, the choices and the debriefs name the settings as the learner sets them. */
  function showSettings() {
    let fix = null;
    try { fix = chosenFix(); } catch (_) { return; /* a number being typed */ }
    for (const [service, knobs] of Object.entries(fix || {})) {
      for (const [knob, value] of Object.entries(knobs)) {
        const text = value === true ? "on" : value === false ? "off" : String(value);
        for (const span of settingSpans(`${service}.${knob}`)) span.textContent = text;
      }
    }
  }

  const mapButton = $("#draw-run-map");
  if (mapButton) {
    mapButton.addEventListener("click", async () => {
      const list = $("#run-map");
      mapButton.disabled = true;
      list.replaceChildren();
      const say = (text) => { const item = document.createElement("li"); item.textContent = text; list.append(item); };
      try {
        // The prediction: every journey with a row, its ticked edges (none ticked is a prediction too).
        const prediction = {};
        for (const box of $$("input[name=predict]")) {
          prediction[box.dataset.journey] = prediction[box.dataset.journey] || [];
          if (box.checked) prediction[box.dataset.journey].push(box.value);
        }
        const body = Object.keys(prediction).length ? { prediction } : undefined;
        const map = await api("POST", `${API()}/runs/${encodeURIComponent(run)}/map`, body);
        let right = 0, total = 0;
        for (const journey of map.journeys) {
          const used = map.edges.filter((edge) => (journey.edges.find((e) => e.edge === edge) || { iterations: 0 }).iterations > 0);
          say(`${journey.journey} uses ${used.length ? used.join(", ") : "no edge"}`);
          if (!body) continue;
          const guessed = prediction[journey.journey] || [];
          for (const edge of map.edges) {
            total += 1;
            const wasUsed = used.includes(edge), wasGuessed = guessed.includes(edge);
            if (wasUsed === wasGuessed) right += 1;
            else say(wasUsed ? `✗ ${journey.journey} used ${edge}; you did not expect it` : `✗ ${journey.journey} never used ${edge}, which you expected it to`);
          }
        }
        if (body) say(`Your prediction: ${right} of ${total} journey-and-edge cells right`);
        for (const line of map.disagreements) say(`The traffic questions the claim: ${line}`);
      } catch (failure) {
        say(`No map: ${failure.message}`);
      }
      mapButton.disabled = false;
    });
  }

  const fixForm = $("#fix-form");
  if (fixForm) {
    fixForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      try { await saveFix(); } catch (error) { $("#fix-status").textContent = `Not saved: ${error.message}`; }
    });
    fixForm.addEventListener("input", showSettings);
    // A changed knob is saved at once: what the question names is what the attack applies.
    fixForm.addEventListener("change", async () => {
      try { await saveFix(); } catch (error) { $("#fix-status").textContent = `Not saved: ${error.message}`; }
    });
  }

  $("#hypothesis-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = $("input[name=outcome]:checked");
    if (!chosen) {
      hypothesisStatus.textContent = "Choose one of the answers first.";
      return;
    }
    try {
      await api("PUT", `${base}/hypothesis`, { outcome: chosen.value });
      hypothesisSaved = true;
      hypothesisStatus.textContent = `Saved: ${chosen.value}.`;
    } catch (error) {
      hypothesisStatus.textContent = `Not saved: ${error.message}`;
    }
    gate();
  });

  function sampleOf(line) {
    const event = line.event;
    return event && event.kind === "probe_sample" && event.journey === journey ? event : null;
  }

  checkButton.addEventListener("click", async () => {
    busy = true;
    statusPassed = false;
    gate();
    chart.reset();
    statusResult.className = "";
    statusResult.textContent = "Running the status check…";
    try {
      await streamLines(`${base}/status-check`, (line) => {
        const sample = sampleOf(line);
        if (sample) chart.add("status_check", sample.sample);
        if (line.status_check) {
          const check = line.status_check;
          statusPassed = check.passed;
          const numbers = check.measurement
            ? `${percent(check.measurement.success_rate)} success over ${check.measurement.requests} journeys, ${check.measurement.successes > 0 ? `p95 ${ms(check.measurement.p95_ms)}` : "no successful request"}`
            : "no measurement";
          statusResult.className = check.passed ? "pass" : "fail";
          statusResult.textContent = check.passed
            ? `✔ Steady state holds: ${numbers}. You may start the attack.`
            : `✖ Steady state does not hold: ${check.reason || numbers}`;
        }
      });
    } catch (error) {
      statusResult.className = "fail";
      statusResult.textContent = `✖ The status check could not run: ${error.message}`;
    }
    busy = false;
    gate();
  });

  attackButton.addEventListener("click", async () => {
    try {
      await saveFix();  // what the form shows is what runs
    } catch (error) {
      $("#fix-status").textContent = `Not saved: ${error.message}`;
      return;
    }
    busy = true;
    gate();
    chart.reset();
    const forms = $$("#fix-form input, #fix-form button, #hypothesis-form input, #hypothesis-form button");
    let started = false;
    let finished = false;
    let timer = null;
    const seconds = section.dataset.quick === "true" ? Math.min(3, Number(section.dataset.attackSeconds)) : Number(section.dataset.attackSeconds);
    countdown.textContent = "Checking steady state before the fault…";
    try {
      await streamLines(`${base}/attack`, (line) => {
        if (!started) {
          // The server accepted the attack: from now on the hypothesis and the fix are locked.
          started = true;
          for (const input of forms) input.disabled = true;
          hypothesisStatus.textContent = "Locked: the attack has started.";
        }
        const event = line.event;
        const sample = sampleOf(line);
        if (sample) chart.add(sample.phase, sample.sample);
        if (event && event.kind === "fault_injected") {
          faultsChanged();
          chart.faultOn();
          let left = seconds;
          countdown.textContent = `Fault active: ${left} s left`;
          timer = setInterval(() => {
            left = Math.max(0, left - 1);
            countdown.textContent = left > 0 ? `Fault active: ${left} s left` : "Rolling back…";
          }, 1000);
        }
        if (event && event.kind === "fault_contact") $("#fault-contact").textContent = `The fault has met ${contactText(event.contact)} so far.`;
        if (event && event.kind === "guardrail_tripped") countdown.textContent = `Guardrail: ${String(event.reason).replace(/^guardrail:\s*/, "")}`;
        if (event && event.kind === "fault_removed") {
          faultsChanged();
          chart.faultOff();
          if (timer) clearInterval(timer);
          countdown.textContent = "Fault removed.";
        }
        if (line.result) {
          finished = true;
          showOutcome(line.result);
        }
      });
      if (!finished) throw new Error("the connection to the lab server ended before the result; reload the page to see where the run stands");
    } catch (error) {
      countdown.textContent = `The attack could not run: ${error.message}`;
      if (!started) for (const input of forms) input.disabled = false;
      busy = false;
      gate();
      faultsChanged();
    }
    if (timer) clearInterval(timer);
  });

  function showOutcome(result) {
    const outcome = $("#outcome");
    const verdict = $("#outcome-verdict");
    const list = $("#outcome-measurements");
    const next = $("#next-step");
    outcome.hidden = false;
    gateText.textContent = "Done.";
    list.innerHTML = "";
    for (const [name, m] of Object.entries(result.measurements || {})) {
      const item = document.createElement("li");
      const latency = m.successes > 0 ? `p50 ${ms(m.p50_ms)}, p95 ${ms(m.p95_ms)}` : "none succeeded";
      item.textContent = `${name}: ${percent(m.success_rate)} success over ${m.requests} journeys, ${latency} → ${result.observed[name] || "?"}`;
      list.appendChild(item);
    }
    if (result.fault_contact) {
      const item = document.createElement("li");
      item.textContent = `the fault met ${contactText(result.fault_contact)}`;
      list.appendChild(item);
    }
    const answer = result.observed_prediction;
    if (answer && answer !== "inconclusive" && (result.status === "completed" || answer === "refused")) {
      const correct = answer === result.hypothesis;
      // "works" is a verdict, not an English predicate: "the checkout journey kept working".
      const happened = {
        works: `the ${journey} journey kept working`, degraded: `the ${journey} journey was degraded`,
        broken: `the ${journey} journey broke`,
        refused: `the status check refused the attack (${result.reason || "no fault went in"})`,
        alerted: `the alert fired: ${result.alert ? alertText(result.alert) : ""}`,
        silent: `the alert stayed silent: ${result.alert ? alertText(result.alert) : ""}`,
      }[answer] || `${journey} ${answer}`;
      verdict.textContent = correct
        ? `✓ As you predicted: ${happened}.`
        : `✗ Not as you predicted: you said ${result.hypothesis}; ${happened}.`;
      // The debrief follows what was measured, where the lab wrote one per outcome.
      const variant = document.querySelector(`template.debrief-variant[data-outcome="${answer}"]`);
      if (variant) $(".debrief").innerHTML = variant.innerHTML;
      fillMeasured($(".debrief"), result.measurements || {});
      // After a wrong prediction the hints come first; the debrief waits until the learner asks.
      const hints = $("#hints");
      if (hints) {
        hints.hidden = correct;
        $(".debrief").hidden = !correct;
        $("#show-debrief").addEventListener("click", () => {
          $(".debrief").hidden = false;
          $("#show-debrief").hidden = true;
        }, { once: true });
      }
      next.textContent = "Next";
    } else {
      verdict.textContent = `Inconclusive (${result.status}): ${result.reason || "nothing could be judged"}. Nothing was graded; run it again.`;
      next.textContent = "Try again";
    }
    next.addEventListener("click", () => location.reload());
    outcome.scrollIntoView({ behavior: "smooth", block: "start" });
    next.focus({ preventScroll: true });
  }

  gate();
}

/** "3 connections, 1.2 kB": what a fault touched, as the terminal says it. */
function contactText(contact) {
  const bytes = contact.bytes < 1000 ? `${contact.bytes} B` : contact.bytes < 1e6
    ? `${(contact.bytes / 1000).toFixed(1)} kB` : `${(contact.bytes / 1e6).toFixed(1)} MB`;
  return `${contact.connections} connection${contact.connections === 1 ? "" : "s"}, ${bytes}`;
}

/** Fills {measured.JOURNEY.FIELD} in `root` from the attack's measurements, as the terminal words them. */
function fillMeasured(root, measurements) {
  for (const span of $$("[data-measured]", root)) {
    const [journey, field] = span.dataset.measured.split(".");
    const m = measurements[journey];
    if (!m) continue;
    const none = m.requests === 0 ? "no journey finished" : "no successful request";
    span.textContent = {
      success: percent(m.success_rate), requests: String(m.requests), timed_out: percent(m.timed_out_share || 0),
      p50: m.successes > 0 ? ms(m.p50_ms) : none, p95: m.successes > 0 ? ms(m.p95_ms) : none,
    }[field] ?? span.textContent;
  }
}

/** "CartSlow fired 6.2 s after the fault went in" from a result's `alert`. */
function alertText(alert) {
  if (alert.problem) return `${alert.name} could not be watched: ${alert.problem}`;
  if (alert.fired_after_ms != null) return `${alert.name} fired ${(alert.fired_after_ms / 1000).toFixed(1)} s after the fault went in`;
  return `${alert.name} stayed silent for ${(alert.watched_ms / 1000).toFixed(1)} s of attack`;
}

function diagramStep(section) {
  const run = section.dataset.run;
  const status = $("#diagram-status");
  const boxes = new Map($$("input[name=edge]").map((box) => [box.value, box]));
  function paint(key) {
    const box = boxes.get(key);
    for (const group of $$(`g[data-edge="${CSS.escape(key)}"]`, section)) {
      group.classList.toggle("critical", box.checked);
      group.classList.toggle("optional", !box.checked);
      group.setAttribute("aria-pressed", String(box.checked));
      group.setAttribute("aria-label", `${key}: ${box.checked ? "critical" : "optional"}; press to toggle critical`);
      const label = $(".edge-state", group);
      if (label) label.textContent = box.checked ? "critical" : "optional";
    }
  }
  for (const [key, box] of boxes) {
    box.addEventListener("change", () => paint(key));
    paint(key);
  }
  for (const group of $$("g[data-edge]", section)) {
    const toggle = () => {
      const box = boxes.get(group.dataset.edge);
      box.checked = !box.checked;
      paint(group.dataset.edge);
    };
    group.addEventListener("click", toggle);
    group.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); }
    });
  }
  $("#diagram-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const edges = {};
    for (const [key, box] of boxes) edges[key] = box.checked;
    status.textContent = "Grading…";
    try {
      await api("PUT", `${API()}/runs/${encodeURIComponent(run)}/diagram`, { edges });
      await api("POST", `${API()}/runs/${encodeURIComponent(run)}/finish`);
      location.href = `${PAGES()}/runs/${encodeURIComponent(run)}/summary`;
    } catch (error) {
      status.textContent = `Not submitted: ${error.message}`;
    }
  });
}

/** The commander's game-day scenario: a hypothesis per step, then the steps streamed as they run. */

onPage("run", runPage);
