#!/usr/bin/env bash
# benchmarks/proxy.sh: how much the chaoslab fault proxy costs, next to no proxy and to
# HAProxy in TCP mode, all on this machine's loopback.
#
# Measures, against the cache service's cheap `GET /kv/bench` route:
#   1. throughput and p50/p99 latency with wrk (keep-alive): direct, through a dedicated
#      chaoslab proxy with no toxic, through HAProxy (mode tcp) and, where `toxiproxy-server`
#      is on the PATH, through Toxiproxy (LOG_LEVEL=error); interleaved rounds, medians; once
#      on an idle machine and once with one core kept busy (`yes > /dev/null`);
#   2. large transfers: a 100 MB body over raw TCP through each path, in both conditions;
#   3. a 100 ms latency toxic: the p50 it adds;
#   4. the fault API: HTTP time of adding a toxic, deleting it and POST /reset, and whether
#      the very next request on an already-open connection is delayed;
#   5. GET /api/status while a service is paused (it must not wait on the frozen service);
#   6. the lab server's resident memory, idle and with 1,000 idle connections through the proxy;
#   7. a new connection per request (wrk -H 'Connection: close'): what a connection costs, no target.
# The report (markdown) goes to stdout, progress to stderr. See benchmarks/README.md.
set -euo pipefail

# ---- knobs (environment) --------------------------------------------------------------
DURATION=${DURATION:-10s}                  # wrk duration of each measured run
CONNECTIONS=${CONNECTIONS:-32}             # wrk connections for the throughput runs
THREADS=${THREADS:-1}                      # wrk threads
ROUNDS=${ROUNDS:-7}                        # rounds of (direct, chaoslab, haproxy), order rotated
WARMUP=${WARMUP:-3s}                       # wrk warm-up of each target before the rounds
TOXIC_CONNECTIONS=${TOXIC_CONNECTIONS:-4}  # wrk connections for the latency-toxic run
TOXIC_DURATION=${TOXIC_DURATION:-10s}      # wrk duration for the latency-toxic runs
TOXIC_LATENCY_MS=${TOXIC_LATENCY_MS:-100}  # the latency toxic measured
FAULT_TRIALS=${FAULT_TRIALS:-50}           # add/delete/reset repetitions for the fault API
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-1000} # idle connections held open for the memory test
HAPROXY_NBTHREAD=${HAPROXY_NBTHREAD:-}     # empty: HAProxy's default (one thread per CPU)
BULK_MB=${BULK_MB:-100}                    # size of each large transfer
BULK_TRIALS=${BULK_TRIALS:-3}              # large transfers per path and condition (median reported)
STATUS_TRIALS=${STATUS_TRIALS:-200}        # GET /api/status calls while a service is paused
CHURN_ROUNDS=${CHURN_ROUNDS:-3}            # rounds of new-connection-per-request runs (0: none)
CHURN_CONNECTIONS=${CHURN_CONNECTIONS:-16} # wrk connections for them (each request opens its own)
CHURN_DURATION=${CHURN_DURATION:-5s}       # wrk duration of each of them
CONDITIONS=${CONDITIONS:-"idle busy"}      # busy: one `yes > /dev/null` runs beside the load
SCRATCH=${SCRATCH:-.build}                 # swift build --scratch-path (relative to the repo)
CHAOSLAB_BIN=${CHAOSLAB_BIN:-}             # a built chaoslab binary: skips the build
export CHAOSLAB_PROXY_FAST_PATH=${CHAOSLAB_PROXY_FAST_PATH:-on}  # off: the proxy forwards through the toxic chain only

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chaoslab-bench.XXXXXX")
LAB_PID=""
HAPROXY_PID=""
TOXIPROXY_PID=""
BULK_PID=""
BUSY_PID=""

log() { printf '[proxy.sh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- cleanup: every process this script started, then the temp dir ---------------------
stop_pid() {  # stop_pid PID: SIGTERM, up to 15 s, then SIGKILL
    local pid=$1 i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid did not stop on SIGTERM: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    [[ -n $BUSY_PID ]] && stop_pid "$BUSY_PID"
    [[ -n $BULK_PID ]] && stop_pid "$BULK_PID"
    [[ -n $TOXIPROXY_PID ]] && { log "stopping Toxiproxy (pid $TOXIPROXY_PID)"; stop_pid "$TOXIPROXY_PID"; }
    [[ -n $HAPROXY_PID ]] && { log "stopping HAProxy (pid $HAPROXY_PID)"; stop_pid "$HAPROXY_PID"; }
    [[ -n $LAB_PID ]] && { log "stopping chaoslab (pid $LAB_PID) and its services"; stop_pid "$LAB_PID"; }
    if [[ $status -ne 0 && -f $WORK/chaoslab.log ]]; then
        log "chaoslab's log (last 20 lines):"
        tail -n 20 "$WORK/chaoslab.log" >&2 || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- tools -----------------------------------------------------------------------------
find_haproxy() { command -v haproxy 2>/dev/null || { [[ -x /usr/sbin/haproxy ]] && echo /usr/sbin/haproxy; } || true; }
install_tools() {
    local need=()
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
    [[ -n $(find_haproxy) ]] || need+=(haproxy)
    command -v curl >/dev/null 2>&1 || need+=(curl)
    command -v python3 >/dev/null 2>&1 || need+=(python3)
    ((${#need[@]} == 0)) && return 0
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "missing ${need[*]}, not root and no sudo: install them (apt-get install ${need[*]})"
        sudo=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing ${need[*]} and no apt-get: install them by hand"
    log "installing from Debian's packages: ${need[*]}"
    ${sudo[@]+"${sudo[@]}"} apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive ${sudo[@]+"${sudo[@]}"} apt-get install -y -q --no-install-recommends "${need[@]}" >&2
}
install_tools
HAPROXY=$(find_haproxy)
[[ -n $HAPROXY ]] || die "haproxy not found after install"

# The memory test holds IDLE_CONNECTIONS client sockets, and chaoslab as many upstream
# ones; chaoslab and the services inherit this limit.
want_fds=$((IDLE_CONNECTIONS * 2 + 1024))
if (($(ulimit -n) < want_fds)); then
    ulimit -n "$want_fds" 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
fi
log "open-file limit: $(ulimit -n)"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ---- chaoslab --------------------------------------------------------------------------
if [[ -z $CHAOSLAB_BIN ]]; then
    log "building chaoslab and the demo services (release, scratch path $SCRATCH); the first build takes several minutes"
    # Building chaoslab builds the four service executables beside it (chaoslab depends on them).
    (cd "$REPO" && swift build -c release --product chaoslab --scratch-path "$SCRATCH" >&2)
    CHAOSLAB_BIN="$(cd "$REPO" && swift build -c release --product chaoslab --scratch-path "$SCRATCH" --show-bin-path)/chaoslab"
fi
[[ -x $CHAOSLAB_BIN ]] || die "no chaoslab binary at $CHAOSLAB_BIN"

LAB_PORT=$(free_port)
LAB="http://127.0.0.1:$LAB_PORT"
log "starting $CHAOSLAB_BIN start --port $LAB_PORT --data $WORK/data"
mkdir -p "$WORK/data"
cd "$REPO"
"$CHAOSLAB_BIN" start --port "$LAB_PORT" --data "$WORK/data" >"$WORK/chaoslab.log" 2>&1 &
LAB_PID=$!

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...: until COMMAND succeeds
    local limit=$1 what=$2 i
    shift 2
    for ((i = 0; i < limit * 5; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        [[ -z $LAB_PID ]] || kill -0 "$LAB_PID" 2>/dev/null || die "chaoslab exited while waiting for $what"
        sleep 0.2
    done
    die "timed out after ${limit}s waiting for $what"
}
wait_for 60 "the lab server's /version" curl -fsS "$LAB/version"
log "lab server up: $(curl -fsS "$LAB/version")"

# json_get EXPRESSION: evaluates a Python expression on the JSON read from stdin (as `d`).
json_get() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

cache_healthy() {
    curl -fsS "$LAB/api/status" | json_get \
        '"yes" if any(s["name"] == "cache" and s.get("healthy") and s.get("url") for s in d["services"]) else sys.exit(1)'
}
wait_for 60 "the cache service to be healthy" cache_healthy
CACHE_URL=$(curl -fsS "$LAB/api/status" | json_get 'next(s["url"] for s in d["services"] if s["name"] == "cache")')
CACHE_ADDR=${CACHE_URL#http://}
CACHE_ADDR=${CACHE_ADDR%%/*}
CACHE_PORT=${CACHE_ADDR##*:}
EDGE_ADDR=$(curl -fsS "$LAB/proxies" | json_get 'd["storefront-cache"]["listen"]')
log "cache service at $CACHE_ADDR; the sandbox's storefront-cache proxy at $EDGE_ADDR (not used: shared with the storefront)"

# A proxy of our own in front of the cache service, so nothing else shares it.
BENCH_ADDR=$(curl -fsS -X POST -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench-cache\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"$CACHE_ADDR\"}" \
    "$LAB/proxies" | json_get 'd["listen"]')
log "bench proxy bench-cache listens on $BENCH_ADDR"

# The route: a 128-byte value read back from the cache.
VALUE=$(head -c 96 /dev/urandom | base64 -w0)
curl -fsS -X PUT --data-binary "$VALUE" "http://$CACHE_ADDR/kv/bench" >/dev/null
ROUTE=/kv/bench
[[ $(curl -fsS "http://$BENCH_ADDR$ROUTE") == "$VALUE" ]] || die "GET $ROUTE through the proxy did not return the stored value"

# ---- large transfers: a source that sends BULK_MB to every connection, then closes --------
cat >"$WORK/bulk.py" <<'EOF'
"""serve PORT MB: sends MB megabytes to each connection, then closes it.
fetch HOST:PORT MB: reads until EOF, checks the count, prints the seconds taken. Stdlib only."""
import socket, sys, threading, time

def serve(port, mb):
    chunk = memoryview(b"x" * (1 << 20))
    listener = socket.create_server(("127.0.0.1", port), backlog=64)
    def send(conn):
        with conn:
            try:
                for _ in range(mb):
                    conn.sendall(chunk)
                conn.shutdown(socket.SHUT_WR)
                conn.recv(1)  # until the peer closes
            except OSError:
                pass  # the peer left early (the readiness probe connects and closes)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=send, args=(conn,), daemon=True).start()

def fetch(address, mb):
    host, port = address.rsplit(":", 1)
    buffer = bytearray(1 << 20)
    start = time.perf_counter()
    with socket.create_connection((host, int(port)), timeout=60) as conn:
        total = 0
        while True:
            n = conn.recv_into(buffer)
            if n == 0:
                break
            total += n
    seconds = time.perf_counter() - start
    if total != mb << 20:
        sys.exit(f"received {total} bytes through {address}, expected {mb << 20}")
    print(f"{seconds:.4f}")

if sys.argv[1] == "serve":
    serve(int(sys.argv[2]), int(sys.argv[3]))
else:
    fetch(sys.argv[2], int(sys.argv[3]))
EOF
BULK_PORT=$(free_port)
python3 "$WORK/bulk.py" serve "$BULK_PORT" "$BULK_MB" &
BULK_PID=$!
wait_for 10 "the bulk source on 127.0.0.1:$BULK_PORT" python3 -c "import socket; socket.create_connection(('127.0.0.1', $BULK_PORT)).close()"
BULK_PROXY_ADDR=$(curl -fsS -X POST -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench-bulk\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:$BULK_PORT\"}" \
    "$LAB/proxies" | json_get 'd["listen"]')
log "bulk source (${BULK_MB} MB per connection) on 127.0.0.1:$BULK_PORT; bench proxy bench-bulk on $BULK_PROXY_ADDR"

vm_rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
sleep 1
RSS_IDLE_START=$(vm_rss_kb "$LAB_PID")
log "lab server (pid $LAB_PID, $(cat "/proc/$LAB_PID/comm")) idle: VmRSS $RSS_IDLE_START kB"

# ---- HAProxy ---------------------------------------------------------------------------
HAPROXY_PORT=$(free_port)
HAPROXY_BULK_PORT=$(free_port)
HAPROXY_FLOOR_PORT=$(free_port)
{
    echo "global"
    echo "    maxconn 4000"
    [[ -n $HAPROXY_NBTHREAD ]] && echo "    nbthread $HAPROXY_NBTHREAD"
    echo "defaults"
    echo "    mode tcp"
    echo "    timeout connect 5s"
    echo "    timeout client 60s"
    echo "    timeout server 60s"
    echo "frontend bench"
    echo "    bind 127.0.0.1:$HAPROXY_PORT"
    echo "    default_backend cache"
    echo "backend cache"
    echo "    server cache $CACHE_ADDR"
    echo "frontend bulk"
    echo "    bind 127.0.0.1:$HAPROXY_BULK_PORT"
    echo "    default_backend bulk"
    echo "backend bulk"
    echo "    server bulk 127.0.0.1:$BULK_PORT"
    # The machine's floor for the fault API: HAProxy answering an HTTP request itself.
    echo "frontend floor"
    echo "    mode http"
    echo "    bind 127.0.0.1:$HAPROXY_FLOOR_PORT"
    echo "    http-request return status 200 content-type text/plain string ok"
} >"$WORK/haproxy.cfg"
"$HAPROXY" -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
HAPROXY_PID=$!
wait_for 20 "HAProxy on 127.0.0.1:$HAPROXY_PORT" curl -fsS "http://127.0.0.1:$HAPROXY_PORT$ROUTE"
HAPROXY_THREADS=$(awk '/^Threads:/ { print $2 }' "/proc/$HAPROXY_PID/status")
log "HAProxy (pid $HAPROXY_PID) on 127.0.0.1:$HAPROXY_PORT, $HAPROXY_THREADS thread(s)"

# ---- Toxiproxy, where present ----------------------------------------------------------
TARGETS=(direct chaoslab haproxy)
declare -A URL=(
    [direct]="http://$CACHE_ADDR$ROUTE"
    [chaoslab]="http://$BENCH_ADDR$ROUTE"
    [haproxy]="http://127.0.0.1:$HAPROXY_PORT$ROUTE"
)
declare -A BULK_ADDR=(
    [direct]="127.0.0.1:$BULK_PORT"
    [chaoslab]="$BULK_PROXY_ADDR"
    [haproxy]="127.0.0.1:$HAPROXY_BULK_PORT"
)
declare -A PROXY_PID=([direct]="" [chaoslab]="$LAB_PID" [haproxy]="$HAPROXY_PID")
TOXIPROXY_VERSION="not present (no toxiproxy-server on the PATH)"
if command -v toxiproxy-server >/dev/null 2>&1; then
    TOXIPROXY_PORT=$(free_port)
    LOG_LEVEL=error toxiproxy-server -host 127.0.0.1 -port "$TOXIPROXY_PORT" >"$WORK/toxiproxy.log" 2>&1 &
    TOXIPROXY_PID=$!
    wait_for 20 "Toxiproxy on 127.0.0.1:$TOXIPROXY_PORT" curl -fsS "http://127.0.0.1:$TOXIPROXY_PORT/version"
    TOXIPROXY_VERSION="Toxiproxy $(curl -fsS "http://127.0.0.1:$TOXIPROXY_PORT/version")"
    TP_CACHE=$(free_port)
    TP_BULK=$(free_port)
    curl -fsS -X POST -d "{\"name\":\"cache\",\"listen\":\"127.0.0.1:$TP_CACHE\",\"upstream\":\"$CACHE_ADDR\"}" \
        "http://127.0.0.1:$TOXIPROXY_PORT/proxies" >/dev/null
    curl -fsS -X POST -d "{\"name\":\"bulk\",\"listen\":\"127.0.0.1:$TP_BULK\",\"upstream\":\"127.0.0.1:$BULK_PORT\"}" \
        "http://127.0.0.1:$TOXIPROXY_PORT/proxies" >/dev/null
    TARGETS+=(toxiproxy)
    URL[toxiproxy]="http://127.0.0.1:$TP_CACHE$ROUTE"
    BULK_ADDR[toxiproxy]="127.0.0.1:$TP_BULK"
    PROXY_PID[toxiproxy]=$TOXIPROXY_PID
    log "$TOXIPROXY_VERSION (pid $TOXIPROXY_PID) on 127.0.0.1:$TOXIPROXY_PORT"
else
    log "Toxiproxy: $TOXIPROXY_VERSION; measuring without it"
fi

# ---- wrk -------------------------------------------------------------------------------
mkdir -p "$WORK/wrk"

run_wrk() {  # run_wrk OUTFILE CONNECTIONS DURATION URL
    wrk -t"$THREADS" -c"$2" -d"$3" --latency "$4" >"$1" 2>&1 || { cat "$1" >&2; die "wrk failed on $4"; }
}

# parse_wrk FILE: prints "req/s p50_ms p99_ms requests errors" (errors: socket errors + non-2xx).
parse_wrk() {
    python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
unit = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}
def pct(p):
    m = re.search(r"^\s+%d%%\s+([\d.]+)(us|ms|s|m|h)\s*$" % p, text, re.M)
    if not m: sys.exit("no %d%% line in wrk's output:\n%s" % (p, text))
    return float(m.group(1)) * unit[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
requests = int(re.search(r"(\d+) requests in", text).group(1))
errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors += int(non2xx.group(1)) if non2xx else 0
print(f"{rps:.2f} {pct(50):.3f} {pct(99):.3f} {requests} {errors}")
EOF
}

# The process doing the proxying (PROXY_PID above) has its CPU time counted (none for direct).
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; }  # utime stime, in clock ticks

log "warm-up: ${WARMUP} on each target"
for t in "${TARGETS[@]}"; do run_wrk "$WORK/wrk/warmup.$t" "$CONNECTIONS" "$WARMUP" "${URL[$t]}"; done

start_busy() {  # one core kept busy, as a build beside the lab would
    yes >/dev/null &
    BUSY_PID=$!
    log "busy: yes > /dev/null (pid $BUSY_PID) keeps one core busy"
}
stop_busy() { stop_pid "$BUSY_PID"; BUSY_PID=""; }

measure_rounds() {  # measure_rounds CONDITION: wrk rounds in rotated order, then the large transfers
    local condition=$1 r i t pid n=${#TARGETS[@]} order
    for ((r = 1; r <= ROUNDS; r++)); do
        order=()
        for ((i = 0; i < n; i++)); do order+=("${TARGETS[$(((r - 1 + i) % n))]}"); done
        for t in "${order[@]}"; do
            log "$condition, round $r/$ROUNDS: $t (wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency ${URL[$t]})"
            pid=${PROXY_PID[$t]}
            [[ -n $pid ]] && read -r u0 s0 < <(cpu_ticks "$pid")
            run_wrk "$WORK/wrk/$condition.$t.$r" "$CONNECTIONS" "$DURATION" "${URL[$t]}"
            [[ -n $pid ]] && read -r u1 s1 < <(cpu_ticks "$pid")
            read -r rps p50 p99 reqs err < <(parse_wrk "$WORK/wrk/$condition.$t.$r")
            # CPU the proxy process spent per request, user and system, in microseconds.
            if [[ -n $pid ]]; then
                cpu=$(awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v n="$reqs" -v hz="$CLK_TCK" \
                    'BEGIN { printf "%.2f %.2f", u * 1e6 / hz / n, s * 1e6 / hz / n }')
            else
                cpu="- -"
            fi
            echo "$condition $t $r $rps $p50 $p99 $reqs $err $cpu" >>"$WORK/rounds.txt"
            log "  $t: $rps req/s, p50 $p50 ms, p99 $p99 ms, $err errors, proxy CPU user/sys µs/req: $cpu"
        done
    done
    for ((r = 1; r <= BULK_TRIALS; r++)); do
        order=()
        for ((i = 0; i < n; i++)); do order+=("${TARGETS[$(((r - 1 + i) % n))]}"); done
        for t in "${order[@]}"; do
            seconds=$(python3 "$WORK/bulk.py" fetch "${BULK_ADDR[$t]}" "$BULK_MB") || die "large transfer through $t failed"
            echo "$condition $t $r $seconds" >>"$WORK/bulk.txt"
            log "$condition, large transfer $r/$BULK_TRIALS: $t: ${BULK_MB} MB in $seconds s"
        done
    done
}

: >"$WORK/bulk.txt"  # BULK_TRIALS=0 leaves it empty
for condition in $CONDITIONS; do
    case $condition in
        idle) measure_rounds idle ;;
        busy) start_busy; measure_rounds busy; stop_busy ;;
        *) die "unknown condition '$condition' in CONDITIONS (idle, busy)" ;;
    esac
done

# ---- a new connection per request (no target: what each connection costs) ---------------
: >"$WORK/churn.txt"
for ((r = 1; r <= CHURN_ROUNDS; r++)); do
    for ((i = 0; i < ${#TARGETS[@]}; i++)); do
        t=${TARGETS[$(((r - 1 + i) % ${#TARGETS[@]}))]}
        # wrk counts each connection the server closes as a read error: requests are what count.
        wrk -t"$THREADS" -c"$CHURN_CONNECTIONS" -d"$CHURN_DURATION" -H 'Connection: close' "${URL[$t]}" >"$WORK/wrk/churn.$t.$r" 2>&1 \
            || { cat "$WORK/wrk/churn.$t.$r" >&2; die "wrk failed on ${URL[$t]}"; }
        rps=$(awk '/Requests\/sec:/ { print $2 }' "$WORK/wrk/churn.$t.$r")
        echo "$t $r $rps" >>"$WORK/churn.txt"
        log "new connection per request, round $r/$CHURN_ROUNDS: $t: $rps req/s"
    done
done

# ---- latency toxic ---------------------------------------------------------------------
log "latency toxic: baseline through bench-cache (wrk -c$TOXIC_CONNECTIONS -d$TOXIC_DURATION)"
run_wrk "$WORK/wrk/toxic-base" "$TOXIC_CONNECTIONS" "$TOXIC_DURATION" "${URL[chaoslab]}"
read -r TB_RPS TB_P50 TB_P99 TB_N TB_ERR < <(parse_wrk "$WORK/wrk/toxic-base")
curl -fsS -X POST -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench_latency\",\"type\":\"latency\",\"attributes\":{\"latency\":$TOXIC_LATENCY_MS,\"jitter\":0}}" \
    "$LAB/proxies/bench-cache/toxics" >/dev/null
log "latency toxic: ${TOXIC_LATENCY_MS} ms added; wrk -c$TOXIC_CONNECTIONS -d$TOXIC_DURATION"
run_wrk "$WORK/wrk/toxic" "$TOXIC_CONNECTIONS" "$TOXIC_DURATION" "${URL[chaoslab]}"
curl -fsS -X DELETE "$LAB/proxies/bench-cache/toxics/bench_latency" >/dev/null
read -r TX_RPS TX_P50 TX_P99 TX_N TX_ERR < <(parse_wrk "$WORK/wrk/toxic")
log "  p50 $TB_P50 ms -> $TX_P50 ms; toxic removed"
[[ $(curl -fsS "$LAB/proxies/bench-cache/toxics") == "[]" ]] || die "bench-cache still has toxics"

# ---- fault API -------------------------------------------------------------------------
log "fault API: $FAULT_TRIALS trials of add (latency 200 ms) / next request / delete / add / reset"
cat >"$WORK/faults.py" <<'EOF'
"""Times the fault API and checks that a new toxic delays the very next request on a
connection that was open before it was added. Stdlib only."""
import http.client, json, socket, sys, time

lab_port, proxy_addr, route, trials, floor_port = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
host, port = proxy_addr.rsplit(":", 1)
DELAY_MS = 200

def connect(h, p):
    c = http.client.HTTPConnection(h, int(p), timeout=10)
    c.connect()
    c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return c

lab = connect("127.0.0.1", lab_port)          # keep-alive connection to the lab API
data = connect(host, port)                    # ONE keep-alive connection through the proxy
data_sock = data.sock
data_local = data_sock.getsockname()

def call(conn, method, path, body=None, expect=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    payload = resp.read()
    ms = (time.perf_counter() - start) * 1000
    if expect and resp.status not in expect:
        sys.exit(f"{method} {path}: HTTP {resp.status} {payload[:300]!r}")
    return ms

def get():
    ms = call(data, "GET", route, expect=(200,))
    if data.sock is not data_sock:
        sys.exit("the connection through the proxy was reopened: the test needs one open connection")
    return ms

toxic = json.dumps({"name": "bench_fault", "type": "latency", "attributes": {"latency": DELAY_MS, "jitter": 0}})
add_ms, delete_ms, reset_ms = [], [], []
delayed_after_add = delayed_after_add_2 = fast_after_delete = fast_after_reset = 0
before_ms, after_add_ms = [], []
for _ in range(5):
    get()  # warm the connection
for i in range(trials):
    before_ms.append(get())
    add_ms.append(call(lab, "POST", "/proxies/bench-cache/toxics", toxic, expect=(200, 201)))
    t = get()
    after_add_ms.append(t)
    delayed_after_add += t >= DELAY_MS
    delete_ms.append(call(lab, "DELETE", "/proxies/bench-cache/toxics/bench_fault", expect=(204,)))
    fast_after_delete += get() < DELAY_MS
    add_ms.append(call(lab, "POST", "/proxies/bench-cache/toxics", toxic, expect=(200, 201)))
    delayed_after_add_2 += get() >= DELAY_MS
    reset_ms.append(call(lab, "POST", "/reset", expect=(204,)))
    fast_after_reset += get() < DELAY_MS

# The HTTP floor: the lab server's cheapest route after the same idle gap (a 200 ms wait, as
# the delayed GET above leaves the lab connection idle), and back to back. After an idle
# gap every HTTP server on this machine answers slower (threads asleep): the fault calls'
# own cost is their time above this floor.
floor_idle_ms, floor_warm_ms = [], []
for i in range(trials):
    time.sleep(DELAY_MS / 1000)
    floor_idle_ms.append(call(lab, "GET", "/version", expect=(200,)))
    floor_warm_ms.append(call(lab, "GET", "/version", expect=(200,)))
# The machine's floor: HAProxy (C, no Swift) answering GET itself after the same idle gap,
# with this client. No server measured this way on this machine answers faster.
haproxy = connect("127.0.0.1", floor_port)
call(haproxy, "GET", "/", expect=(200,))
machine_idle_ms = []
for i in range(trials):
    time.sleep(DELAY_MS / 1000)
    machine_idle_ms.append(call(haproxy, "GET", "/", expect=(200,)))

def pct(values, p):  # nearest rank
    s = sorted(values)
    return s[max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))]

result = {
    "trials": trials,
    "same_connection": data.sock is data_sock and data_sock.getsockname() == data_local,
    "add": [pct(add_ms, 50), pct(add_ms, 99), max(add_ms), len(add_ms)],
    "delete": [pct(delete_ms, 50), pct(delete_ms, 99), max(delete_ms), len(delete_ms)],
    "reset": [pct(reset_ms, 50), pct(reset_ms, 99), max(reset_ms), len(reset_ms)],
    "delayed_after_add": delayed_after_add + delayed_after_add_2,
    "adds": 2 * trials,
    "fast_after_delete": fast_after_delete,
    "fast_after_reset": fast_after_reset,
    "get_before": [pct(before_ms, 50), pct(before_ms, 99)],
    "get_after_add": [pct(after_add_ms, 50), min(after_add_ms), max(after_add_ms)],
    "floor_idle": [pct(floor_idle_ms, 50), pct(floor_idle_ms, 99), max(floor_idle_ms), len(floor_idle_ms)],
    "floor_warm": [pct(floor_warm_ms, 50), pct(floor_warm_ms, 99), max(floor_warm_ms), len(floor_warm_ms)],
    "machine_idle": [pct(machine_idle_ms, 50), pct(machine_idle_ms, 99), max(machine_idle_ms), len(machine_idle_ms)],
}
print(json.dumps(result))
EOF
FAULTS_JSON=$(python3 "$WORK/faults.py" "$LAB_PORT" "$BENCH_ADDR" "$ROUTE" "$FAULT_TRIALS" "$HAPROXY_FLOOR_PORT")
log "  $FAULTS_JSON"

# ---- status while a service is paused ----------------------------------------------------
log "status: GET /api/status $STATUS_TRIALS times while ads is paused (SIGSTOP)"
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"target":"ads","type":"pause","ttl_ms":120000}' \
    "$LAB/api/faults" >/dev/null
cat >"$WORK/status.py" <<'EOF'
"""Times GET /api/status on one keep-alive connection; checks that it reports the paused
service unhealthy. Stdlib only."""
import http.client, json, sys, time

port, trials = int(sys.argv[1]), int(sys.argv[2])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
times, unhealthy = [], 0
deadline = time.monotonic() + 10
while time.monotonic() < deadline:  # the background check sees the pause within about a second
    conn.request("GET", "/api/status")
    body = json.loads(conn.getresponse().read())
    if not next(s["healthy"] for s in body["services"] if s["name"] == "ads"):
        break
    time.sleep(0.1)
for _ in range(trials):
    start = time.perf_counter()
    conn.request("GET", "/api/status")
    body = json.loads(conn.getresponse().read())
    times.append((time.perf_counter() - start) * 1000)
    unhealthy += not next(s["healthy"] for s in body["services"] if s["name"] == "ads")
s = sorted(times)
def pct(p): return s[max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))]
print(json.dumps({"n": trials, "p50": pct(50), "p99": pct(99), "max": s[-1], "unhealthy": unhealthy}))
EOF
STATUS_JSON=$(python3 "$WORK/status.py" "$LAB_PORT" "$STATUS_TRIALS")
curl -fsS -X POST "$LAB/api/halt" >/dev/null
log "  $STATUS_JSON (ads resumed)"

# ---- memory ----------------------------------------------------------------------------
RSS_BEFORE_CONNS=$(vm_rss_kb "$LAB_PID")
log "memory: opening $IDLE_CONNECTIONS idle connections through bench-cache (lab server VmRSS now $RSS_BEFORE_CONNS kB)"
cat >"$WORK/hold.py" <<'EOF'
"""Opens N idle TCP connections through the proxy, waits until the proxy has opened as many
to the upstream, reads the lab server's VmRSS, then closes them. Stdlib only."""
import json, socket, sys, time

lab_pid, proxy_addr, upstream_port, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
host, port = proxy_addr.rsplit(":", 1)

def rss_kb():
    with open(f"/proc/{lab_pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

def upstream_established():
    """ESTABLISHED sockets whose remote end is the upstream port (the proxy's side)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "01" and int(fields[2].rsplit(":", 1)[1], 16) == upstream_port:
                        count += 1
        except FileNotFoundError:
            pass
    return count

base_upstream = upstream_established()
before = rss_kb()
socks = []
for _ in range(n):
    s = socket.create_connection((host, int(port)), timeout=10)
    socks.append(s)
deadline = time.monotonic() + 30
while upstream_established() < base_upstream + n and time.monotonic() < deadline:
    time.sleep(0.2)
upstream = upstream_established() - base_upstream
# Let the proxy settle, then take the highest of a few readings.
time.sleep(1)
readings = []
for _ in range(6):
    readings.append(rss_kb())
    time.sleep(0.5)
during = max(readings)
# All still open? A closed socket reads EOF at once.
alive = 0
for s in socks:
    s.setblocking(False)
    try:
        alive += s.recv(1) != b""
    except BlockingIOError:
        alive += 1
for s in socks:
    s.close()
time.sleep(2)
after = rss_kb()
print(json.dumps({"before": before, "during": during, "after_close": after,
                  "upstream_connections": upstream, "still_open": alive, "n": n}))
EOF
MEM_JSON=$(python3 "$WORK/hold.py" "$LAB_PID" "$BENCH_ADDR" "$CACHE_PORT" "$IDLE_CONNECTIONS")
log "  $MEM_JSON"

# ---- report ----------------------------------------------------------------------------
MACHINE="$(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null) ]] || COMMIT="$COMMIT (with uncommitted changes)"
WRK_VERSION=$(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }' || true)
HAPROXY_VERSION=$("$HAPROXY" -v 2>&1 | head -n 1 | awk '{ print $1, $3 }' || true)

export REPORT_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')" MACHINE COMMIT WRK_VERSION HAPROXY_VERSION TOXIPROXY_VERSION \
    HAPROXY_THREADS HAPROXY_NBTHREAD LOAD_START LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)" ROUTE THREADS CONNECTIONS \
    DURATION ROUNDS WARMUP BULK_MB BULK_TRIALS TOXIC_CONNECTIONS TOXIC_DURATION TOXIC_LATENCY_MS TB_P50 TB_P99 TX_P50 TX_P99 \
    FAULTS_JSON MEM_JSON STATUS_JSON RSS_IDLE_START RSS_BEFORE_CONNS CHURN_CONNECTIONS CHURN_DURATION
python3 - "$WORK/rounds.txt" "$WORK/bulk.txt" "$WORK/churn.txt" <<'EOF'
import json, os, statistics, sys
E = os.environ
rows, bulk = {}, {}
for line in open(sys.argv[1]):
    cond, t, r, rps, p50, p99, n, err, cu, cs = line.split()
    cpu = (float(cu), float(cs)) if cu != "-" else (None, None)
    rows.setdefault(cond, {}).setdefault(t, []).append((float(rps), float(p50), float(p99), int(n), int(err), cpu[0], cpu[1]))
for line in open(sys.argv[2]):
    cond, t, r, seconds = line.split()
    bulk.setdefault(cond, {}).setdefault(t, []).append(float(seconds))
faults, mem, status = json.loads(E["FAULTS_JSON"]), json.loads(E["MEM_JSON"]), json.loads(E["STATUS_JSON"])
toxic_ms, tb_p50, tx_p50 = float(E["TOXIC_LATENCY_MS"]), float(E["TB_P50"]), float(E["TX_P50"])
bulk_mb = int(E["BULK_MB"])
names = {"direct": "direct", "chaoslab": "chaoslab proxy", "haproxy": "HAProxy (tcp)", "toxiproxy": "Toxiproxy"}
order = [t for t in ("direct", "chaoslab", "haproxy", "toxiproxy") if any(t in rows[c] for c in rows)]
conditions = [c for c in ("idle", "busy") if c in rows]
describe = {"idle": "idle machine", "busy": "one core kept busy (`yes > /dev/null`)"}
def ok(b): return "met" if b else "**MISSED**"

print("# chaoslab fault proxy benchmark")
print()
print(f"- date: {E['REPORT_DATE']}")
print(f"- machine: {E['MACHINE']}")
print(f"- chaoslab commit: {E['COMMIT']}; proxy fast path: {E['CHAOSLAB_PROXY_FAST_PATH']} (CHAOSLAB_PROXY_FAST_PATH)")
nb = E["HAPROXY_NBTHREAD"]
print(f"- tools: {E['WRK_VERSION']}, {E['HAPROXY_VERSION']} (mode tcp, maxconn 4000, "
      + (f"nbthread {nb}" if nb else f"nbthread default = {E['HAPROXY_THREADS']}") + f"), {E['TOXIPROXY_VERSION']}, Python " + sys.version.split()[0])
print(f"- route: GET {E['ROUTE']} on the cache service (128-byte value), HTTP/1.1 keep-alive")
print(f"- load average (1, 5, 15 min) at the start: {E['LOAD_START']}; at the end: {E['LOAD_END']}")
print(f"- load: wrk -t{E['THREADS']} -c{E['CONNECTIONS']} -d{E['DURATION']} --latency, {E['ROUNDS']} rounds in rotated order after a {E['WARMUP']} warm-up of each; medians of the rounds")
print()
ratios = {}
for cond in conditions:
    med = {t: tuple(statistics.median(v[i] for v in rows[cond][t]) for i in range(3)) for t in rows[cond]}
    def cpu_med(t):
        if rows[cond][t][0][5] is None: return "–"
        u = statistics.median(v[5] for v in rows[cond][t]); s = statistics.median(v[6] for v in rows[cond][t])
        return f"{u + s:.1f} ({u:.1f} + {s:.1f})"
    d, h = med["direct"], med["haproxy"]
    print(f"## Throughput and latency, no toxic: {describe[cond]}")
    print()
    print("| path | req/s | p50 (ms) | p99 (ms) | req/s ÷ direct | p99 ÷ direct | req/s ÷ HAProxy | p99 ÷ HAProxy | proxy CPU µs/req (user + sys) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in order:
        if t not in med: continue
        rps, p50, p99 = med[t]
        print(f"| {names[t]} | {rps:,.0f} | {p50:.3f} | {p99:.3f} | {rps / d[0]:.2f} | {p99 / d[2]:.2f} | {rps / h[0]:.2f} | {p99 / h[2]:.2f} | {cpu_med(t)} |")
    print()
    print("Each round (req/s, p50 ms, p99 ms):")
    print()
    for t in order:
        if t not in rows[cond]: continue
        errs = sum(v[4] for v in rows[cond][t])
        print(f"- {names[t]}: " + "; ".join(f"{v[0]:,.0f}, {v[1]:.3f}, {v[2]:.3f}" for v in rows[cond][t])
              + (f" ({errs} socket errors or non-2xx)" if errs else ""))
    # Paired: chaoslab and HAProxy of the same round ran minutes apart at most, so the ratio
    # of each round cancels the machine's drift between rounds; the targets use its median.
    pairs = list(zip(rows[cond]["chaoslab"], rows[cond]["haproxy"]))
    thr = [a[0] / b[0] for a, b in pairs]
    p99 = [a[2] / b[2] for a, b in pairs]
    print("chaoslab ÷ HAProxy within each round: throughput " + ", ".join(f"{x:.2f}" for x in thr)
          + f" (median **{statistics.median(thr):.2f}**); p99 " + ", ".join(f"{x:.2f}" for x in p99)
          + f" (median **{statistics.median(p99):.2f}**)")
    print()
    ratios[cond] = {"thr": statistics.median(thr), "p99": statistics.median(p99),
                    "thr_range": (min(thr), max(thr)), "p99_range": (min(p99), max(p99))}
    if cond in bulk:
        b = {t: statistics.median(v) for t, v in bulk[cond].items()}
        print(f"Large transfers ({bulk_mb} MB over raw TCP, one connection, median of {E['BULK_TRIALS']}):")
        print()
        print("| path | seconds | MB/s | MB/s ÷ HAProxy |")
        print("|---|---:|---:|---:|")
        for t in order:
            if t in b:
                print(f"| {names[t]} | {b[t]:.3f} | {bulk_mb / b[t]:,.0f} | {b['haproxy'] / b[t]:.2f} |")
        print()
        ratios[cond]["bulk"] = b["haproxy"] / b["chaoslab"]

churn = {}
for line in open(sys.argv[3]):
    t, r, rps = line.split()
    churn.setdefault(t, []).append(float(rps))
if churn:
    print("## A new connection per request (idle machine, no target)")
    print()
    print(f"wrk -t{E['THREADS']} -c{E['CHURN_CONNECTIONS']} -d{E['CHURN_DURATION']} -H 'Connection: close': every request opens a connection"
          " through the path and the server closes it; medians of the rounds.")
    print()
    print("| path | req/s | ÷ HAProxy | rounds |")
    print("|---|---:|---:|---|")
    cm = {t: statistics.median(v) for t, v in churn.items()}
    for t in order:
        if t in cm:
            print(f"| {names[t]} | {cm[t]:,.0f} | {cm[t] / cm['haproxy']:.2f} | " + ", ".join(f"{x:,.0f}" for x in churn[t]) + " |")
    print()

print("## Latency toxic")
print()
added = tx_p50 - tb_p50
print(f"latency {toxic_ms:.0f} ms (jitter 0) on bench-cache, wrk -t{E['THREADS']} -c{E['TOXIC_CONNECTIONS']} -d{E['TOXIC_DURATION']}:")
print()
print("| | p50 (ms) | p99 (ms) |")
print("|---|---:|---:|")
print(f"| no toxic | {tb_p50:.3f} | {E['TB_P99']} |")
print(f"| latency {toxic_ms:.0f} ms | {tx_p50:.3f} | {float(E['TX_P99']):.3f} |")
print()
print(f"Added at p50: **{added:.2f} ms** (target {toxic_ms:.0f} ± 2 ms: {ok(abs(added - toxic_ms) <= 2)}).")
print()
print("## Fault API")
print()
print(f"{faults['trials']} trials on one keep-alive connection to the lab API and ONE open keep-alive connection through bench-cache"
      f" (same connection throughout: {faults['same_connection']}). Each trial: add latency 200 ms, GET, DELETE it, GET, add it again, GET, POST /reset, GET.")
print()
print("| call | n | p50 (ms) | p99 (ms) | max (ms) |")
print("|---|---:|---:|---:|---:|")
for k, label in (("add", "POST /proxies/bench-cache/toxics"), ("delete", "DELETE /proxies/bench-cache/toxics/NAME"), ("reset", "POST /reset"),
                 ("floor_idle", "floor: GET /version after a 200 ms idle gap"), ("floor_warm", "floor: GET /version back to back"),
                 ("machine_idle", "machine floor: HAProxy answering GET itself after a 200 ms idle gap")):
    p50, p99, mx, n = faults[k]
    print(f"| {label} | {n} | {p50:.2f} | {p99:.2f} | {mx:.2f} |")
print()
api_p99 = max(faults[k][1] for k in ("add", "delete"))
print(f"- next request after the add returned was delayed ≥ 200 ms: **{faults['delayed_after_add']} of {faults['adds']}**"
      f" (its time: p50 {faults['get_after_add'][0]:.1f} ms, min {faults['get_after_add'][1]:.1f}, max {faults['get_after_add'][2]:.1f})")
print(f"- next request after DELETE not delayed: {faults['fast_after_delete']} of {faults['trials']}; after POST /reset: {faults['fast_after_reset']} of {faults['trials']}")
print(f"- request with no toxic on that connection: p50 {faults['get_before'][0]:.2f} ms, p99 {faults['get_before'][1]:.2f} ms")
print(f"- above the floor, at p50: add {faults['add'][0] - faults['floor_warm'][0]:+.2f} ms (against back to back: an add follows an undelayed GET), "
      f"delete {faults['delete'][0] - faults['floor_idle'][0]:+.2f} ms and reset {faults['reset'][0] - faults['floor_idle'][0]:+.2f} ms "
      "(against the 200 ms gap the delayed GET leaves); the floors are the lab server's HTTP stack and this client on this machine, not the fault's work")
print()
print("## Status while a service is paused")
print()
print(f"GET /api/status {status['n']} times on one keep-alive connection while ads is paused (SIGSTOP): "
      f"p50 {status['p50']:.2f} ms, p99 **{status['p99']:.2f} ms**, max {status['max']:.2f} ms; ads reported unhealthy in {status['unhealthy']} of {status['n']}.")
print()
print("## Memory (VmRSS of the `chaoslab start` process only, not its services)")
print()
per = (mem["during"] - mem["before"]) / mem["n"]
print("| state | VmRSS (kB) |")
print("|---|---:|")
print(f"| idle with its proxies, before any load | {int(E['RSS_IDLE_START']):,} |")
print(f"| idle after the load runs above | {mem['before']:,} |")
print(f"| with {mem['n']:,} idle connections through bench-cache | {mem['during']:,} |")
print(f"| after closing them | {mem['after_close']:,} |")
print()
print(f"Increase per connection: **{per:.1f} kB** ({mem['upstream_connections']} upstream connections seen, {mem['still_open']} of {mem['n']} client connections still open when measured).")
print()
print("## Targets")
print()
print("| target | measured | |")
print("|---|---|---|")
for cond in conditions:
    r = ratios[cond]
    print(f"| {cond}: throughput ≥ 1.0 × HAProxy (median of the rounds' ratios) | {r['thr']:.2f} × (rounds {r['thr_range'][0]:.2f}–{r['thr_range'][1]:.2f}) | {ok(r['thr'] >= 1.0)} |")
    print(f"| {cond}: p99 ≤ 1.0 × HAProxy (median of the rounds' ratios) | {r['p99']:.2f} × (rounds {r['p99_range'][0]:.2f}–{r['p99_range'][1]:.2f}) | {ok(r['p99'] <= 1.0)} |")
    if "bulk" in r:
        print(f"| {cond}: {bulk_mb} MB transfer at least as fast as HAProxy | {r['bulk']:.2f} × | {ok(r['bulk'] >= 1.0)} |")
print(f"| latency toxic adds {toxic_ms:.0f} ± 2 ms at p50 | {added:.2f} ms | {ok(abs(added - toxic_ms) <= 2)} |")
print(f"| fault API p99 < 1 ms (add, delete) | {api_p99:.2f} ms (HTTP floor after the same idle gap: p99 {faults['floor_idle'][1]:.2f} ms; HAProxy answering itself: p99 {faults['machine_idle'][1]:.2f} ms) | {ok(api_p99 < 1)} |")
print(f"| next request already delayed | {faults['delayed_after_add']} of {faults['adds']} | {ok(faults['delayed_after_add'] == faults['adds'])} |")
print(f"| GET /api/status p99 < 20 ms with a service paused | {status['p99']:.2f} ms | {ok(status['p99'] < 20 and status['unhealthy'] == status['n'])} |")
EOF
log "done"
