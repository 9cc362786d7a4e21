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

onPage("team", teamPage);
