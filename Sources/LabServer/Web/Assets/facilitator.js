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

onPage("facilitator", facilitatorPage);
