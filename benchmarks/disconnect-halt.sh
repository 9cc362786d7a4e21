#!/usr/bin/env bash
# How long the lab server takes to remove an attack's fault once the client that started it is
# gone (SIGKILL of `chaoslab run`, no halt sent): TRIALS times, one line each.
#
#   benchmarks/disconnect-halt.sh            # uses .build/debug/chaoslab (swift build first)
#   CHAOSLAB_BIN=path/to/chaoslab TRIALS=5 benchmarks/disconnect-halt.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CHAOSLAB_BIN:-.build/debug/chaoslab}
TRIALS=${TRIALS:-3}
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATA=$(mktemp -d)
"$BIN" start --port "$PORT" --data "$DATA" --no-monitoring > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill -INT $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 60); do curl -sf "127.0.0.1:$PORT/api/health" > /dev/null && break; sleep 0.5; done
printf 'hypotheses: { block-ads: broken, fix-ads: works }\n' > "$DATA/answers.yaml"
for trial in $(seq 1 "$TRIALS"); do
  "$BIN" run is-ads-optional --answers "$DATA/answers.yaml" --port "$PORT" > "$DATA/run.txt" 2>&1 &
  RUN=$!
  until [ "$(curl -s "127.0.0.1:$PORT/api/faults")" != "[]" ]; do sleep 0.05; done
  sleep 1  # well inside the 20 s attack window
  kill -9 "$RUN"; wait "$RUN" 2>/dev/null || true
  python3 - "$PORT" "$trial" <<'PY'
import json, sys, time, urllib.request
port, trial = sys.argv[1], sys.argv[2]
start = time.monotonic()
while json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/faults")):
    time.sleep(0.005)
print(f"trial {trial}: fault removed {1000 * (time.monotonic() - start):.0f} ms after the client was killed")
PY
  curl -s -X POST "127.0.0.1:$PORT/api/halt" > /dev/null
done
