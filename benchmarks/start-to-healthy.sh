#!/usr/bin/env bash
# benchmarks/start-to-healthy.sh: how long `chaoslab start` takes from launch until its sandbox
# is healthy, for one binary or two side by side (before and after a change).
#
# Each round starts `BIN start --port 0 --data TMPDIR --no-monitoring`, times the launch to the
# line "lab server:" (printed once every service has answered its health path and the HTTP
# server listens), then stops it (SIGTERM; it stops its services) before the next round. With
# BEFORE_BIN and AFTER_BIN both set, rounds alternate between them (ABAB…), so that a busy
# moment of the machine falls on both. SYSTEM=FILE passes --system FILE (to both binaries:
# only one that knows --system can take it). Prints a markdown table on stdout, progress on
# stderr, and leaves nothing running.
set -euo pipefail

ROUNDS=${ROUNDS:-10}                     # rounds per binary
CONFIG=${CONFIG:-debug}
SCRATCH=${SCRATCH:-.build}
CHAOSLAB_BIN=${CHAOSLAB_BIN:-}           # the one binary to time (built when empty), unless BEFORE_BIN/AFTER_BIN
BEFORE_BIN=${BEFORE_BIN:-}
AFTER_BIN=${AFTER_BIN:-}
SYSTEM=${SYSTEM:-}

BENCHMARK=start-to-healthy.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chaoslab-start.XXXXXX")

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_lab "$status" "$WORK/chaoslab.log"
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT INT TERM

if [[ -n $BEFORE_BIN || -n $AFTER_BIN ]]; then
    [[ -x $BEFORE_BIN && -x $AFTER_BIN ]] || die "BEFORE_BIN and AFTER_BIN must both name chaoslab binaries"
    BINS=("$BEFORE_BIN" "$AFTER_BIN"); NAMES=(before after)
else
    build_chaoslab
    BINS=("$CHAOSLAB_BIN"); NAMES=(this)
fi
EXTRA=(--labs "$REPO/Labs")  # the shop's labs; a system's own sit beside its file
[[ -n $SYSTEM ]] && EXTRA=(--system "$SYSTEM")

# One start: prints the milliseconds from launch to "lab server:".
time_start() {
    local bin=$1 started now
    rm -rf "$WORK/data" "$WORK/chaoslab.log"  # no line of the last round may count
    started=$(date +%s%N)
    "$bin" start --port 0 --data "$WORK/data" --no-monitoring "${EXTRA[@]}" >"$WORK/chaoslab.log" 2>&1 &
    LAB_PID=$!
    until grep -qs "lab server:" "$WORK/chaoslab.log"; do
        kill -0 "$LAB_PID" 2>/dev/null || die "chaoslab exited during start-up"
        (( $(date +%s%N) - started < 60000000000 )) || die "no healthy sandbox within 60 s"
        sleep 0.005
    done
    now=$(date +%s%N)
    stop_lab 0 "$WORK/chaoslab.log"
    LAB_PID=""
    echo $(( (now - started) / 1000000 ))
}

declare -A TIMES
for ((round = 1; round <= ROUNDS; round++)); do
    for index in "${!BINS[@]}"; do
        ms=$(time_start "${BINS[$index]}")
        TIMES[${NAMES[$index]}]+="$ms "
        log "round $round, ${NAMES[$index]}: $ms ms"
    done
done

COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "start to healthy, $ROUNDS rounds each, commit $COMMIT, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)${SYSTEM:+, system $SYSTEM}"
echo
echo "| binary | median ms | min ms | max ms |"
echo "| --- | --- | --- | --- |"
for name in "${NAMES[@]}"; do
    read -r -a values <<<"${TIMES[$name]}"
    sorted=($(printf '%s\n' "${values[@]}" | sort -n))
    count=${#sorted[@]}
    median=${sorted[$((count / 2))]}
    echo "| $name | $median | ${sorted[0]} | ${sorted[$((count - 1))]} |"
done
