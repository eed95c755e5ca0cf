#!/usr/bin/env bash
# Secret scanning throughput: `brig scan --secrets DIR` against secretlint
# (npm: secretlint + @secretlint/secretlint-rule-preset-recommend, installed
# into a cache prefix) on the same ~320 MB mixed tree in one run: copies of
# /usr/include (C headers), /usr/lib/python3 (Python) and /usr/share/doc (text,
# HTML, gzip'd changelogs), plus the true-positive corpus planted inside.
# gitleaks has no Debian package and no offline install: reported as skipped.
# Prints MB/s for each tool and "ratio" lines for bench/run-all.sh.
# Env: BRIG, BENCH_RUNS (best of N for brig, default 3), BENCH_SECRETS_DIR
# (dataset location, default /tmp/brig-bench-secrets; reused when present),
# BRIG_BENCH_CACHE (npm prefix, default /var/cache/brig-bench/npm),
# BENCH_PEER_TIMEOUT (s, default 600) bounds secretlint's run on the slice.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BRIG=${BRIG:-$here/../brig}
RUNS=${BENCH_RUNS:-3}
D=${BENCH_SECRETS_DIR:-/tmp/brig-bench-secrets}
NPMP=${BRIG_BENCH_CACHE:-/var/cache/brig-bench/npm}

if [ ! -f "$D/.complete" ]; then
    rm -rf "$D"; mkdir -p "$D"
    for src in /usr/include /usr/lib/python3 /usr/share/doc; do
        [ -d "$src" ] && cp -a "$src" "$D/$(echo "${src#/}" | tr / _)"
    done
    cp -a "$here/../tests/secrets-cases/tp" "$D/planted"
    : >"$D/.complete"
fi
bytes=$(du -sb --exclude=.complete "$D" | cut -f1)
files=$(find "$D" -type f | wc -l)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "dataset: $D, $files files, $mb MB"

best() {   # best wall time in seconds of N runs of "$@" (stdout discarded)
    local n=$1 b= s e t; shift
    for _ in $(seq "$n"); do
        s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
        t=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')
        if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN { exit !(a < b) }'; then b=$t; fi
    done
    echo "$b"
}
rate() { awk -v m="$mb" -v t="$1" 'BEGIN { printf "%.1f", m / t }'; }

# warm the page cache so both tools read from memory
find "$D" -type f -print0 | xargs -0 cat >/dev/null 2>&1
nfind=$("$BRIG" scan --secrets "$D" --format json 2>/dev/null | jq '.secrets | length')
tb=$(best "$RUNS" "$BRIG" scan --secrets "$D" --format json)
echo "brig scan --secrets: ${tb} s, $(rate "$tb") MB/s, $nfind findings (best of $RUNS)"

sl=$NPMP/node_modules/.bin/secretlint
if [ ! -x "$sl" ] && command -v npm >/dev/null; then
    mkdir -p "$NPMP"
    npm install --no-audit --no-fund --prefix "$NPMP" secretlint @secretlint/secretlint-rule-preset-recommend >/dev/null 2>&1
fi
if [ -x "$sl" ]; then
    # secretlint runs well under 1 MB/s, so the side-by-side run uses a ~12 MB
    # slice of the same tree (C headers + the planted corpus); both tools scan
    # exactly that slice, and brig's full-tree rate is printed above.
    S=$D.slice
    if [ ! -f "$S/.complete" ]; then
        rm -rf "$S"; mkdir -p "$S"
        (cd "$D" && find usr_include -type f -name "*.h" | sort | head -1500 | xargs -d "\n" cp --parents -t "$S")
        cp -a "$D/planted" "$S/planted"
        : >"$S/.complete"
    fi
    smb=$(du -sb --exclude=.complete "$S" | awk '{ printf "%.1f", $1 / 1048576 }')
    srate() { awk -v m="$smb" -v t="$1" 'BEGIN { printf "%.1f", m / t }'; }
    rc=$(mktemp /tmp/secretlintrc.XXXXXX.json)
    echo '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' >"$rc"
    to=${BENCH_PEER_TIMEOUT:-600}
    tbs=$(best "$RUNS" "$BRIG" scan --secrets "$S" --format json)
    s0=$(date +%s.%N)
    (cd "$S" && timeout "$to" "$sl" --secretlintrc "$rc" --maskSecrets "**/*" >/dev/null 2>&1); src=$?
    ts=$(awk -v s="$s0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }')
    nsl=$(cd "$S" && "$sl" --secretlintrc "$rc" --maskSecrets --format json "planted/**/*" 2>/dev/null | jq '[.[].messages[]] | length' 2>/dev/null)
    nbr=$("$BRIG" scan --secrets "$S/planted" --format json 2>/dev/null | jq '.secrets | length')
    rm -f "$rc"
    echo "slice: $S, $smb MB; brig ${tbs} s ($(srate "$tbs") MB/s, $nbr findings on the planted corpus)"
    if [ "$src" -eq 124 ]; then
        echo "secretlint (preset-recommend): did not finish in ${to} s on the slice"
        echo "ratio secrets-slice-throughput: brig/secretlint speedup > $(awk -v a="$ts" -v b="$tbs" 'BEGIN { printf "%.1f", a / b }')x (lower bound)"
    else
        echo "secretlint (preset-recommend): ${ts} s ($(srate "$ts") MB/s, $nsl findings on the planted corpus)"
        echo "ratio secrets-slice-throughput: brig $(srate "$tbs") MB/s, secretlint $(srate "$ts") MB/s -> brig/secretlint speedup $(awk -v a="$ts" -v b="$tbs" 'BEGIN { printf "%.1f", a / b }')x"
    fi
else
    echo "ratio secrets-dir-throughput: skipped: secretlint not installed (npm unavailable)"
fi
echo "ratio secrets-dir-gitleaks: skipped: gitleaks has no Debian 12 package and cannot be installed offline"
