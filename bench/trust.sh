#!/usr/bin/env bash
# Content trust: time `brig verify` (signature + every blob digest) against the
# same checks done by standard tools (jq + openssl dgst for the signature,
# sha256sum for every blob of the image) on the Debian fixture layout.
# cosign cannot verify an offline OCI layout signed this way (its --local-image
# expects `cosign save` output), so it is reported as skipped when absent or not
# comparable.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BRIG=${BRIG:-$here/../brig}
F=${BRIG_FIXTURES:-$here/../tests/fixtures/out}
RUNS=${BENCH_RUNS:-5}
[ -d "$F/debian-oci" ] || { echo "skipped: fixture $F/debian-oci missing (tests/fixtures/build-images.sh)"; exit 0; }
W=$(mktemp -d /tmp/brig-bench-trust.XXXXXX)
trap 'rm -rf "$W"' EXIT
cp -r "$F/debian-oci" "$W/img"
BRIG_PASSWORD= "$BRIG" key generate --output-key-prefix "$W/k" >/dev/null 2>&1
"$BRIG" sign --key "$W/k.key" "oci:$W/img" >/dev/null || { echo "bench trust: sign failed"; exit 1; }

peer() {   # signature + blob checks with standard tools
    local DIR=$W/img D SM L PD
    D=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "latest") | .digest' "$DIR/index.json")
    SM=$(jq -r --arg t "sha256-${D#sha256:}.sig" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$DIR/index.json")
    L=$(jq -c '.layers[0]' "$DIR/blobs/sha256/${SM#sha256:}")
    PD=$(jq -r .digest <<<"$L")
    jq -r '.annotations["dev.cosignproject.cosign/signature"]' <<<"$L" | base64 -d > "$W/sig.der"
    openssl dgst -sha256 -verify "$W/k.pub" -signature "$W/sig.der" "$DIR/blobs/sha256/${PD#sha256:}" >/dev/null || return 1
    { echo "${D#sha256:}  $DIR/blobs/sha256/${D#sha256:}"
      jq -r '[.config.digest] + [.layers[].digest] | .[]' "$DIR/blobs/sha256/${D#sha256:}" |
        while read -r d; do echo "${d#sha256:}  $DIR/blobs/sha256/${d#sha256:}"; done; } | sha256sum -c --quiet -
}
brigv() { "$BRIG" verify --key "$W/k.pub" "oci:$W/img" >/dev/null; }

timeit() {   # prints the median wall time of RUNS runs of "$@" in seconds
    local i t s e
    for i in $(seq "$RUNS"); do
        s=$(date +%s.%N); "$@" || { echo "fail"; return 1; }; e=$(date +%s.%N)
        echo "$e - $s" | bc -l
    done | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}
brigv || { echo "bench trust: brig verify failed"; exit 1; }
peer || { echo "bench trust: peer pipeline failed"; exit 1; }
size=$(du -sh "$W/img" | cut -f1)
tb=$(timeit brigv); tp=$(timeit peer)
echo "ratio trust-verify-debian ($size, median of $RUNS): brig $tb s, jq+openssl+sha256sum $tp s -> brig/peer $(echo "$tb / $tp" | bc -l | xargs printf %.2f) (brig also decompresses each layer to check its diff_id)"
if command -v cosign >/dev/null; then
    echo "skipped: cosign present but cannot verify an offline layout signed in place (needs a registry or 'cosign save' output)"
else
    echo "skipped: cosign is not installed (not packaged for Debian 12)"
fi
