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

onPage("home", homePage);
