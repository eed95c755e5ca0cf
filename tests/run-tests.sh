#!/usr/bin/env bash
# Runs every unit test binary (cmocka, TAP output) and every integration script
# (tests/integration/*.sh, TAP-like "ok"/"not ok" lines), then prints one line:
#   N passed, N failed[, N skipped]
# A binary or script that crashes or exits non-zero without reporting a failure
# counts as one failure, so a sanitizer abort can never pass silently.
# Every test reads /dev/null: CI starts us with standard input closed, and a
# client such as ctr or script then takes the first socket it opens for its stdin.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$here/../build}
BRIG=${BRIG:-$here/../brig}
export BRIG BUILD
export BRIG_TEST_TMP=${BRIG_TEST_TMP:-$(mktemp -d /tmp/brig-tests.XXXXXX)}
export CMOCKA_MESSAGE_OUTPUT=TAP
filter=${1:-}
pass=0; fail=0; skip=0
failed_names=()

count() {  # $1 = name, $2 = log file, $3 = exit status
    local p f s
    p=$(grep -cE '^ok ' "$2" || true)
    s=$(grep -cE '^ok .*# (SKIP|skip)' "$2" || true)
    f=$(grep -cE '^not ok ' "$2" || true)
    p=$((p - s))
    if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1; echo "not ok - $1 exited with status $3 without reporting a failure" >>"$2"
    fi
    if [ "$((p + f + s))" -eq 0 ]; then f=1; echo "not ok - $1 ran no test" >>"$2"; fi
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
    if [ "$f" -gt 0 ]; then failed_names+=("$1"); grep -E '^not ok|^# ' "$2" | head -40 | sed "s|^|    [$1] |"; fi
    printf '%-40s %4d passed %3d failed %3d skipped\n' "$1" "$p" "$f" "$s"
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    n=$(basename "$t")
    [ -n "$filter" ] && [[ "$n" != *"$filter"* ]] && continue
    log="$BRIG_TEST_TMP/$n.log"
    (cd "$here/.." && timeout 600 "$t") </dev/null >"$log" 2>&1; rc=$?
    count "$n" "$log" "$rc"
done
for t in "$here"/integration/*.sh; do
    [ -f "$t" ] || continue
    n=$(basename "$t" .sh)
    [ -n "$filter" ] && [[ "$n" != *"$filter"* ]] && continue
    log="$BRIG_TEST_TMP/$n.log"
    (cd "$here/.." && timeout 1800 bash "$t") </dev/null >"$log" 2>&1; rc=$?
    count "$n" "$log" "$rc"
done
if [ ${#failed_names[@]} -gt 0 ]; then echo "failing: ${failed_names[*]} (logs in $BRIG_TEST_TMP)"; fi
if [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"; else echo "$pass passed, $fail failed"; fi
[ "$fail" -eq 0 ]
