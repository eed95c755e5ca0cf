#!/usr/bin/env bash
# Runs every bench/<area>.sh in one go (the machine state is the same for all
# of them) and ends with a summary of their ratio lines.
#
# Convention for bench scripts: each compares brig with the peer tools present
# on this machine and prints one line per comparison containing the word
# "ratio", e.g.
#   ratio scan-debian: brig 0.41 s, trivy 1.90 s -> brig/trivy 0.22
# A peer tool that is not installed is reported as "skipped: <why>".
#
# Usage: bench/run-all.sh [SUBSTRING]    only scripts whose name contains it
# Environment: BRIG (binary, default ./brig), BENCH_TIMEOUT (s per script, 1800).
# Exit status: 0 when every script succeeded, 1 otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export BRIG=${BRIG:-$here/../brig}
[ -x "$BRIG" ] || { echo "bench: $BRIG is not built (make)" >&2; exit 1; }
BRIG=$(cd "$(dirname "$BRIG")" && pwd)/$(basename "$BRIG")
export BRIG
filter=${1:-}
logdir=$(mktemp -d /tmp/brig-bench.XXXXXX)
summary=()
failed=0 ran=0
echo "bench: $(uname -srm), $(nproc) cores, $("$BRIG" --version | head -1), logs in $logdir"
for s in "$here"/*.sh; do
    n=$(basename "$s" .sh)
    [ "$n" = run-all ] && continue
    [ -n "$filter" ] && [[ "$n" != *"$filter"* ]] && continue
    ran=$((ran + 1))
    echo "=== $n"
    start=$(date +%s)
    timeout "${BENCH_TIMEOUT:-1800}" bash "$s" 2>&1 | tee "$logdir/$n.log"
    rc=${PIPESTATUS[0]}
    secs=$(( $(date +%s) - start ))
    if [ "$rc" -ne 0 ]; then
        failed=$((failed + 1)); summary+=("$n: FAILED (exit $rc after ${secs} s, log $logdir/$n.log)")
    fi
    while IFS= read -r l; do summary+=("$n: $l"); done < <(grep -iE 'ratio|skipped' "$logdir/$n.log")
    grep -qiE 'ratio' "$logdir/$n.log" || summary+=("$n: printed no ratio line")
done
if [ "$ran" -eq 0 ]; then
    # No scripts at all is not a failure of the driver; a filter that matches nothing is.
    rmdir "$logdir"
    [ -z "$filter" ] && { echo "bench: no bench/<area>.sh scripts yet"; exit 0; }
    echo "bench: no bench/*.sh matched '$filter'"; exit 1
fi
echo
echo "=== summary ($ran scripts, $failed failed)"
for l in "${summary[@]}"; do echo "  $l"; done
[ "$failed" -eq 0 ]
