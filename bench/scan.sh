#!/usr/bin/env bash
# brig scan speed and memory on the Debian fixture image, against the I/O floor:
# the time `zcat`/`zstdcat` + `sha256sum` take just to decompress and hash the
# same layers (every scanner must at least read them).  Target: brig within 2x
# of the floor.  Also runs Trivy / Grype when installed (they are not Debian 12
# packages and cannot be downloaded here, so they are usually reported skipped).
# Each timing is the best of $RUNS runs (wall clock), peak RSS from /usr/bin/time -v.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BRIG=${BRIG:-$here/../brig}
RUNS=${RUNS:-5}
FIX=${BRIG_FIXTURES:-$here/../tests/fixtures/out}
[ -d "$FIX/debian-oci" ] || "$here/../tests/fixtures/build-images.sh" debian >&2
[ -d "$FIX/scan/app-oci" ] || "$here/../tests/fixtures/build-scan.sh" >&2
VD=${VULNDATA:-$here/../../shared/vulndata}
tmp=$(mktemp -d /tmp/brig-bench-scan.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
DB=$tmp/vuln.db
if [ -d "$VD" ]; then "$BRIG" db import --db "$DB" "$VD" >/dev/null 2>&1; fi

best() {  # best wall time in seconds of RUNS runs of "$@"
    local b= t
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -o "$tmp/t" -f %e "$@" >/dev/null 2>&1 || true
        t=$(tail -1 "$tmp/t")
        b=$(awk -v a="${b:-1e9}" -v c="$t" 'BEGIN { print (c < a) ? c : a }')
    done
    echo "$b"
}
rss() { /usr/bin/time -o "$tmp/r" -v "$@" >/dev/null 2>&1 || true; awk -F': ' '/Maximum resident/ { print $2 }' "$tmp/r"; }

floor_cmd() {  # decompress + hash every layer blob of an OCI layout
    local img=$1 m
    m=$(jq -r '.manifests[0].digest' "$img/index.json" | cut -d: -f2)
    jq -r '.layers[] | .mediaType + " " + .digest' "$img/blobs/sha256/$m" | while read -r mt d; do
        f=$img/blobs/sha256/${d#sha256:}
        case $mt in
            *zstd*) zstdcat "$f" | sha256sum >/dev/null ;;
            *gzip*) zcat "$f" | sha256sum >/dev/null ;;
            *) sha256sum "$f" >/dev/null ;;
        esac
    done
}
export -f floor_cmd

for name in debian-oci scan/app-oci; do
    img=$FIX/$name
    floor=$(best bash -c "floor_cmd '$img'")
    inv=$(best "$BRIG" scan --list-packages "$img")
    echo "ratio scan-inventory $name: brig $inv s, zcat+sha256sum floor $floor s -> brig/floor $(awk -v a="$inv" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')"
    if [ -f "$DB" ]; then
        vul=$(best "$BRIG" scan --scanners vuln --db "$DB" "$img")
        echo "ratio scan-vuln $name: brig $vul s, floor $floor s -> brig/floor $(awk -v a="$vul" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')"
        echo "peak RSS brig scan --scanners vuln $name: $(rss "$BRIG" scan --scanners vuln --db "$DB" "$img") KB"
    fi
    echo "peak RSS brig scan --list-packages $name: $(rss "$BRIG" scan --list-packages "$img") KB"
done
for peer in trivy grype; do
    if command -v "$peer" >/dev/null; then
        case $peer in
            trivy) t=$(best trivy image --quiet --skip-db-update --input "$FIX/debian.oci.tar") ;;
            grype) t=$(best grype -q "oci-archive:$FIX/debian.oci.tar") ;;
        esac
        b=$(best "$BRIG" scan --scanners vuln --db "$DB" "$FIX/debian.oci.tar")
        echo "ratio scan-debian vs $peer: brig $b s, $peer $t s -> brig/$peer $(awk -v a="$b" -v c="$t" 'BEGIN { printf "%.2f", a / c }')"
    else
        echo "skipped: $peer is not installed (not packaged in Debian 12; only Debian and npm registries are reachable)"
    fi
done
