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

onPage("join", joinPage);
