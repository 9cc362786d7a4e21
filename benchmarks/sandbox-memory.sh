#!/usr/bin/env bash
# benchmarks/sandbox-memory.sh: the memory of one sandbox's four demo services.
#
# Starts `chaoslab start --port 0 --data TMPDIR` (one lab server, one sandbox), waits for the
# storefront, sends REQUESTS home-page requests through it (so that every service has
# served and allocated what a request needs), waits SETTLE seconds, then reads from /proc, for
# each service process (a child of the lab server): VmRSS (/proc/PID/status), Pss and the
# private pages, Private_Clean + Private_Dirty (/proc/PID/smaps_rollup), and the lab server's own.
# RSS counts pages shared with other processes (the binary's code) in full in each; PSS shares
# them out; private pages are what no other process maps. Prints a markdown table on stdout
# (progress on stderr) and stops everything it started when it ends (also on Ctrl-C or an error).
set -euo pipefail

CONFIG=${CONFIG:-debug}                  # debug or release
REQUESTS=${REQUESTS:-50}                 # storefront home-page requests before measuring
SETTLE=${SETTLE:-1}                      # seconds to wait after them
SCRATCH=${SCRATCH:-.build}               # swift build --scratch-path (relative to the repo)
CHAOSLAB_BIN=${CHAOSLAB_BIN:-}           # a built chaoslab binary (services beside it): skips the build

BENCHMARK=sandbox-memory.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chaoslab-memory.XXXXXX")

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

log "starting $CHAOSLAB_BIN start --port 0"
"$CHAOSLAB_BIN" start --port 0 --data "$WORK/data" --labs "$REPO/Labs" >"$WORK/chaoslab.log" 2>&1 &
LAB_PID=$!
STOREFRONT=""
for ((i = 0; i < 600; i++)); do
    STOREFRONT=$(sed -n 's/.*storefront: *\(http:\/\/[0-9.:]*\).*/\1/p' "$WORK/chaoslab.log" | head -1)
    [[ -n $STOREFRONT ]] && break
    kill -0 "$LAB_PID" 2>/dev/null || die "chaoslab exited during start-up"
    sleep 0.1
done
[[ -n $STOREFRONT ]] || die "the sandbox did not start within 60 s"
log "storefront at $STOREFRONT (lab server pid $LAB_PID)"

COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 - "$LAB_PID" "$STOREFRONT" "$REQUESTS" "$SETTLE" "$COMMIT" "$CONFIG" "$CHAOSLAB_BIN" <<'PY'
import http.client, os, sys, time, urllib.parse

server_pid, storefront, requests, settle, commit, config, binary = sys.argv[1:]
server_pid, requests, settle = int(server_pid), int(requests), float(settle)

def kb(pid, field):  # VmRSS from status, the others from smaps_rollup, in kB
    if field == "Private":
        return kb(pid, "Private_Clean") + kb(pid, "Private_Dirty")
    path = "/proc/%d/%s" % (pid, "status" if field == "VmRSS" else "smaps_rollup")
    try:
        for line in open(path):
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:  # the process has ended
        pass
    return 0

def children(pid):
    found = set()
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            found |= {int(p) for p in open("/proc/%d/task/%s/children" % (pid, task)).read().split()}
        except OSError:  # a thread that ended meanwhile
            pass
    return found

def name(pid):  # the service: the program's name, or NAME in `chaoslab service NAME`
    argv = open("/proc/%d/cmdline" % pid, "rb").read().split(b"\0")
    words = [os.path.basename(argv[0].decode())] + [w.decode() for w in argv[1:3]]
    return words[2] if words[0] == "chaoslab" and len(words) > 2 else words[0]

url = urllib.parse.urlparse(storefront)
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
failed = 0
for _ in range(requests):
    connection.request("GET", "/")
    response = connection.getresponse()
    response.read()
    failed += response.status != 200
connection.close()
time.sleep(settle)  # let the services finish what the last requests started

fields = ("VmRSS", "Pss", "Private")
mb = lambda values: " | ".join("%.1f MB" % (value / 1024) for value in values)
rows = sorted((name(pid), pid, [kb(pid, field) for field in fields]) for pid in children(server_pid))
print("sandbox memory, %s (checkout at %s, CONFIG=%s), after %d home-page requests (%d failed)\n" % (binary, commit, config, requests, failed))
print("| process | pid | RSS | PSS | private |")
print("| --- | --- | --- | --- | --- |")
for service, pid, values in rows:
    print("| %s | %d | %s |" % (service, pid, mb(values)))
total = [sum(values[i] for _, _, values in rows) for i in range(len(fields))]
print("| **the %d services** | | **%s** |" % (len(rows), mb(total).replace(" | ", "** | **")))
print("| lab server (chaoslab start) | %d | %s |" % (server_pid, mb([kb(server_pid, field) for field in fields])))
PY
