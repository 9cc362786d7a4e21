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

onPage("sandbox", sandboxPage);
