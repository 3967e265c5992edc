#!/usr/bin/env bash
# `make test`: every test, with its own set-up, one step after another; prints the wall time of each
# step and of the whole, so a slow step shows in every CI log.
#
# Measured, and left out: the browser tests beside the backend suite instead of after it. The browser
# tests use 135 s of CPU in their 298 s, so the idle half looked free; but on two cores both lanes
# slowed down so much (backend 284 -> 501 s, browser 321 -> 594 s) that the whole took as long as
# one after the other (658 s against 641 s), and a timing-sensitive browser test needed its rerun.
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
    local joined
    joined=$(printf '%s; ' "${times[@]}")
    echo "make test: $1 in $(($(date +%s) - start)) s (${joined%; })"
}

for target in test-setup frontend/dist/index.html lint test-backend test-deploy test-e2e; do
    step "$target" || { finish "failed at $target"; exit 1; }
done
finish passed
