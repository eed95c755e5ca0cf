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
if command -v script >/dev/null; then
    # the terminal prompt: asked twice (typed input goes through a pseudo-terminal)
    (sleep 1; printf 'tty-pass\n'; sleep 0.5; printf 'tty-pass\n'; sleep 1) |
        env -u BRIG_PASSWORD -u COSIGN_PASSWORD timeout 30 script -qc "'$BRIG' key generate --output-key-prefix '$W/tty'" /dev/null >"$W/tty.out" 2>&1
    check "terminal prompt: key encrypted with the typed passphrase" openssl pkey -in "$W/tty.key" -passin pass:tty-pass -noout
    (sleep 1; printf 'one\n'; sleep 0.5; printf 'two\n'; sleep 1) |
        env -u BRIG_PASSWORD -u COSIGN_PASSWORD timeout 30 script -qc "'$BRIG' key generate --output-key-prefix '$W/tty2'" /dev/null >"$W/tty2.out" 2>&1
    check "terminal prompt: differing passphrases refused, no key written" sh -c "grep -q 'passphrases differ' '$W/tty2.out' && test ! -e '$W/tty2.key'"
fi
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
check_out "verify -a K=V: a signature carries the claim" "Verified" "$BRIG" verify --key "$W/k1.pub" -a build=42 -a team=sec "oci:$IMG"
check_fails "verify -a K=V: claim absent, exit 4" 4 "required annotation\\(s\\) build=43" "$BRIG" verify --key "$W/k1.pub" -a build=43 "oci:$IMG"
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

# ---- concurrent signers (flock on the layout) and other key types ----
cp -r "$FIXTURES/busybox-oci" "$W/conc"
pids=""
for i in 1 2 3 4; do "$BRIG" sign --key "$W/plain.key" -a n=$i "oci:$W/conc" >/dev/null 2>&1 & pids="$pids $!"; done
crc=0; for p in $pids; do wait "$p" || crc=1; done
check "4 concurrent signers all succeed" test "$crc" = 0
CSM=$(digest_of "$W/conc" "$SIGTAG")
check "no signature lost under concurrency (4 layers)" jq -e '(.layers | length) == 4' "$(blob "$W/conc" "$CSM")"
check "index.json still valid with one .sig entry" test "$(jq "[.manifests[] | select(.annotations[\"$REFNAME\"] | test(\"sig$\"))] | length" "$W/conc/index.json")" = 1
openssl genpkey -algorithm ed25519 -out "$W/ed.key" 2>/dev/null && openssl pkey -in "$W/ed.key" -pubout -out "$W/ed.pub" 2>/dev/null
openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out "$W/rsa.key" 2>/dev/null && openssl pkey -in "$W/rsa.key" -pubout -out "$W/rsa.pub" 2>/dev/null
check "sign with an OpenSSL Ed25519 key" "$BRIG" sign --key "$W/ed.key" "oci:$W/conc"
check_out "verify the Ed25519 signature" "ed.pub" "$BRIG" verify --key "$W/ed.pub" "oci:$W/conc"
check "sign with an OpenSSL RSA key" "$BRIG" sign --key "$W/rsa.key" "oci:$W/conc"
check_out "verify the RSA signature" "rsa.pub" "$BRIG" verify --key "$W/rsa.pub" "oci:$W/conc"

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
if [ ! -d "$SJS/node_modules/@sigstore/verify" ] && command -v npm >/dev/null; then
    # CI may reach the npm registry; a failed install only skips this cross-check.
    timeout 180 npm install --prefix "$SJS" --no-audit --no-fund @sigstore/verify@^3.1.1 @sigstore/bundle@^4.0.0 >/dev/null 2>&1 || true
fi
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

# hostile layout files: a symlinked or FIFO signature blob is refused, never followed or waited on
fresh; P=$(blob "$W/t" "$(jq -r '.layers[0].digest' "$(sigman)")"); rm -f "$P"; ln -s /etc/passwd "$P"
check_fails "symlinked payload blob: refused (symbolic link)" 4 "symbolic link" "$BRIG" verify --key "$W/k1.pub" "oci:$W/t"
fresh; M=$(sigman); rm -f "$M"; mkfifo "$M"
check_fails "FIFO as signature manifest: refused without blocking" 4 "not a regular file" timeout 20 "$BRIG" verify --key "$W/k1.pub" "oci:$W/t"

# ---- signed layout packed as an oci-archive (read-only verification) ----
tar -C "$IMG" -cf "$W/signed.tar" .
check_out "verify oci-archive of a signed layout" "Verified oci-archive:" "$BRIG" verify --key "$W/k1.pub" "oci-archive:$W/signed.tar"
check_fails "unsigned oci-archive: exit 4" 4 "no signature for" "$BRIG" verify --key "$W/k1.pub" "oci-archive:$FIXTURES/busybox.oci.tar"
fresh; corrupt "$(blob "$W/t" "$(jq -r '.layers[0].digest' "$(sigman)")")"; tar -C "$W/t" -cf "$W/tampered.tar" .
check_fails "tampered payload inside an oci-archive: exit 4" 4 "payload tampered" "$BRIG" verify --key "$W/k1.pub" "oci-archive:$W/tampered.tar"
# (the duplicate is byte-identical, so the image reader accepts the archive and
# the signature reader's own refusal is what is tested)
cp "$W/signed.tar" "$W/dup.tar"; tar -C "$IMG" -rf "$W/dup.tar" ./index.json
check_fails "oci-archive with two index.json entries is refused" 5 "index.json appears twice" \
    "$BRIG" verify --key "$W/k1.pub" "oci-archive:$W/dup.tar"

cp -r "$FIXTURES/busybox-oci" "$W/untagged"; jq -c '.manifests[0].annotations = {}' "$FIXTURES/busybox-oci/index.json" > "$W/untagged/index.json"
check_fails "untagged single-image layout: signing refused (would become unselectable)" 3 "has no tag.*tag it first" \
    "$BRIG" sign --key "$W/k1.key" "oci:$W/untagged"
check "the refused layout is left unchanged" test "$(jq '.manifests | length' "$W/untagged/index.json")" = 1

# ---- forms and usage ----
if [ -f "$FIXTURES/busybox.docker.tar" ]; then
    check_fails "verify a docker-archive: exit 7 (cannot hold signatures)" 7 "read only from OCI layouts" \
        "$BRIG" verify --key "$W/k1.pub" "docker-archive:$FIXTURES/busybox.docker.tar"
    check_fails "sign a docker-archive: exit 7, says to use an OCI layout" 7 "only into OCI layout directories" \
        "$BRIG" sign --key "$W/k1.key" "docker-archive:$FIXTURES/busybox.docker.tar"
fi
check_fails "corrupt cosign-format key: exit 3" 3 "cosign key" sh -c \
    "printf -- '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n' > '$W/c.key'; '$BRIG' sign --key '$W/c.key' 'oci:$IMG'"
check "key generate --key-format cosign" env BRIG_PASSWORD=cpw "$BRIG" key generate --key-format cosign --output-key-prefix "$W/ck"
check "cosign-format key has cosign's PEM label" grep -q -- '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----' "$W/ck.key"
check "cosign-format key body is cosign's scrypt/secretbox JSON" sh -c \
    "sed '1d;\$d' '$W/ck.key' | base64 -d | jq -e '.kdf.name == \"scrypt\" and .kdf.params.N == 32768 and .cipher.name == \"nacl/secretbox\" and (.ciphertext | length) > 100'"
check_fails "cosign-format key, wrong passphrase: exit 3" 3 "wrong passphrase" env BRIG_PASSWORD=bad "$BRIG" sign --key "$W/ck.key" "oci:$IMG"
check "sign with a cosign-format key" env BRIG_PASSWORD=cpw "$BRIG" sign --key "$W/ck.key" "oci:$IMG"
check_out "verify the cosign-format key's signature" "ck.pub" "$BRIG" verify --key "$W/ck.pub" "oci:$IMG"
check_fails "verify with a private key instead of .pub: exit 3" 3 "public key" "$BRIG" verify --key "$W/k1.key" "oci:$IMG"
check_fails "sign without --key: exit 2" 2 "--key" "$BRIG" sign "oci:$IMG"
check_fails "verify unknown flag: exit 2" 2 "unknown option" "$BRIG" verify --bogus "oci:$IMG"
check_fails "bad --annotation: exit 2" 2 "KEY=VALUE" "$BRIG" sign --key "$W/k1.key" -a novalue "oci:$IMG"
for c in "key" "sign" "verify" "policy"; do
    check_out "brig $c --help documents exit codes" "Exit codes" "$BRIG" $c --help
done

