#!/usr/bin/env bash
# Image reading speed: `brig inspect --verify` (hash every layer blob and its
# diff_id) and `brig inspect --files` (one full decompress + tar walk building
# the merged view) on the debian fixture, against the floor of doing the same
# hashing with coreutils: `zcat BLOB | sha256sum` for every layer plus
# `sha256sum BLOB`.  Prints wall seconds (best of N) and brig/peer ratios.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BRIG=${BRIG:-$here/../brig}
F=${BRIG_FIXTURES:-$here/../tests/fixtures/out}
N=${BENCH_RUNS:-3}
lay=$F/debian-oci
[ -d "$lay" ] || { echo "bench/image.sh: $lay missing (make fixtures)" >&2; exit 1; }
command -v jq >/dev/null || { echo "bench/image.sh: jq missing" >&2; exit 1; }
mdg=$(jq -r '.manifests[0].digest' "$lay/index.json")
layers=$(jq -r '.layers[].digest' "$lay/blobs/sha256/${mdg#sha256:}" | sed "s|sha256:|$lay/blobs/sha256/|")

tf=$(mktemp); trap 'rm -f "$tf"' EXIT
best() {   # best wall time of N runs of "$@"
    local b="" t
    for _ in $(seq "$N"); do
        /usr/bin/time -f %e -o "$tf" "$@" >/dev/null 2>&1
        t=$(tail -1 "$tf")
        if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN{exit !(a<b)}'; then b=$t; fi
    done
    echo "$b"
}
peer() { for l in $layers; do sha256sum "$l"; zcat -f "$l" | sha256sum; done; }
export -f peer; export layers

size=$(for l in $layers; do stat -c %s "$l"; done | awk '{s+=$1} END {printf "%.1f", s/1048576}')
t_peer=$(best bash -c peer)
t_verify=$(best "$BRIG" inspect --verify "oci:$lay")
t_files=$(best "$BRIG" inspect --files --format json "oci:$lay")
t_both=$(best "$BRIG" inspect --verify --files --format json "oci:$lay")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo "image: debian fixture, $(echo "$layers" | wc -l) layers, $size MiB compressed (best of $N wall times)"
echo "ratio image-verify: brig inspect --verify $t_verify s, zcat|sha256sum $t_peer s -> brig/peer $(ratio "$t_verify" "$t_peer")"
echo "ratio image-walk: brig inspect --files $t_files s, zcat|sha256sum $t_peer s -> brig/peer $(ratio "$t_files" "$t_peer")"
echo "ratio image-verify-walk: brig inspect --verify --files $t_both s, zcat|sha256sum $t_peer s -> brig/peer $(ratio "$t_both" "$t_peer")"
