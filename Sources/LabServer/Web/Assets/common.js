// chaoslab's pages: a little plain JavaScript over the lab API, one file per page beside this
// one, which every page loads first. Every action goes through /api (the same API as the
// command line); the server checks and grades everything.
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

/** Starts `start` once the page has loaded, on the page named `name` (the body's data-page). */
function onPage(name, start) {
  document.addEventListener("DOMContentLoaded", () => {
    if (document.body.dataset.page === name) start();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.body.dataset.page !== "join") haltBar();
});
