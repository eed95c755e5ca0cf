#!/usr/bin/env bash
# Build, then run the whole suite twice: optimised, and under ASan+UBSan;
# then build every libFuzzer target and run each for a few seconds.
# Prints the combined "N passed, N failed" as its last line.
set -u
cd "$(dirname "$0")/.."
total_p=0; total_f=0
run() {  # $1 = label, rest = make invocation
    local label=$1; shift
    local log=/tmp/brig-$label.log
    "$@" 2>&1 | tee "$log" | grep -vE '^(cc|clang|ar|rm|cp) ' 
    local last; last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    if [ -z "$last" ]; then echo "[$label] build or runner failed before reporting"; total_f=$((total_f + 1)); return; fi
    local p f; p=${last%% passed*}; f=${last#*, }; f=${f%% failed*}
    echo "[$label] $last"
    total_p=$((total_p + p)); total_f=$((total_f + f))
}
make -j2 brig >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
tests/fixtures/build-images.sh || echo "warning: fixture build failed; image tests will report it"
run release make -j2 test
run asan make -j2 asan
run fuzz tests/fuzz-smoke.sh
# CI shows only the end of this output: repeat the failed checks (each with the
# first line of what it printed) here, where they are seen.
if [ "$total_f" -gt 0 ]; then
    echo "failed checks:"
    for label in release asan fuzz; do
        awk -v l="[$label]" '/not ok/ { sub(/^ +/, ""); print l, $0; d = 1; next }
                             d && /^ *(\[[^]]+\] )?# / { sub(/^ +/, ""); print l, "  ", $0 } { d = 0 }' \
            "/tmp/brig-$label.log" 2>/dev/null | head -16
    done
fi
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
