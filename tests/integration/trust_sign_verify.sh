#!/usr/bin/env bash
# brig key/sign/verify end to end on a copy of the busybox OCI layout: keys and
# passphrases, cosign's layout shape, rotation, every tampering case, replayed
# signatures, and independent verification with plain openssl (the exact
# commands from docs/trust.md) and with sigstore-js.
. "$(dirname "$0")/../lib.sh"
need_fixtures
for t in jq openssl base64 sha256sum setsid python3; do
    command -v "$t" >/dev/null || { not_ok "tool $t is missing (scripts/install-deps.sh)"; exit 1; }
done
[ -d "$FIXTURES/busybox-oci" ] || { not_ok "fixture busybox-oci missing"; exit 1; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$T_TMP
trap 'rm -rf "$W"' EXIT
unset COSIGN_PASSWORD
REFNAME='org.opencontainers.image.ref.name'
digest_of() { jq -r --arg t "$2" ".manifests[] | select(.annotations[\"$REFNAME\"] == \$t) | .digest" "$1/index.json"; }
blob() { local d=$2; echo "$1/blobs/sha256/${d#sha256:}"; }
# flip one bit in the middle of a file (in place, same size); for JSON blobs
# the byte stays printable so parsers see content, not garbage
corrupt() { chmod u+w "$1"; python3 -c '
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); i = len(b) // 2
b[i] ^= 0x01
open(p, "wb").write(b)' "$1"; }

# ---- keys ----
export BRIG_PASSWORD=correct-horse
check "key generate writes encrypted PKCS#8 + SPKI" "$BRIG" key generate --output-key-prefix "$W/k1"
check "private key is ENCRYPTED PRIVATE KEY" grep -q -- '-----BEGIN ENCRYPTED PRIVATE KEY-----' "$W/k1.key"
check "private key mode 0600" test "$(stat -c %a "$W/k1.key")" = 600
check "public key is a P-256 SPKI (openssl)" sh -c "openssl pkey -pubin -in '$W/k1.pub' -noout -text | grep -q 'prime256v1'"
check "openssl decrypts the key with the passphrase" openssl pkey -in "$W/k1.key" -passin pass:correct-horse -noout
check_fails "openssl refuses the key with a wrong passphrase" 1 "." openssl pkey -in "$W/k1.key" -passin pass:wrong -noout
check_fails "key generate refuses to overwrite" 3 "already exists" "$BRIG" key generate --output-key-prefix "$W/k1"
check_fails "no passphrase and no terminal: refused" 3 "no passphrase" \
    setsid -w env -u BRIG_PASSWORD -u COSIGN_PASSWORD "$BRIG" key generate --output-key-prefix "$W/none"
check "no key file written without a passphrase" test ! -e "$W/none.key"
check_out "explicitly empty passphrase: unencrypted key with a warning" "UNENCRYPTED" \
    env BRIG_PASSWORD= "$BRIG" key generate --output-key-prefix "$W/plain"
check "unencrypted key is PRIVATE KEY" grep -q -- '-----BEGIN PRIVATE KEY-----' "$W/plain.key"
check "COSIGN_PASSWORD is honoured" env -u BRIG_PASSWORD COSIGN_PASSWORD=other "$BRIG" key generate --output-key-prefix "$W/k2"
check_out "key public derives the public key" "BEGIN PUBLIC KEY" env BRIG_PASSWORD=other "$BRIG" key public --key "$W/k2.key"

# ---- sign / verify ----
IMG=$W/img
cp -r "$FIXTURES/busybox-oci" "$IMG"
D=$(digest_of "$IMG" latest)
check_fails "unsigned image: exit 4, says how to sign" 4 "no signature for $D in .*sign with 'brig sign'" \
    "$BRIG" verify --key "$W/k1.pub" "oci:$IMG"
check_fails "wrong passphrase when signing: exit 3" 3 "wrong passphrase" \
    env BRIG_PASSWORD=nope "$BRIG" sign --key "$W/k1.key" "oci:$IMG"
check_out "sign with annotations" "Signed $D" "$BRIG" sign --key "$W/k1.key" -a build=42 -a team=sec "oci:$IMG"
SIGTAG="sha256-${D#sha256:}.sig"
SM=$(digest_of "$IMG" "$SIGTAG")
check "index.json tags the signature manifest $SIGTAG" test -n "$SM"
check "signature manifest has cosign's shape" jq -e '
    .mediaType == "application/vnd.oci.image.manifest.v1+json" and .schemaVersion == 2
    and .config.mediaType == "application/vnd.oci.image.config.v1+json"
    and (.layers | length) == 1
    and .layers[0].mediaType == "application/vnd.dev.cosign.simplesigning.v1+json"
    and (.layers[0].annotations["dev.cosignproject.cosign/signature"] | length) > 60' "$(blob "$IMG" "$SM")"
PD=$(jq -r '.layers[0].digest' "$(blob "$IMG" "$SM")")
check "payload is byte-exact cosign simple signing JSON" test "$(cat "$(blob "$IMG" "$PD")")" = \
    "{\"critical\":{\"identity\":{\"docker-reference\":\"localhost/img\"},\"image\":{\"docker-manifest-digest\":\"$D\"},\"type\":\"cosign container image signature\"},\"optional\":{\"build\":\"42\",\"team\":\"sec\"}}"
check "config lists the payload as its diff_id" jq -e --arg d "$PD" '.rootfs.diff_ids == [$d]' \
    "$(blob "$IMG" "$(jq -r .config.digest "$(blob "$IMG" "$SM")")")"
if command -v skopeo >/dev/null; then
    check "skopeo reads the signature manifest" skopeo inspect --raw "oci:$IMG:$SIGTAG"
fi
check_out "verify: valid signature and blobs" "blobs: manifest, config and 3 layer" "$BRIG" verify --key "$W/k1.pub" "oci:$IMG"
check_out "verify with explicit tag" "Verified" "$BRIG" verify --key "$W/k1.pub" "oci:$IMG:latest"
check "verify --format json" sh -c "'$BRIG' verify --key '$W/k1.pub' --format json 'oci:$IMG' | jq -e '.verified == true and .blobsVerified == true and .signatures[0].optional.build == \"42\" and .signatures[0].dockerReference == \"localhost/img\" and .digest == \"$D\"'"
check_fails "verify with the wrong key: exit 4 naming the key" 4 "does not verify with the key .*k2.pub" \
    "$BRIG" verify --key "$W/k2.pub" "oci:$IMG"
check "wrong key --format json reports verified=false" sh -c "'$BRIG' verify --key '$W/k2.pub' --format json 'oci:$IMG' 2>/dev/null | jq -e '.verified == false and (.error | test(\"does not verify\"))'"
check_out "rotation: any of several keys accepts" "signature: key .*k1.pub" \
    "$BRIG" verify --key "$W/k2.pub" --key "$W/k1.pub" "oci:$IMG"
check_out "re-sign with a second key" "Signed" env BRIG_PASSWORD=other "$BRIG" sign --key "$W/k2.key" --identity quay.io/org/busybox "oci:$IMG"
SM=$(digest_of "$IMG" "$SIGTAG")
check "re-signing appends a layer to the same .sig manifest" jq -e '(.layers | length) == 2' "$(blob "$IMG" "$SM")"
check "still one .sig entry in index.json" test "$(jq --arg t "$SIGTAG" "[.manifests[] | select(.annotations[\"$REFNAME\"] == \$t)] | length" "$IMG/index.json")" = 1
check_out "second signature verifies with the second key, --identity recorded" "identity quay.io/org/busybox" \
    "$BRIG" verify --key "$W/k2.pub" "oci:$IMG"

# ---- independent verification: the exact openssl commands from docs/trust.md ----
awk '/<!-- openssl-verify -->/{f=1; next} f && /^```sh/{g=1; next} g && /^```/{exit} g' "$ROOT/docs/trust.md" > "$W/openssl-verify.sh"
check "docs/trust.md has the openssl block" test -s "$W/openssl-verify.sh"
mkdir -p "$W/ossl"
check_out "openssl verifies the signature (docs/trust.md commands)" "Verified OK" \
    sh -c "cd '$W/ossl' && DIR='$IMG' TAG=latest PUB='$W/k1.pub' bash -eo pipefail '$W/openssl-verify.sh'"
check_out "docs commands check the payload digest" "payload is for $D" \
    sh -c "cd '$W/ossl' && DIR='$IMG' TAG=latest PUB='$W/k1.pub' bash -eo pipefail '$W/openssl-verify.sh'"
check_fails "docs commands fail with the wrong key" 1 "Verification failure" \
    sh -c "cd '$W/ossl' && DIR='$IMG' TAG=latest PUB='$W/k2.pub' bash -eo pipefail '$W/openssl-verify.sh'"

# ---- sigstore-js ----
SJS=${BRIG_SIGSTORE_JS:-/var/cache/brig-npm/sigstore}
if command -v node >/dev/null && [ -d "$SJS/node_modules/@sigstore/verify" ]; then
    check_out "sigstore-js Verifier accepts the brig signature" "sigstore-js: Verified OK" \
        node "$ROOT/tests/trust-sigstore-verify.js" "$W/ossl/payload.json" "$W/ossl/sig.der" "$W/k1.pub" "$D"
    check_fails "sigstore-js rejects it with another key" 1 "SIGNATURE_ERROR" \
        node "$ROOT/tests/trust-sigstore-verify.js" "$W/ossl/payload.json" "$W/ossl/sig.der" "$W/k2.pub" "$D"
    check_fails "sigstore-js: payload is not for another digest" 1 "payload is for" \
        node "$ROOT/tests/trust-sigstore-verify.js" "$W/ossl/payload.json" "$W/ossl/sig.der" "$W/k1.pub" "sha256:$(printf %064d 0)"
else
    skip "sigstore-js cross-check (npm install --prefix $SJS @sigstore/verify @sigstore/bundle)"
fi

# ---- tampering: each on a fresh copy of the signed layout ----
fresh() { rm -rf "$W/t"; cp -r "$IMG" "$W/t"; chmod -R u+w "$W/t"; }
sigman() { blob "$W/t" "$(digest_of "$W/t" "$SIGTAG")"; }

fresh; for l in 0 1; do corrupt "$(blob "$W/t" "$(jq -r ".layers[$l].digest" "$(sigman)")")"; done
check_fails "tampered payload blob: exit 4" 4 "payload tampered.*was modified" "$BRIG" verify --key "$W/k1.pub" "oci:$W/t"

fresh; M=$(sigman)
jq -c '.layers |= map(.annotations["dev.cosignproject.cosign/signature"] |= (.[0:20] + (if .[20:21] == "A" then "B" else "A" end) + .[21:]))' "$M" > "$W/m.json"
ND=sha256:$(sha256sum "$W/m.json" | cut -d' ' -f1); cp "$W/m.json" "$(blob "$W/t" "$ND")"
jq -c --arg t "$SIGTAG" --arg d "$ND" --argjson s "$(stat -c %s "$W/m.json")" \
    "(.manifests[] | select(.annotations[\"$REFNAME\"] == \$t)) |= (.digest = \$d | .size = \$s)" "$W/t/index.json" > "$W/i.json"
cp "$W/i.json" "$W/t/index.json"
check_fails "tampered signature annotation: exit 4" 4 "signature does not verify" "$BRIG" verify --key "$W/k1.pub" "oci:$W/t"

fresh; corrupt "$(sigman)"
check_fails "tampered signature manifest blob: exit 4" 4 "signature manifest .*was modified" "$BRIG" verify --key "$W/k1.pub" "oci:$W/t"

fresh; corrupt "$(blob "$W/t" "$D")"
check_fails "tampered image manifest: exit 4" 4 "content hashes to .*tampered" "$BRIG" verify --key "$W/k1.pub" "oci:$W/t"

fresh; corrupt "$(blob "$W/t" "$(jq -r .config.digest "$(blob "$W/t" "$D")")")"
check_fails "tampered image config: exit 4" 4 "content hashes to .*tampered" "$BRIG" verify --key "$W/k1.pub" "oci:$W/t"

fresh; LB=$(blob "$W/t" "$(jq -r '.layers[-1].digest' "$(blob "$W/t" "$D")")"); corrupt "$LB"
check_fails "tampered layer blob: signature valid but content modified, exit 4" 4 "signature is valid but the image content was modified.*layer" \
    "$BRIG" verify --key "$W/k1.pub" "oci:$W/t"

# a manifest edited AND re-pointed in index.json is a different image: unsigned
fresh; jq -c '.annotations = {"evil": "1"}' "$(blob "$W/t" "$D")" > "$W/m2.json"
ND=sha256:$(sha256sum "$W/m2.json" | cut -d' ' -f1); cp "$W/m2.json" "$(blob "$W/t" "$ND")"
jq -c --arg d "$ND" --argjson s "$(stat -c %s "$W/m2.json")" \
    "(.manifests[] | select(.annotations[\"$REFNAME\"] == \"latest\")) |= (.digest = \$d | .size = \$s)" "$W/t/index.json" > "$W/i.json"
cp "$W/i.json" "$W/t/index.json"
check_fails "re-pointed modified manifest has no signature: exit 4" 4 "no signature for $ND" "$BRIG" verify --key "$W/k1.pub" "oci:$W/t"

# replay: image 1's signature manifest attached to image 2 (same layout, other manifest)
fresh; jq -c '.annotations = {"other": "image"}' "$(blob "$W/t" "$D")" > "$W/m3.json"
D2=sha256:$(sha256sum "$W/m3.json" | cut -d' ' -f1); cp "$W/m3.json" "$(blob "$W/t" "$D2")"
jq -c --arg d "$D2" --argjson s "$(stat -c %s "$W/m3.json")" --arg t "sha256-${D2#sha256:}.sig" --arg st "$SIGTAG" '
    .manifests += [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": $d, "size": $s, "annotations": {"'$REFNAME'": "other"}}]
    | .manifests += [(.manifests[] | select(.annotations["'$REFNAME'"] == $st) | .annotations["'$REFNAME'"] = $t)]' \
    "$W/t/index.json" > "$W/i.json"
cp "$W/i.json" "$W/t/index.json"
check_fails "replayed signature from another image: exit 4" 4 "is for image $D, not for $D2.*replayed" \
    "$BRIG" verify --key "$W/k1.pub" "oci:$W/t:other"
check_out "the original image still verifies" "Verified" "$BRIG" verify --key "$W/k1.pub" "oci:$W/t:latest"

# ---- forms and usage ----
if [ -f "$FIXTURES/busybox.docker.tar" ]; then
    check_fails "sign a docker-archive: exit 7, says to use an OCI layout" 7 "only in OCI layouts" \
        "$BRIG" sign --key "$W/k1.key" "docker-archive:$FIXTURES/busybox.docker.tar"
fi
check_fails "cosign's own key format: exit 7 with the reason" 7 "XSalsa20-Poly1305" sh -c \
    "printf -- '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n' > '$W/c.key'; '$BRIG' sign --key '$W/c.key' 'oci:$IMG'"
check_fails "verify with a private key instead of .pub: exit 3" 3 "public key" "$BRIG" verify --key "$W/k1.key" "oci:$IMG"
check_fails "sign without --key: exit 2" 2 "--key" "$BRIG" sign "oci:$IMG"
check_fails "verify unknown flag: exit 2" 2 "unknown option" "$BRIG" verify --bogus "oci:$IMG"
check_fails "bad --annotation: exit 2" 2 "KEY=VALUE" "$BRIG" sign --key "$W/k1.key" -a novalue "oci:$IMG"
for c in "key" "sign" "verify" "policy"; do
    check_out "brig $c --help documents exit codes" "Exit codes" "$BRIG" $c --help
done

