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
    this.points.push({ phase, rate, p50: sample.p50_ms, p95: sample.p95_ms, requests: sample.requests, successes: sample.successes });
    const label = phase === "attack" ? "attack" : "status check";
    this.latest.textContent = rate === null
      ? `${label}, second ${sample.second + 1}: no journey finished`
      : sample.successes === 0
      ? `${label}, second ${sample.second + 1}: no successful request of ${sample.requests}`
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
      // In the gap between the two panels, where no axis label or line is.
      parts.push(`<text x="${start + 4}" y="${top + panel + gap / 2 + 4}">fault</text>`);
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
    // Latency is of successful journeys only: a second with none has no latency (not 0 ms).
    const p50s = this.points.map((p) => (p.successes > 0 ? p.p50 : null));
    const p95s = this.points.map((p) => (p.successes > 0 ? p.p95 : null));
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
      if (this.points[i].requests > 0 && this.points[i].successes === 0) {
        // Every journey of this second failed: no latency to plot, and a mark says why.
        parts.push(`<text class="stalled" x="${x(i)}" y="${latencyTop + 10}" text-anchor="middle">✕<title>no successful request in this second</title></text>`);
      }
    });
    const legendY = latencyTop + panel + 24;
    parts.push(`<text x="${left}" y="${legendY}">— success rate   — p50   ┄ p95   - - SLO   ▮ fault window   (x: seconds)</text>`);
    this.element.innerHTML = `<svg viewBox="0 0 ${width} ${legendY + 8}" role="img" aria-label="success rate and latency per second">${parts.join("")}</svg>`;
  }
}
