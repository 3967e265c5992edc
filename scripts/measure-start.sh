#!/usr/bin/env bash
# Start-up time and idle footprint of the app, as issue 15 item 6 measures them: RUNS cold starts in
# demo mode, each with a fresh DATA_DIR, timed from the launch to the first 200 of /api/v1/system/info
# ("ready"); the resident set size IDLE_SECONDS after that answer ("idle RSS"). Prints each run and the
# medians, with the load average beside them (the machine may be shared: compare medians, not runs).
#
#   scripts/measure-start.sh [-n RUNS] [-i IDLE_SECONDS] [-p PREFIX] [-k] -- COMMAND...
#   e.g. scripts/measure-start.sh -n 5 -- java -jar backend/app/target/volc-image-studio.jar
#
# COMMAND is started with APP_HOST=127.0.0.1, a free APP_PORT, DATA_DIR in a temporary folder and the
# provider keys emptied (demo mode), from the repository root; it is stopped by its PID after each run.
# -p starts every printed line with PREFIX (`make bench` uses "BENCH: start-up"); -k keeps each run's
# log (its path is printed) instead of deleting it with its DATA_DIR. `make bench` runs this on the
# command `make run` uses; the CPU figure (all threads, until ready) is less disturbed than the wall
# clock when other work shares the cores.
set -euo pipefail

RUNS=5
IDLE_SECONDS=15
KEEP=0
PREFIX=
while [[ $# -gt 0 ]]; do
    case "$1" in
        -n) RUNS="$2"; shift 2 ;;
        -i) IDLE_SECONDS="$2"; shift 2 ;;
        -p) PREFIX="$2 "; shift 2 ;;
        -k) KEEP=1; shift ;;
        --) shift; break ;;
        *) echo "usage: $0 [-n RUNS] [-i IDLE_SECONDS] [-p PREFIX] [-k] -- COMMAND..." >&2; exit 2 ;;
    esac
done
[[ $# -gt 0 ]] || { echo "usage: $0 [-n RUNS] [-i IDLE_SECONDS] [-p PREFIX] [-k] -- COMMAND..." >&2; exit 2; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TIMEOUT_SECONDS=${START_TIMEOUT_SECONDS:-120}

free_port() {
    # A port the kernel hands out now, released at once; nothing else on this machine takes it meanwhile
    # in practice (the ephemeral range is large).
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
        || echo $((20000 + RANDOM % 20000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU time (user + system, all threads) the process has used.
TICKS=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$TICKS" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / t) }' "/proc/$1/stat"; }

PID=
WORK=
cleanup() {
    if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
        kill "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    if [[ -n "$WORK" && "$KEEP" == 0 ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

readies=()
cpus=()
rsses=()
for run in $(seq 1 "$RUNS"); do
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/measure-start.XXXXXX")
    port=$(free_port)
    load_before=$(load)
    start=$(date +%s%N)
    APP_HOST=127.0.0.1 APP_PORT="$port" DATA_DIR="$WORK/data" LOG_DIR= \
        VOLC_ACCESS_KEY= VOLC_SECRET_KEY= VOLC_SESSION_TOKEN= ARK_API_KEY= \
        "$@" >"$WORK/log" 2>&1 &
    PID=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/system/info"; do
        if ! kill -0 "$PID" 2>/dev/null; then
            echo "run $run: the app exited before it was ready; its log:" >&2
            tail -n 30 "$WORK/log" >&2
            exit 1
        fi
        if (( ($(date +%s%N) - start) / 1000000000 >= TIMEOUT_SECONDS )); then
            echo "run $run: not ready after ${TIMEOUT_SECONDS}s" >&2
            exit 1
        fi
        sleep 0.02
    done
    ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    cpu_ms=$(cpu_ms "$PID")
    sleep "$IDLE_SECONDS"
    rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$PID/status")
    started=$(grep -o 'Started StudioApplication in [0-9.]* seconds' "$WORK/log" | grep -o '[0-9.]*' || echo '?')
    kill "$PID"
    wait "$PID" 2>/dev/null || true
    PID=
    printf '%srun %d: ready %5d ms (CPU %5d ms; context started in %s s)  idle RSS %4d MB  load %s\n' \
        "$PREFIX" "$run" "$ready_ms" "$cpu_ms" "$started" $((rss_kb / 1024)) "$load_before"
    readies+=("$ready_ms")
    cpus+=("$cpu_ms")
    rsses+=($((rss_kb / 1024)))
    if [[ "$KEEP" == 1 ]]; then echo "${PREFIX}        log: $WORK/log"; else rm -rf "$WORK"; fi
    WORK=
done

printf '%sready: median %s ms of %d cold starts (%s), CPU until ready %s ms (%s)  idle RSS: median %s MB (%s)  load now %s  cores %s\n' "$PREFIX" \
    "$(printf '%s\n' "${readies[@]}" | median)" "$RUNS" "${readies[*]}" \
    "$(printf '%s\n' "${cpus[@]}" | median)" "${cpus[*]}" \
    "$(printf '%s\n' "${rsses[@]}" | median)" "${rsses[*]}" "$(load)" "$(nproc)"
