// MARK: The map that traffic draws: each journey's edges beside the claimed diagram.

function mapPage() {
  const form = $("#map-form");
  const status = $("#map-status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = $("#draw-map");
    button.disabled = true;
    status.textContent = "Walking each journey…";
    try {
      const map = await api("POST", `${API()}/map`, {
        lab: $("#map-lab").value, iterations: Number.parseInt($("#map-iterations").value, 10) || 5,
      });
      showMap(map);
      status.textContent = "";
    } catch (failure) {
      status.textContent = `No map: ${failure.message}`;
    }
    button.disabled = false;
  });
}

function showMap(map) {
  const journeys = $("#map-journeys");
  journeys.replaceChildren();
  for (const journey of map.journeys) {
    const table = document.createElement("table");
    table.className = "map";
    table.dataset.journey = journey.journey;
    const caption = document.createElement("caption");
    caption.textContent = `${journey.journey}: ${journey.succeeded} of ${journey.iterations} iterations went through every step`;
    table.append(caption);
    const head = table.createTHead().insertRow();
    for (const title of ["edge", "the claim", "carried"]) {
      const cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = title;
      head.append(cell);
    }
    const body = table.createTBody();
    for (const edge of map.edges) {
      const use = journey.edges.find((e) => e.edge === edge);
      const share = use ? use.iterations / journey.iterations : 0;
      const row = body.insertRow();
      row.dataset.edge = edge;
      row.className = share === 0 ? "silent" : "carried";
      const claim = map.claimed[edge];
      const kB = use ? (use.bytes / 1000).toFixed(1) : "0";
      for (const text of [edge, claim === undefined ? "not on the diagram" : claim ? "critical" : "optional",
        share === 0 ? "nothing" : `on ${percent(share)} of iterations (${kB} kB, ${use.connections} new connection${use.connections === 1 ? "" : "s"})`]) {
        row.insertCell().textContent = text;
      }
    }
    journeys.append(table);
  }
  const list = $("#map-disagreements");
  list.replaceChildren();
  for (const line of map.disagreements) {
    const item = document.createElement("li");
    item.textContent = line;
    list.append(item);
  }
  if (map.disagreements.length === 0) {
    const item = document.createElement("li");
    item.textContent = "None: the traffic agrees with the claimed diagram.";
    list.append(item);
  }
  $("#map-silent").textContent = map.silent.length ? `Carried nothing in any journey: ${map.silent.join(", ")}.` : "";
  $("#map-result").hidden = false;
}

onPage("map", mapPage);
