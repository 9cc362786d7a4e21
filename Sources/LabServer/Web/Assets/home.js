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
  // Runs started and not finished (a closed tab, a stopped terminal): continue or abandon each.
  async function openRuns() {
    const name = learner.value.trim();
    const section = $("#unfinished");
    const list = $("#open-runs");
    list.replaceChildren();
    section.hidden = true;
    if (!name) return;
    let runs = [];
    try {
      runs = await api("GET", `${API()}/learners/${encodeURIComponent(name)}/open-runs`);
    } catch (_) { return; /* a nicety, like the scores */ }
    for (const run of runs) {
      const item = document.createElement("li");
      item.dataset.run = run.run;
      const title = document.createElement("strong");
      title.textContent = run.lab_title;
      const when = new Date(run.started_at).toLocaleString();
      const progress = document.createTextNode(
        ` — ${run.done} of ${run.total} exercises done, next: ${run.next} (started ${when}${run.quick ? ", quick mode" : ""}) `);
      const resume = document.createElement("a");
      resume.className = "button primary continue-run";
      resume.href = `${PAGES()}/runs/${encodeURIComponent(run.run)}`;
      resume.textContent = "Continue";
      const abandon = document.createElement("button");
      abandon.type = "button";
      abandon.className = "abandon-run";
      abandon.textContent = "Abandon (score what was done)";
      abandon.addEventListener("click", async () => {
        abandon.disabled = true;
        try {
          await api("POST", `${API()}/runs/${encodeURIComponent(run.run)}/abandon`);
          location.href = `${PAGES()}/runs/${encodeURIComponent(run.run)}/summary`;
        } catch (failure) {
          const error = $("#open-runs-error");
          error.hidden = false;
          error.textContent = `Could not abandon the run: ${failure.message}`;
          abandon.disabled = false;
        }
      });
      item.append(title, progress, resume, " ", abandon);
      list.append(item);
    }
    section.hidden = runs.length === 0;
  }
  learner.addEventListener("change", () => {
    localStorage.setItem("chaoslab.learner", learner.value.trim());
    bestScores();
    openRuns();
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
  openRuns();
}

onPage("home", homePage);
