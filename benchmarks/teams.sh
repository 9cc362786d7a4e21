#!/usr/bin/env bash
# benchmarks/teams.sh: how many team sandboxes one lab server holds.
#
# Starts `chaoslab start --facilitator` on a free loopback port and creates N teams one
# after another through the lab API (POST /api/teams), each with its own four services and
# four fault proxies. Reports, as markdown on stdout (progress on stderr):
#   1. the time to create each sandbox (p50, max);
#   2. resident memory per sandbox: the RSS (and PSS) of its four service processes, from
#      /proc, plus the lab server's own growth divided by N, and the drop of the machine's
#      MemAvailable divided by N (the binary's pages are shared, so RSS counts them 4 times);
#   3. whether every service of every sandbox stays healthy, before and after the load;
#   4. the lab API's latency (GET /api/teams/NAME/faults with the team's token, one
#      keep-alive connection) while every sandbox's storefront is probed at once and VIEWERS
#      live team pages per team are open (GET /api/teams/NAME/live);
#   5. the live push: from posting a note to its arrival on each open page of the team.
# It stops everything it started when it ends (also on Ctrl-C or an error).
set -euo pipefail

TEAMS=${TEAMS:-25}                       # sandboxes to create
PROBE_RATE=${PROBE_RATE:-5}              # home-page requests per second per sandbox during the load
LOAD_SECONDS=${LOAD_SECONDS:-20}         # how long every sandbox is probed at once
API_REQUESTS=${API_REQUESTS:-400}        # lab API requests timed during the load
VIEWERS=${VIEWERS:-4}                    # live team pages (server-sent event streams) open per team during the load
NOTES=${NOTES:-40}                       # notes posted during the load, each timed until every viewer of its team has it
SCRATCH=${SCRATCH:-.build}               # swift build --scratch-path (relative to the repo)
CONFIG=${CONFIG:-release}                # release or debug
CHAOSLAB_BIN=${CHAOSLAB_BIN:-}           # a built chaoslab binary: skips the build

BENCHMARK=teams.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chaoslab-teams.XXXXXX")

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_lab "$status" "$WORK/chaoslab.log"
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT INT TERM

command -v python3 >/dev/null || die "python3 is needed"
build_chaoslab

log "starting $CHAOSLAB_BIN start --facilitator (max $((TEAMS + 1)) teams)"
"$CHAOSLAB_BIN" start --facilitator --port 0 --max-teams $((TEAMS + 1)) --data "$WORK/data" --labs "$REPO/Labs" >"$WORK/chaoslab.log" 2>&1 &
LAB_PID=$!
PORT=""
for ((i = 0; i < 600; i++)); do
    PORT=$(sed -n 's/.*lab server: *http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/chaoslab.log" | head -1)
    [[ -n $PORT ]] && break
    kill -0 "$LAB_PID" 2>/dev/null || die "chaoslab exited during start-up"
    sleep 0.1
done
[[ -n $PORT ]] || die "the lab server did not start within 60 s"
log "lab server on port $PORT (pid $LAB_PID)"

COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 - "$PORT" "$LAB_PID" "$WORK/data/facilitator-token" "$TEAMS" "$PROBE_RATE" "$LOAD_SECONDS" "$API_REQUESTS" "$COMMIT" "$CHAOSLAB_BIN" "$VIEWERS" "$NOTES" <<'PY'
import http.client, json, os, socket, sys, threading, time

port, server_pid, token_file, teams, rate, load_seconds, api_requests, commit, binary, viewers, notes = sys.argv[1:]
port, server_pid, teams, rate, load_seconds, api_requests = int(port), int(server_pid), int(teams), float(rate), float(load_seconds), int(api_requests)
viewers, notes = int(viewers), int(notes)
facilitator = open(token_file).read().strip()

def log(text):
    print("[teams.sh] " + text, file=sys.stderr, flush=True)

def kb(pid, field):  # VmRSS from status, Pss from smaps_rollup, in kB
    path = "/proc/%d/%s" % (pid, "status" if field == "VmRSS" else "smaps_rollup")
    try:
        for line in open(path):
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0

def children(pid):
    found = set()
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            found |= {int(p) for p in open("/proc/%d/task/%s/children" % (pid, task)).read().split()}
        except OSError:
            pass
    return found

def request(method, path, token=None, body=None, connection=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    if own:
        connection.close()
    return response.status, data

def pct(values, p):  # nearest rank
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-p * len(ordered) // 100)) - 1))]

def mem_available():  # kB
    for line in open("/proc/meminfo"):
        if line.startswith("MemAvailable:"):
            return int(line.split()[1])

server_before = kb(server_pid, "VmRSS")
available_before = mem_available()
known = children(server_pid)
created, create_ms, service_rss, service_pss, failures = [], [], [], [], []
for index in range(1, teams + 1):
    name = "team-%02d" % index
    started = time.monotonic()
    status, data = request("POST", "/api/teams", facilitator, {"name": name})
    elapsed = (time.monotonic() - started) * 1000
    if status != 201:
        failures.append("%s: %d %s" % (name, status, data.decode()[:200]))
        log("%s failed: %d %s" % (name, status, data.decode()[:200]))
        break
    team = json.loads(data)
    pids = children(server_pid) - known
    known |= pids
    time.sleep(0.3)  # let the services finish their first allocations
    rss = sum(kb(pid, "VmRSS") for pid in pids)
    pss = sum(kb(pid, "Pss") for pid in pids)
    created.append(dict(name=name, token=team["token"], storefront=team["storefront_url"], pids=pids))
    create_ms.append(elapsed)
    service_rss.append(rss)
    service_pss.append(pss)
    log("%s created in %.0f ms; its %d services: RSS %.1f MB, PSS %.1f MB" % (name, elapsed, len(pids), rss / 1024, pss / 1024))
server_after = kb(server_pid, "VmRSS")
available_after = mem_available()

def health():
    status, data = request("GET", "/api/teams", facilitator)
    infos = json.loads(data) if status == 200 else []
    return sum(1 for info in infos if info["services_healthy"]), len(infos)

healthy_before = health()

# Every sandbox's storefront probed at once, while one client times the lab API.
stop = threading.Event()
probe_counts = {"ok": 0, "failed": 0}
lock = threading.Lock()
def probe(team):
    host_port = team["storefront"].split("//")[1]
    host, sport = host_port.split(":")
    interval = 1.0 / rate
    next_at = time.monotonic()
    connection = None
    while not stop.is_set():
        try:
            connection = connection or http.client.HTTPConnection(host, int(sport), timeout=5)
            connection.request("GET", "/", headers={"X-Session": team["name"]})
            response = connection.getresponse(); response.read()
            ok = response.status == 200
        except Exception:
            ok = False
            connection = None
        with lock:
            probe_counts["ok" if ok else "failed"] += 1
        next_at += interval
        time.sleep(max(0, next_at - time.monotonic()))

# Live team pages: each reads its server-sent events and notes when each note first arrives.
arrivals = {}   # (viewer id, note text) -> time
streams, state_events = [], [0]
def view(team, viewer):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=load_seconds + 30)
    connection.request("GET", "/api/teams/%s/live" % team["name"], headers={"Authorization": "Bearer " + team["token"]})
    response = connection.getresponse()
    with lock:
        streams.append(connection)
    try:
        while True:
            line = response.readline()  # through the chunked decoding
            if not line:
                break
            if line.startswith(b"data: ") and b'"timeline"' in line:
                now = time.monotonic()
                with lock:
                    state_events[0] += 1
                for entry in json.loads(line[6:]).get("timeline", []):
                    with lock:
                        arrivals.setdefault((viewer, entry["text"]), now)
    except (OSError, ValueError):
        pass

viewer_threads = []
for team in created:
    for index in range(viewers):
        thread = threading.Thread(target=view, args=(team, "%s/%d" % (team["name"], index)), daemon=True)
        thread.start()
        viewer_threads.append(thread)

threads = [threading.Thread(target=probe, args=(team,), daemon=True) for team in created]
for thread in threads:
    thread.start()
time.sleep(1)
note_sent = []  # (team name, text, time sent)
def post_notes():
    for k in range(notes):
        if stop.is_set() or not created:
            return
        team = created[k % len(created)]
        text = "bench note %d" % k
        sent = time.monotonic()
        status, _ = request("POST", "/api/teams/%s/notes" % team["name"], team["token"], {"text": text})
        if status == 201:
            note_sent.append((team["name"], text, sent))
        time.sleep(load_seconds / max(notes, 1) * 0.8)
noter = threading.Thread(target=post_notes, daemon=True)
noter.start()
api = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
api_ms, api_errors = [], 0
deadline = time.monotonic() + load_seconds
count = 0
while time.monotonic() < deadline or count < api_requests:
    team = created[count % len(created)] if created else None
    if team is None:
        break
    started = time.monotonic()
    status, _ = request("GET", "/api/teams/%s/faults" % team["name"], team["token"], connection=api)
    api_ms.append((time.monotonic() - started) * 1000)
    api_errors += status != 200
    count += 1
    time.sleep(max(0, load_seconds / api_requests - (time.monotonic() - started)) if time.monotonic() < deadline else 0)
    if count >= api_requests and time.monotonic() >= deadline:
        break
stop.set()
for thread in threads:
    thread.join(timeout=10)
noter.join(timeout=10)
time.sleep(0.5)  # the last note's pushes
with lock:
    for connection in streams:
        try:
            connection.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
push_ms, missed = [], 0
for name, text, sent in note_sent:
    for index in range(viewers):
        arrived = arrivals.get(("%s/%d" % (name, index), text))
        if arrived is None:
            missed += 1
        else:
            push_ms.append((arrived - sent) * 1000)
healthy_after = health()
load = open("/proc/loadavg").read().split()[:3]

n = len(created)
mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
print("# Team sandboxes: measured")
print()
print("chaoslab %s (`%s`), %d CPUs, %.1f GiB; load average after: %s" % (commit, binary, os.cpu_count(), mem, " ".join(load)))
print()
print("| measure | value |")
print("| --- | --- |")
print("| sandboxes created | %d of %d%s |" % (n, teams, "" if not failures else " (stopped at: %s)" % failures[0]))
if n:
    print("| time to create one (p50 / max) | %.0f ms / %.0f ms |" % (pct(create_ms, 50), max(create_ms)))
    print("| its 4 services' RSS (mean / max) | %.1f MB / %.1f MB |" % (sum(service_rss) / n / 1024, max(service_rss) / 1024))
    print("| its 4 services' PSS (mean) | %.1f MB |" % (sum(service_pss) / n / 1024))
    growth = (server_after - server_before) / n / 1024
    print("| lab server growth per sandbox | %.1f MB (%.1f → %.1f MB) |" % (growth, server_before / 1024, server_after / 1024))
    print("| memory per sandbox (RSS + server growth) | %.1f MB |" % (sum(service_rss) / n / 1024 + growth))
    print("| the machine's MemAvailable drop per sandbox | %.1f MB |" % ((available_before - available_after) / n / 1024))
    print("| sandboxes with every service healthy, before / after the load | %d of %d / %d of %d |" % (healthy_before + healthy_after))
    total = probe_counts["ok"] + probe_counts["failed"]
    print("| storefront probes during the load (%.0f/s per sandbox, %.0f s) | %d, %d failed |" % (rate, load_seconds, total, probe_counts["failed"]))
    print("| lab API GET /api/teams/NAME/faults under load (p50 / p99 / max, %d requests) | %.2f ms / %.2f ms / %.2f ms (%d errors) |"
          % (len(api_ms), pct(api_ms, 50), pct(api_ms, 99), max(api_ms), api_errors))
    print("| live team pages open during the load | %d (%d per team), %d state events received |" % (len(viewer_threads), viewers, state_events[0]))
    if push_ms:
        print("| live push: a note posted to its arrival on each open page of the team (p50 / p99 / max, %d arrivals, %d missed) | %.1f ms / %.1f ms / %.1f ms |"
              % (len(push_ms), missed, pct(push_ms, 50), pct(push_ms, 99), max(push_ms)))
sys.exit(0 if n == teams and not failures else 1)
PY
