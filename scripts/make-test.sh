#!/usr/bin/env bash
# `make test`: every test, with its own set-up, and the wall time of each step and of the whole.
#
# The browser tests spend most of their time waiting (emulated latency, the page's own timers): on
# the 2-core machine they used 135 s of CPU in 298 s. So they run beside the backend suite, which
# keeps both cores busy, instead of after it: first the set-up, the checks and the backend jar with
# its class-data archive (what the browser tests start), then two lanes at once, the backend suite
# (`mvn verify`) in one and the deployment checks and browser tests in the other, whose output is
# printed once it is done. The browser tests start the extracted copy in backend/app/target/cds/, so
# `mvn verify` repackaging the jar meanwhile does not touch them.
#
# MAKE_TEST_SERIAL=1 runs the steps one after another, with the output as it comes.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MAKE=${MAKE:-make}
start=$(date +%s)
times=()

step() {
    local t
    t=$(date +%s)
    "$MAKE" --no-print-directory "$@" || return 1
    times+=("$* $(($(date +%s) - t)) s")
}

finish() {
    local IFS=';'
    echo "make test: $1 in $(($(date +%s) - start)) s (${times[*]})"
}

step test-setup && step frontend/dist/index.html lint && step cds-archive || { finish failed; exit 1; }

if [[ "${MAKE_TEST_SERIAL:-0}" == 1 ]]; then
    step test-backend && step test-deploy && step test-e2e || { finish failed; exit 1; }
    finish passed
    exit 0
fi

mkdir -p frontend/build
lane_log=frontend/build/test-lane.log
lane_start=$(date +%s)
# A process group of its own (set -m), so that a Ctrl-C or a failure here stops the whole lane:
# make, node, the backend, nginx and chromium.
set -m
"$MAKE" --no-print-directory test-deploy test-e2e >"$lane_log" 2>&1 &
lane=$!
set +m
trap 'kill -- -"$lane" 2>/dev/null' EXIT

step test-backend
backend=$?
wait "$lane"
browser=$?
trap - EXIT
times+=("test-deploy test-e2e $(($(date +%s) - lane_start)) s, beside test-backend")

echo "---- test-deploy and test-e2e (ran beside test-backend; $lane_log) ----"
cat "$lane_log"
if [[ $backend -ne 0 || $browser -ne 0 ]]; then
    [[ $backend -ne 0 ]] && echo "make test: test-backend failed (above)"
    [[ $browser -ne 0 ]] && echo "make test: test-deploy or test-e2e failed (above)"
    finish failed
    exit 1
fi
finish passed
