// chaoslab's pages: a little plain JavaScript over the lab API. Every action goes through
// /api (the same API as the command line); the server checks and grades everything.
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** Calls the lab API; throws an Error with the server's message on a non-2xx answer. */
async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
  if (!response.ok) throw new Error(data && data.error ? data.error : `${response.status} ${text}`);
  return data;
}

/** POSTs and hands each line of a newline-delimited JSON answer to `onLine` as it arrives. */
async function streamLines(path, onLine) {
  const response = await fetch(path, { method: "POST" });
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try { message = JSON.parse(text).error || text; } catch (_) { /* keep the text */ }
    throw new Error(message);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) onLine(JSON.parse(line));
    }
  }
  if (buffer.trim()) onLine(JSON.parse(buffer));
}

/** The API this page acts on: `/api`, or a team's `/api/teams/NAME`; and the prefix of its pages. */
const API = () => document.body.dataset.api || "/api";
const PAGES = () => document.body.dataset.pages || "";

const percent = (rate) => `${Math.round(rate * 100)}%`;
const ms = (value) => `${Math.round(value)} ms`;

// MARK: Every page: the halt bar, shown while any fault is active.

function haltBar() {
  const bar = $("#halt-bar");
  const count = $("#halt-count");
  const message = $("#halt-message");
  async function refresh() {
    try {
      const faults = await api("GET", `${API()}/faults`);
      count.textContent = String(faults.length);
      bar.hidden = faults.length === 0;
    } catch (_) { /* the server may be restarting; try again next tick */ }
  }
  $("#halt-button").addEventListener("click", async () => {
    try {
      const halted = await api("POST", `${API()}/halt`, {});
      message.textContent = `Halted: ${halted.removed} fault(s) reverted, ${halted.cancelled_experiments} experiment(s) stopped. The sandbox is back to normal.`;
      await refresh();
    } catch (error) {
      message.textContent = `The halt failed: ${error.message}`;
    }
  });
  for (const button of $$(".remove-fault")) {
    button.addEventListener("click", async () => {
      try {
        await api("DELETE", `${API()}/faults/${encodeURIComponent(button.dataset.target)}/${encodeURIComponent(button.dataset.id)}`);
        location.reload();
      } catch (error) {
        message.textContent = `Could not remove ${button.dataset.id}: ${error.message}`;
      }
    });
  }
  setInterval(refresh, 1000);
  document.addEventListener("chaoslab:faults-changed", refresh);
}

/** Tells the halt bar that faults were just added or removed, so it need not wait for its next poll. */
function faultsChanged() {
  document.dispatchEvent(new Event("chaoslab:faults-changed"));
}

// MARK: Home: the learner's name, best scores, starting a lab.

function homePage() {
  const learner = $("#learner");
  const error = $("#start-error");
  learner.value = localStorage.getItem("chaoslab.learner") || "";
  async function bestScores() {
    const name = learner.value.trim();
    if (!name) return;
    try {
      const scores = await api("GET", `/api/learners/${encodeURIComponent(name)}/scores`);
      for (const element of $$("[data-best-for]")) {
        const best = scores[element.dataset.bestFor];
        element.textContent = best === undefined ? "none yet" : String(best);
      }
    } catch (_) { /* scores are a nicety */ }
  }
  learner.addEventListener("change", () => {
    localStorage.setItem("chaoslab.learner", learner.value.trim());
    bestScores();
  });
  for (const button of $$(".start-lab")) {
    button.addEventListener("click", async () => {
      const name = learner.value.trim();
      if (!name) {
        error.hidden = false;
        error.textContent = "Enter your name first: your scores are kept under it.";
        learner.focus();
        return;
      }
      localStorage.setItem("chaoslab.learner", name);
      button.disabled = true;
      try {
        const run = await api("POST", "/api/runs", { lab: button.dataset.lab, learner: name, quick: $("#quick").checked });
        location.href = `/runs/${encodeURIComponent(run.run)}`;
      } catch (failure) {
        error.hidden = false;
        error.textContent = `Could not start the lab: ${failure.message}`;
        button.disabled = false;
      }
    });
  }
  bestScores();
}

// MARK: The live chart: success rate and latency per second, SLO lines, fault window.

class LiveChart {
  constructor(element, slo) {
    this.element = element;
    this.slo = slo;
    this.latest = $("#chart-latest");
    this.reset();
  }

  reset() {
    this.points = [];
    this.faultStart = null;
    this.faultEnd = null;
    this.draw();
  }

  add(phase, sample) {
    const rate = sample.requests > 0 ? sample.successes / sample.requests : null;
    this.points.push({ phase, rate, p50: sample.p50_ms, p95: sample.p95_ms, requests: sample.requests });
    const label = phase === "attack" ? "attack" : "status check";
    this.latest.textContent = rate === null
      ? `${label}, second ${sample.second + 1}: no journey finished`
      : `${label}, second ${sample.second + 1}: ${percent(rate)} success over ${sample.requests}, p50 ${ms(sample.p50_ms)}, p95 ${ms(sample.p95_ms)}`;
    this.draw();
  }

  faultOn() { this.faultStart = this.points.length; this.faultEnd = null; this.draw(); }
  faultOff() { this.faultEnd = this.points.length; this.draw(); }

  draw() {
    const width = 640, left = 48, right = 12, panel = 110, gap = 34, top = 14;
    const count = Math.max(this.points.length, 10);
    const x = (i) => left + (i + 0.5) * (width - left - right) / count;
    const maxLatency = Math.max(this.slo.p95 * 1.5, ...this.points.map((p) => p.p95 || 0), 1);
    const yRate = (rate) => top + panel * (1 - rate);
    const latencyTop = top + panel + gap;
    const yLatency = (value) => latencyTop + panel * (1 - Math.min(value, maxLatency) / maxLatency);
    const parts = [];
    if (this.faultStart !== null) {
      const start = left + this.faultStart * (width - left - right) / count;
      const endIndex = this.faultEnd === null ? this.points.length : this.faultEnd;
      const end = left + Math.max(endIndex, this.faultStart + 0.2) * (width - left - right) / count;
      parts.push(`<rect class="fault-window" x="${start}" y="${top}" width="${Math.max(end - start, 2)}" height="${panel * 2 + gap}"><title>fault window</title></rect>`);
      parts.push(`<text x="${start + 4}" y="${top + 12}">fault</text>`);
    }
    for (const [y0, label] of [[top, "success"], [latencyTop, "latency"]]) {
      parts.push(`<line class="axis" x1="${left}" y1="${y0 + panel}" x2="${width - right}" y2="${y0 + panel}"/>`);
      parts.push(`<line class="axis" x1="${left}" y1="${y0}" x2="${left}" y2="${y0 + panel}"/>`);
      parts.push(`<text x="${left + 6}" y="${y0 + 12}">${label}</text>`);
    }
    parts.push(`<text x="${left - 30}" y="${yRate(1) + 4}">100%</text><text x="${left - 22}" y="${yRate(0) + 4}">0%</text>`);
    parts.push(`<text x="${left - 46}" y="${latencyTop + 10}">${Math.round(maxLatency)} ms</text><text x="${left - 22}" y="${latencyTop + panel + 4}">0</text>`);
    parts.push(`<line class="slo" x1="${left}" y1="${yRate(this.slo.success / 100)}" x2="${width - right}" y2="${yRate(this.slo.success / 100)}"><title>SLO: ${this.slo.success}% success</title></line>`);
    parts.push(`<line class="slo" x1="${left}" y1="${yLatency(this.slo.p95)}" x2="${width - right}" y2="${yLatency(this.slo.p95)}"><title>SLO: p95 ${this.slo.p95} ms</title></line>`);
    const path = (values, y) => {
      let d = "";
      values.forEach((value, i) => {
        if (value === null || value === undefined) return;
        d += `${d && values[i - 1] !== null && values[i - 1] !== undefined ? "L" : "M"}${x(i).toFixed(1)},${y(value).toFixed(1)} `;
      });
      return d;
    };
    const rates = this.points.map((p) => p.rate);
    const p50s = this.points.map((p) => (p.requests > 0 ? p.p50 : null));
    const p95s = this.points.map((p) => (p.requests > 0 ? p.p95 : null));
    parts.push(`<path class="success" d="${path(rates, yRate)}"/>`);
    parts.push(`<path class="p50" d="${path(p50s, yLatency)}"/>`);
    parts.push(`<path class="p95" d="${path(p95s, yLatency)}"/>`);
    rates.forEach((rate, i) => {
      if (rate !== null) {
        parts.push(`<circle cx="${x(i)}" cy="${yRate(rate)}" r="3" class="success"/>`);
      } else {
        // Nothing finished in this second: every journey still waiting is failing the user.
        parts.push(`<text class="stalled" x="${x(i)}" y="${yRate(0) - 4}" text-anchor="middle">✕<title>no journey finished in this second</title></text>`);
      }
    });
    const legendY = latencyTop + panel + 24;
    parts.push(`<text x="${left}" y="${legendY}">— success rate   — p50   ┄ p95   - - SLO   ▮ fault window   (x: seconds)</text>`);
    this.element.innerHTML = `<svg viewBox="0 0 ${width} ${legendY + 8}" role="img" aria-label="success rate and latency per second">${parts.join("")}</svg>`;
  }
}

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

  const fixForm = $("#fix-form");
  if (fixForm) {
    fixForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      try { await saveFix(); } catch (error) { $("#fix-status").textContent = `Not saved: ${error.message}`; }
    });
  }

  $("#hypothesis-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = $("input[name=outcome]:checked");
    if (!chosen) {
      hypothesisStatus.textContent = "Choose works, degraded or broken first.";
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
            ? `${percent(check.measurement.success_rate)} success over ${check.measurement.requests} journeys, p95 ${ms(check.measurement.p95_ms)}`
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
        if (event && event.kind === "guardrail_tripped") countdown.textContent = `Guardrail: ${event.reason}`;
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
    if (result.status === "completed") {
      const observed = result.observed[journey];
      const correct = observed === result.hypothesis;
      verdict.textContent = correct
        ? `✓ As you predicted: the ${journey} journey was ${observed}.`
        : `✗ Not as you predicted: you said ${result.hypothesis}; the ${journey} journey was ${observed}.`;
      const hints = $("#hints");
      if (hints) hints.hidden = correct;
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
      const label = $(".edge-label", group);
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
function scenarioForm(form) {
  const log = $(".scenario-log", form);
  const say = (text) => {
    const item = document.createElement("li");
    item.textContent = text;
    log.appendChild(item);
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = $("button[type=submit]", form);
    const run = encodeURIComponent(form.dataset.run);
    log.replaceChildren();
    const steps = $$(".scenario-step", form);
    const missing = steps.filter((select) => !select.value);
    if (missing.length) {
      say(`Choose a hypothesis for every step first (${missing.map((select) => select.dataset.exercise).join(", ")}).`);
      return;
    }
    button.disabled = true;
    try {
      for (const select of steps) {
        await api("PUT", `${API()}/runs/${run}/exercises/${encodeURIComponent(select.dataset.exercise)}/hypothesis`, { outcome: select.value });
      }
      await streamLines(`${API()}/runs/${run}/scenarios/${encodeURIComponent(form.dataset.scenario)}`, (line) => {
        const event = line.event;
        if (event && event.kind === "exercise_started") say(`${event.exercise_id}: started`);
        if (event && event.kind === "status_check_failed") say(`status check failed: ${event.reason}`);
        if (event && event.kind === "fault_injected") say("fault injected");
        if (event && event.kind === "exercise_finished") {
          const result = event.result;
          const observed = Object.entries(result.observed || {}).sort().map(([name, outcome]) => `${name} ${outcome}`).join(", ");
          say(`${result.exercise_id}: ${result.status}${observed ? `, observed ${observed}` : ""}`);
        }
        if (line.scenario) {
          const done = line.scenario;
          say(done.stopped_at ? `Stopped at ${done.stopped_at}: ${done.reason || "its status check failed"}.` : `Every step ran (${done.steps.length}).`);
        }
      });
    } catch (error) {
      say(`The scenario could not run: ${error.message}`);
    }
    button.disabled = false;
  });
}

// MARK: The sandbox's fault playground.

function sandboxPage() {
  const status = $("#fault-status");
  $("#fault-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const attributes = {};
    for (const pair of $("#fault-attributes").value.split(/\s+/).filter(Boolean)) {
      const [name, value] = pair.split("=");
      if (!name || value === undefined || Number.isNaN(Number(value))) {
        status.textContent = `“${pair}” is not NAME=NUMBER, e.g. latency=1000`;
        return;
      }
      attributes[name] = Number(value);
    }
    try {
      const added = await api("POST", "/api/faults", {
        target: $("#fault-target").value, type: $("#fault-type").value, attributes,
        stream: $("#fault-stream").value, ttl_ms: Number($("#fault-ttl").value) * 1000,
      });
      status.textContent = `Added on ${added.target}: ${added.fault.description} (${added.fault.id}).`;
      setTimeout(() => location.reload(), 600);
    } catch (error) {
      status.textContent = `Not added: ${error.message}`;
    }
  });
}

// The facilitator's page: halt one team, or every team at once (and lock new faults).
function facilitatorPage() {
  const message = $("#halt-all-message");
  for (const button of $$("button[data-halt-team]")) {
    button.addEventListener("click", async () => {
      const team = button.dataset.haltTeam;
      try {
        const halted = await api("POST", `/api/teams/${encodeURIComponent(team)}/halt`, {});
        message.textContent = `Halted team ${team}: removed ${halted.removed} faults, stopped ${halted.cancelled_experiments} experiments.`;
      } catch (error) {
        message.textContent = `Team ${team} not halted: ${error.message}`;
      }
    });
  }
  for (const button of $$("button[data-halt-all]")) {
    button.addEventListener("click", async () => {
      try {
        const result = await api("POST", "/api/teams/halt", { lock: button.dataset.haltAll === "true" });
        message.textContent = `Halted ${result.teams} teams: removed ${result.removed} faults, stopped ${result.cancelled_experiments} experiments` +
          (result.locked ? "; new faults are locked for everyone." : ".");
      } catch (error) {
        message.textContent = `Not halted: ${error.message}`;
      }
    });
  }
}

// MARK: Group mode: joining a team, and the team's page.

function joinPage() {
  const status = $("#join-status");
  // A link opened from chat or mail arrives without the (SameSite=Strict) cookie; a fetch from here has it.
  api("GET", "/api/session").then((session) => {
    if (session.kind === "none") return;
    $("#session-who").textContent = session.kind === "member" ? `${session.name} (${session.role}) in team ${session.team}`
      : session.kind === "team" ? `team ${session.team}` : "the facilitator";
    $("#session-continue").href = session.kind === "facilitator" ? "/facilitator" : `/teams/${encodeURIComponent(session.team)}`;
    $("#session-notice").hidden = false;
  }).catch(() => { /* no session yet: join below */ });
  $("#join-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const role = $("input[name=role]:checked");
    if (!role) {
      status.textContent = "Choose a role first.";
      return;
    }
    try {
      const joined = await api("POST", "/api/join", { code: $("#join-code").value.trim(), name: $("#join-name").value.trim(), role: role.value });
      location.href = `/teams/${encodeURIComponent(joined.team)}`;
    } catch (error) {
      status.textContent = `Not joined: ${error.message}`;
    }
  });
  $("#token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", "/api/session", { token: $("#token").value.trim() });
      location.href = "/team";
    } catch (error) {
      $("#token-status").textContent = `Not signed in: ${error.message}`;
    }
  });
}

/** Fills a list with one item per text (textContent: learner text is never HTML). */
function fillList(list, texts, empty) {
  list.replaceChildren(...(texts.length ? texts : [empty]).map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
}

function teamPage() {
  const section = $("#team");
  const connection = $("#live-connection");
  const chartElement = $("#chart");
  let chart = null;
  let journey = null;
  let faultCount = null;

  function render(state) {
    if (faultCount !== null && faultCount !== state.faults.length) faultsChanged();  // the halt bar need not wait for its poll
    faultCount = state.faults.length;
    const run = state.run;
    $("#live-lab").textContent = run ? `${run.lab_title}${run.quick ? " (quick)" : ""}: ${run.exercises_done} of ${run.exercises} exercises done` +
      (run.finished ? `, finished, score ${run.score}` : "") : "no run yet";
    $("#live-exercise").textContent = run && run.current_title
      ? `${run.current_title}; hypothesis: ${run.hypothesis || "not yet"}` : run ? "every exercise done" : "–";
    $("#live-activity").textContent = state.activity_text || "idle";
    $("#live-faults").textContent = state.faults.length ? state.faults.join("; ") : "none";
    $("#live-faults").classList.toggle("fail", state.faults.length > 0);
    $("#live-result").textContent = (run && run.last_result) || "–";
    fillList($("#live-members"), state.members.map((m) => `${m.name} (${m.role})`), "nobody joined yet");
    fillList($("#live-services"), Object.keys(state.services).sort().map((name) => `${name}: ${state.services[name] ? "healthy" : "DOWN"}`), "no services");
    const notes = state.timeline.map((entry) => `${new Date(entry.at).toLocaleTimeString()} ${entry.kind.replace("_", " ")} by ${entry.author} (${entry.role}): ${entry.text}`);
    const events = (state.events || []).map((line) => `${line.time} ${line.exercise ? line.exercise + ": " : ""}${line.text}`);
    fillList($("#live-timeline"), [...events, ...notes], "nothing yet");
    const open = $("#open-run");
    if (open) {
      open.hidden = !(run && !run.finished);
      if (run && !run.finished) $("#run-controls").href = `${PAGES()}/runs/${encodeURIComponent(run.id)}`;
    }
    if (chartElement && run && run.journey && run.journey !== journey) {
      journey = run.journey;
      chart = new LiveChart(chartElement, { success: run.slo_success_percent, p95: run.slo_p95_ms });
    }
  }

  function onRun(line) {
    const event = line.event;
    if (!event || !chart) return;
    if (event.kind === "status_check_started" || event.kind === "exercise_started") chart.reset();
    if (event.kind === "probe_sample" && event.journey === journey) chart.add(event.phase, event.sample);
    if (event.kind === "fault_injected") chart.faultOn();
    if (event.kind === "fault_removed") chart.faultOff();
  }

  const source = new EventSource(`${API()}/live`);
  source.addEventListener("open", () => { connection.textContent = "Live: updates arrive as they happen."; });
  source.addEventListener("error", () => {
    // The browser retries by itself; it gives up when the server refuses (the team or the session is gone).
    connection.textContent = source.readyState === EventSource.CLOSED
      ? "The live updates ended: the team was removed, or your session is no longer valid. Join again at /join."
      : "Reconnecting to the lab server…";
  });
  source.addEventListener("state", (message) => render(JSON.parse(message.data)));
  source.addEventListener("run", (message) => onRun(JSON.parse(message.data)));

  $("#team-halt").addEventListener("click", async () => {
    try {
      const halted = await api("POST", `${API()}/halt`, {});
      $("#team-halt-status").textContent = `Halted: ${halted.removed} fault(s) reverted, ${halted.cancelled_experiments} experiment(s) stopped.`;
    } catch (error) {
      $("#team-halt-status").textContent = `The halt failed: ${error.message}`;
    }
  });

  const start = $("#start-form");
  if (start) {
    start.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const run = await api("POST", `${API()}/runs`, { lab: $("#lab-choice").value, learner: `team ${section.dataset.team}`, quick: $("#team-quick").checked });
        location.href = `${PAGES()}/runs/${encodeURIComponent(run.run)}`;
      } catch (error) {
        $("#start-status").textContent = `Not started: ${error.message}`;
      }
    });
  }

  for (const form of $$(".scenario-form")) scenarioForm(form);

  for (const form of $$("form[data-kind]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = $("textarea, input", form);
      const status = $(".form-status", form);
      try {
        await api("POST", `${API()}/${form.dataset.kind}`, { text: input.value });
        input.value = "";
        status.textContent = "Added to the timeline.";
      } catch (error) {
        status.textContent = `Not added: ${error.message}`;
      }
    });
  }

  const logs = $("#service-logs");
  if (logs) {
    async function refreshLogs() {
      try {
        const services = await api("GET", `${API()}/services`);
        logs.replaceChildren(...services.map((service) => {
          const block = document.createElement("details");
          block.open = !service.healthy || service.faults.length > 0;
          const title = document.createElement("summary");
          title.textContent = `${service.name}: ${service.state}, ${service.restarts} restart(s)${service.faults.length ? "; faults: " + service.faults.join("; ") : ""}`;
          const text = document.createElement("pre");
          text.textContent = service.log.join("\n") || "(no output yet)";
          block.append(title, text);
          return block;
        }));
      } catch (_) { /* the next refresh tries again */ }
    }
    refreshLogs();
    setInterval(refreshLogs, 2000);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const page = document.body.dataset.page;
  if (page !== "join") haltBar();
  if (page === "facilitator") facilitatorPage();
  if (page === "home") homePage();
  if (page === "run") runPage();
  if (page === "sandbox") sandboxPage();
  if (page === "join") joinPage();
  if (page === "team") teamPage();
});
