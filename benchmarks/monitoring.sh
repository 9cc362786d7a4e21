#!/usr/bin/env bash
# Start-to-ready of `chaoslab start` with monitoring on and off, and the resident memory of
# Prometheus and Alertmanager 10 s after start. Prints one line per measurement.
# Usage: benchmarks/monitoring.sh [ROUNDS]   (builds nothing: run `swift build` first)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
bin=.build/debug/chaoslab
[ -x "$bin" ] || { echo "build first: swift build" >&2; exit 1; }

start_once() {  # $1: extra flag; prints milliseconds from exec to the "stop:" line
    local data log pid t0 t1
    data="$(mktemp -d)"; log="$data/log"
    t0=$(date +%s%N)
    "$bin" start --port 0 --data "$data" $1 >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do grep -q "stop:" "$log" && break; sleep 0.02; done
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
    if [ "${2:-}" = rss ]; then
        sleep 10
        for name in prometheus prometheus-alertmanager; do
            p=$(pgrep -f "^/usr/bin/$name .*$data" | head -1 || true)
            [ -n "$p" ] && echo "rss $name $(( $(awk '/VmRSS/ {print $2}' /proc/$p/status) / 1024 )) MiB" >&2
        done
    fi
    kill -TERM "$pid"; wait "$pid" || true
    rm -rf "$data"
}

for round in $(seq 1 "$rounds"); do
    on=$(start_once "--monitoring" $([ "$round" = 1 ] && echo rss))
    off=$(start_once "--no-monitoring")
    echo "round $round: start to ready with monitoring ${on} ms, without ${off} ms"
done
