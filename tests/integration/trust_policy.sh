#!/usr/bin/env bash
# brig policy check/validate with containers-policy.json files: default reject +
# scope accept, insecureAcceptAnything, reject by transport, most specific scope
# wins, sigstoreSigned with keys (rotation via keyPaths, expiry via
# brig.notAfter), unsupported types (exit 7), docker:// scopes, JSON output.
. "$(dirname "$0")/../lib.sh"
need_fixtures
command -v jq >/dev/null || { not_ok "jq is missing"; exit 1; }
[ -d "$FIXTURES/busybox-oci" ] || { not_ok "fixture busybox-oci missing"; exit 1; }
W=$(cd "$T_TMP" && pwd -P)
trap 'rm -rf "$W"' EXIT
export BRIG_PASSWORD=pw
unset COSIGN_PASSWORD BRIG_POLICY
mkdir -p "$W/images" "$W/keys"
cp -r "$FIXTURES/busybox-oci" "$W/images/signed"
cp -r "$FIXTURES/busybox-oci" "$W/images/unsigned"
"$BRIG" key generate --output-key-prefix "$W/keys/old" >/dev/null 2>&1
"$BRIG" key generate --output-key-prefix "$W/keys/new" >/dev/null 2>&1
"$BRIG" key generate --output-key-prefix "$W/keys/other" >/dev/null 2>&1
check "sign the fixture with the new key" "$BRIG" sign --key "$W/keys/new.key" "oci:$W/images/signed"
S=oci:$W/images/signed
U=oci:$W/images/unsigned
pol() { printf '%s\n' "$2" > "$W/$1.json"; echo "$W/$1.json"; }

P=$(pol insecure '{"default":[{"type":"insecureAcceptAnything"}]}')
check_out "insecureAcceptAnything default accepts" "^ACCEPTED" "$BRIG" policy check --policy "$P" "$U"

P=$(pol scoped "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{\"$W/images/unsigned\":[{\"type\":\"insecureAcceptAnything\"}]}}}")
check_out "default reject + scope accept: the scoped image is accepted" "transports.oci\\[\"$W/images/unsigned\"\\]" \
    "$BRIG" policy check --policy "$P" "$U"
check_fails "default reject + scope accept: other images rejected (exit 4)" 4 "default\\[0\\] rejects" \
    "$BRIG" policy check --policy "$P" "$S"

P=$(pol bytransport '{"default":[{"type":"insecureAcceptAnything"}],"transports":{"oci":{"":[{"type":"reject"}]}}}')
check_fails "reject by transport (oci \"\" scope)" 4 "transports.oci\\[\"\"\\]\\[0\\] rejects" "$BRIG" policy check --policy "$P" "$U"
if [ -f "$FIXTURES/busybox.docker.tar" ]; then
    check_out "other transports fall back to default" "^ACCEPTED" \
        "$BRIG" policy check --policy "$P" "docker-archive:$FIXTURES/busybox.docker.tar"
fi

P=$(pol specific "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{
    \"$W/images\":[{\"type\":\"insecureAcceptAnything\"}],
    \"$W/images/unsigned\":[{\"type\":\"reject\"}],
    \"$W/images/signed:latest\":[{\"type\":\"reject\"}]}}}")
check_fails "most specific scope wins: directory scope rejects under an accepting parent" 4 \
    "transports.oci\\[\"$W/images/unsigned\"\\]\\[0\\] rejects" "$BRIG" policy check --policy "$P" "$U"
check_fails "most specific scope wins: DIR:TAG scope beats the parent" 4 \
    "transports.oci\\[\"$W/images/signed:latest\"\\]" "$BRIG" policy check --policy "$P" "$S:latest"
cp -r "$FIXTURES/busybox-oci" "$W/images/third"
check_out "parent directory scope accepts an unlisted layout" "transports.oci\\[\"$W/images\"\\]" \
    "$BRIG" policy check --policy "$P" "oci:$W/images/third"

SIGPOL() { pol "$1" "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{\"$W/images\":[{\"type\":\"sigstoreSigned\",$2}]}}}"; }
P=$(SIGPOL sig '"keyPath":"keys/new.pub","signedIdentity":{"type":"matchRepository"}')
check_out "sigstoreSigned: signed image accepted (relative keyPath)" "satisfied: signature by .*new.pub" \
    "$BRIG" policy check --policy "$P" "$S"
check_fails "sigstoreSigned: unsigned image rejected" 4 "no signature for sha256:" "$BRIG" policy check --policy "$P" "$U"
P=$(SIGPOL wrongkey '"keyPath":"keys/other.pub","signedIdentity":{"type":"matchRepository"}')
check_fails "sigstoreSigned: another key rejects" 4 "does not verify with the key .*other.pub" "$BRIG" policy check --policy "$P" "$S"
P=$(SIGPOL rotated '"keyPaths":["keys/old.pub","keys/new.pub"],"signedIdentity":{"type":"matchRepository"}')
check_out "rotated keys (keyPaths [old, new]) accept the new signature" "ACCEPTED" "$BRIG" policy check --policy "$P" "$S"
P=$(SIGPOL expired '"keyPath":"keys/new.pub","brig.notAfter":"2020-01-01T00:00:00Z","signedIdentity":{"type":"matchRepository"}')
check_fails "expired requirement (brig.notAfter in the past) rejects" 4 "expired at 2020-01-01T00:00:00Z \\(brig.notAfter\\)" \
    "$BRIG" policy check --policy "$P" "$S"
P=$(SIGPOL notyet '"keyPath":"keys/new.pub","brig.notAfter":"2999-12-31T23:59:59+02:00","signedIdentity":{"type":"matchRepository"}')
check_out "brig.notAfter in the future accepts" "ACCEPTED" "$BRIG" policy check --policy "$P" "$S"
P=$(SIGPOL exactrepo '"keyPath":"keys/new.pub","signedIdentity":{"type":"exactRepository","dockerRepository":"localhost/signed"}')
check_out "exactRepository matches the signed identity" "ACCEPTED" "$BRIG" policy check --policy "$P" "$S"
P=$(SIGPOL exactrepo2 '"keyPath":"keys/new.pub","signedIdentity":{"type":"exactRepository","dockerRepository":"quay.io/other/app"}')
check_fails "exactRepository mismatch rejects, naming both identities" 4 "signs identity \"localhost/signed\".*exactRepository" \
    "$BRIG" policy check --policy "$P" "$S"
P=$(SIGPOL defid '"keyPath":"keys/new.pub"')
check_fails "default matchRepoDigestOrExact vs repo-only cosign identity: rejected with the reason" 4 "matchRepoDigestOrExact" \
    "$BRIG" policy check --policy "$P" "$S"
tar -C "$W/images/signed" -cf "$W/signed.tar" .
P=$(pol archive "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci-archive\":{\"$W/signed.tar\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"keys/new.pub\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}}}")
check_out "oci-archive scope + signature read from inside the tar" "satisfied: signature by" "$BRIG" policy check --policy "$P" "oci-archive:$W/signed.tar"
if [ -f "$FIXTURES/busybox.docker.tar" ]; then
    check_fails "docker-archive cannot carry signatures: rejected with the reason" 4 "cannot carry" \
        "$BRIG" policy check --policy "$(pol dasig '{"default":[{"type":"sigstoreSigned","keyPath":"keys/new.pub","signedIdentity":{"type":"matchRepository"}}]}')" \
        "docker-archive:$FIXTURES/busybox.docker.tar"
fi
KD=$(base64 -w0 < "$W/keys/new.pub")
P=$(SIGPOL keydata "\"keyData\":\"$KD\",\"signedIdentity\":{\"type\":\"matchRepository\"}")
check_out "keyData (base64 PEM) accepts" "ACCEPTED" "$BRIG" policy check --policy "$P" "$S"
check "JSON output" sh -c "'$BRIG' policy check --policy '$P' --format json '$S' | jq -e '.decision == \"accepted\" and .transport == \"oci\" and .identity == \"localhost/signed:latest\" and (.digest | startswith(\"sha256:\"))'"
P2=$(SIGPOL wrongkey2 '"keyPath":"keys/other.pub","signedIdentity":{"type":"matchRepository"}')
check "JSON output for a rejection" sh -c "'$BRIG' policy check --policy '$P2' --format json '$S' 2>/dev/null | jq -e '.decision == \"rejected\" and (.reason | test(\"does not verify\"))'"
check_out "BRIG_POLICY is used without --policy" "ACCEPTED" env BRIG_POLICY="$P" "$BRIG" policy check "$S"

P=$(pol gpg '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/etc/pki/key.gpg"}]}')
check_fails "signedBy (GPG) is refused clearly: exit 7" 7 "signedBy.*not supported" "$BRIG" policy check --policy "$P" "$S"
P=$(pol fulcio '{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/x"},"signedIdentity":{"type":"matchRepository"}}]}')
check_fails "keyless (fulcio) is refused clearly: exit 7" 7 "fulcio.*not supported" "$BRIG" policy check --policy "$P" "$S"

P=$(pol docker '{"default":[{"type":"reject"}],"transports":{"docker":{
    "quay.io/org":[{"type":"insecureAcceptAnything"}],
    "quay.io/org/bad":[{"type":"reject"}],
    "*.example.com":[{"type":"insecureAcceptAnything"}],
    "docker.io/library/busybox":[{"type":"sigstoreSigned","keyPath":"/k.pub","signedIdentity":{"type":"matchRepository"}}]}}}')
check_out "docker:// namespace scope" 'transports.docker\["quay.io/org"\]' "$BRIG" policy check --policy "$P" docker://quay.io/org/app:1
check_fails "docker:// repository scope beats namespace" 4 'quay.io/org/bad' "$BRIG" policy check --policy "$P" docker://quay.io/org/bad:1
check_out "docker:// wildcard host scope" '\*\.example\.com' "$BRIG" policy check --policy "$P" docker://reg.example.com/x/y
check_fails "docker:// normalisation (busybox = docker.io/library/busybox); registry signatures: exit 7" 7 "registry is not supported" \
    "$BRIG" policy check --policy "$P" docker://busybox

P=$(pol typo '{"default":[{"type":"reject"}],"transports":{"oci":{"/srv":[{"type":"sigstoreSigned","keypath":"/k.pub"}]}}}')
check_fails "validate: unknown field names file and JSON path (exit 3)" 3 "typo.json: transports.oci\\[\"/srv\"\\]\\[0\\]: unknown field \"keypath\"" \
    "$BRIG" policy validate --policy "$P"
P=$(pol broken '{"default":[{"type":"reject"}],')
check_fails "validate: JSON syntax error names line:column (exit 3)" 3 "broken.json:[0-9]+:[0-9]+" "$BRIG" policy validate --policy "$P"
check_out "validate: a good policy" "valid" "$BRIG" policy validate --policy "$W/sig.json"
if [ -e /etc/containers/policy.json ]; then
    check_out "without --policy/BRIG_POLICY: /etc/containers/policy.json is used" "policy: /etc/containers/policy.json" \
        sh -c "env -u BRIG_POLICY '$BRIG' policy check '$S' 2>&1; true"   # accepted or rejected: the host's choice
else
    check_fails "check without any policy: usage error" 2 "no policy" env -u BRIG_POLICY "$BRIG" policy check "$S"
fi
check_fails "missing policy file: exit 3 naming it" 3 "nope.json" "$BRIG" policy check --policy "$W/nope.json" "$S"
check_fails "unknown subcommand: exit 2" 2 "unknown subcommand" "$BRIG" policy frob
