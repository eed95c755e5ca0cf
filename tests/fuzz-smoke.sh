#!/usr/bin/env bash
# Builds every libFuzzer target (make fuzz) and runs each for a few seconds,
# so a fuzz target that no longer builds, or a parser that crashes on the first
# inputs libFuzzer tries, fails CI.  Long fuzzing runs are done by hand:
#   build-fuzz/fuzz_NAME -max_total_time=600 CORPUS_DIR
set -u
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-5}
pass=0; fail=0
if ! make fuzz >/tmp/brig-fuzz-build.log 2>&1; then
    tail -20 /tmp/brig-fuzz-build.log
    echo "not ok - make fuzz"; echo "0 passed, 1 failed"; exit 1
fi
for f in fuzz/fuzz_*.c; do
    n=$(basename "$f" .c)
    work=$(mktemp -d /tmp/brig-fuzz.XXXXXX)
    if (cd "$work" && timeout $((secs + 60)) "$OLDPWD/build-fuzz/$n" -max_total_time="$secs" -rss_limit_mb=2048 \
            -timeout=20 >"$work/log" 2>&1); then
        pass=$((pass + 1)); echo "ok - $n ($(grep -oE 'Done [0-9]+ runs' "$work/log" | head -1))"
    else
        fail=$((fail + 1)); echo "not ok - $n"; grep -E 'ERROR|SUMMARY|==[0-9]+==' "$work/log" | head -10 | sed 's/^/# /'
    fi
    rm -rf "$work"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
