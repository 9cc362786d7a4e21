#!/usr/bin/env bash
# Prints the numbers the project tracks (not a test; nothing here fails on a slow machine):
#   - time from `chaoslab start` to every service healthy and the API serving
#   - resident memory of the lab server and of each demo service
#   - time of a quick full run of is-ads-optional with an answers file
#   - time to first byte of each web page (target: under 50 ms)
# Usage: scripts/benchmark.sh [debug|release]   (default: release; SCRATCH=DIR picks the build folder)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
config="${1:-release}"

echo "building ($config)…" >&2
scratch="${SCRATCH:-.build}"
swift build -c "$config" --scratch-path "$scratch" --product chaoslab >&2  # and the four services beside it
bin="$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/chaoslab"

work="$(mktemp -d)"
log="$work/server.log"
cleanup() {
    [[ -n "${server:-}" ]] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }

t0=$(now)
"$bin" start --port 0 --data "$work/data" --labs Labs >"$log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 600); do
    if grep -q "take a lab" "$log"; then
        port=$(grep -o "lab server: *http://127.0.0.1:[0-9]*" "$log" | grep -o "[0-9]*$")
        break
    fi
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.01
done
t1=$(now)
[[ -n "$port" ]] || { echo "the lab server did not come up:" >&2; cat "$log" >&2; exit 1; }

rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

echo "chaoslab benchmark ($config build, $(nproc) cores)"
echo "start to all services healthy: $(python3 -c "print(f'{$t1 - $t0:.2f}')") s"
echo "resident memory:"
printf "  %-11s %6s MB\n" "lab server" "$(rss_mb "$server")"
"$bin" status --json --port "$port" >"$work/status.json"
python3 - "$work/status.json" <<'PY' | while read -r name pid; do printf "  %-11s %6s MB\n" "$name" "$(rss_mb "$pid")"; done
import json, sys
for s in json.load(open(sys.argv[1]))["services"]:
    print(s["name"], s["pid"])
PY

cat >"$work/answers.yaml" <<'YAML'
hypotheses: { block-ads: broken, fix-ads: works }
diagram: { "storefront->ads": true, "storefront->checkout": true, "storefront->cache": false, "checkout->cache": true }
YAML
t2=$(now)
"$bin" run is-ads-optional --answers "$work/answers.yaml" --quick --json --port "$port" >"$work/run.json" 2>"$work/run.log"
t3=$(now)
score=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["score"])' "$work/run.json")
echo "quick full run of is-ads-optional: $(python3 -c "print(f'{$t3 - $t2:.2f}')") s (score $score)"

# Web pages: server time to the first byte of each page, with the demo running.
run=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run"])' "$work/run.json")
open_run=$(curl -s -X POST "http://127.0.0.1:$port/api/runs" -d '{"lab":"is-the-cache-just-a-cache","learner":"bench"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"])')
echo "web pages (time to first byte over 30 requests each, after 3 warm-up requests):"
for path in / /sandbox "/runs/$open_run" "/runs/$run/summary" "/runs/$run/report.html"; do
    url="http://127.0.0.1:$port$path"
    for _ in 1 2 3; do curl -s -o /dev/null "$url"; done
    for _ in $(seq 1 30); do curl -s -o /dev/null -w '%{time_starttransfer}\n' "$url"; done >"$work/times"
    python3 - "$work/times" "$path" <<'PY'
import re, sys
times = sorted(float(line) * 1000 for line in open(sys.argv[1]))
label = re.sub(r"^/runs/[^/]+", "/runs/RUN", sys.argv[2])
print(f"  {label:<24} p50 {times[len(times) // 2]:6.1f} ms   max {times[-1]:6.1f} ms")
PY
done
