# benchmarks/lib.sh: what the benchmark scripts share, sourced after they set BENCHMARK (their
# name in log lines), CONFIG, SCRATCH and CHAOSLAB_BIN: logging, the build, and stopping the lab
# server they started (LAB_PID) with its children.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB_PID=""

log() { printf '[%s %s] %s\n' "$BENCHMARK" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Sets CHAOSLAB_BIN to a built chaoslab, building it unless one was given. Building chaoslab
# builds the four service executables beside it (chaoslab depends on them).
build_chaoslab() {
    if [[ -z $CHAOSLAB_BIN ]]; then
        log "building chaoslab and the demo services ($CONFIG, scratch path $SCRATCH); the first build takes several minutes"
        (cd "$REPO" && swift build -c "$CONFIG" --product chaoslab --scratch-path "$SCRATCH" >&2)
        CHAOSLAB_BIN="$(cd "$REPO" && swift build -c "$CONFIG" --scratch-path "$SCRATCH" --show-bin-path)/chaoslab"
    fi
    [[ -x $CHAOSLAB_BIN ]] || die "no chaoslab binary at $CHAOSLAB_BIN"
}

# Stops the lab server (SIGTERM, up to 30 s, then SIGKILL), which stops its services; with a
# failed `status`, shows the last lines of its log ($1).
stop_lab() {
    local status=$1 logfile=$2 i
    if [[ -n $LAB_PID ]] && kill -0 "$LAB_PID" 2>/dev/null; then
        log "stopping chaoslab (pid $LAB_PID) and its services"
        kill -TERM "$LAB_PID" 2>/dev/null || true
        for ((i = 0; i < 300; i++)); do kill -0 "$LAB_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$LAB_PID" 2>/dev/null && kill -KILL "$LAB_PID" 2>/dev/null
        wait "$LAB_PID" 2>/dev/null || true
    fi
    if [[ $status -ne 0 && -f $logfile ]]; then
        log "chaoslab's log (last 20 lines):"; tail -20 "$logfile" >&2
    fi
}
