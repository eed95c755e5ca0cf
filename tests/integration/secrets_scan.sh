#!/usr/bin/env bash
# brig scan --secrets DIR and --scanners secret IMAGE end to end: the rule
# corpus, exit codes, every output format, layer states, clean images, and a
# grep of every output (incl. --debug) for the full planted secrets.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
FX=$FIXTURES/secrets
if ! "$here/fixtures/build-secrets.sh" >"$T_TMP/fixture.log" 2>&1; then
    not_ok "secret fixtures could not be built"; sed 's/^/# /' "$T_TMP/fixture.log" | tail -20; exit 1
fi
if ! "$BRIG" scan --help 2>&1 | grep -q -- '--secrets'; then
    not_ok "brig scan --secrets is not available in this build"; exit 1
fi
json_count() { jq -r "$1" "$2"; }

# --- the true/false-positive corpus through the CLI
"$BRIG" scan --secrets "$here/secrets-cases/tp" --format json >"$T_TMP/tp.json" 2>"$T_TMP/tp.err"
check "scan --secrets on the TP corpus succeeds" test $? -eq 0
ntp=$(ls "$here/secrets-cases/tp" | wc -l)
bad=$(jq -r '.secrets[] | (.file | sub(".*/"; "") | sub("\\.txt$"; "")) + " " + .rule_id' "$T_TMP/tp.json" | awk '$1 != $2' | head -3)
check "every TP finding comes from its own rule's file${bad:+ (got: $bad)}" test -z "$bad"
nfiles=$(jq -r '[.secrets[].file] | unique | length' "$T_TMP/tp.json")
check "every TP file yields a finding ($nfiles of $ntp)" test "$nfiles" -eq "$ntp"
check_out "FP corpus yields nothing (exit 0 even with --exit-code 1)" 'Secrets: 0|"secrets": \[\]' \
    "$BRIG" scan --secrets "$here/secrets-cases/fp" --exit-code 1 --format json
check_fails "findings with --exit-code 4 exit 4" 4 'aws-access-token' \
    "$BRIG" scan --secrets "$here/secrets-cases/tp" --exit-code 4
check_fails "missing directory is an input error naming it" 3 'no-such-dir' \
    "$BRIG" scan --secrets "$T_TMP/no-such-dir"
line=$(jq -r '.secrets[] | select(.rule_id == "generic-api-key") | "\(.line):\(.column)"' "$T_TMP/tp.json")
check "positions are line:column of the secret (generic-api-key at 3:14, got $line)" test "$line" = "3:14"
"$BRIG" scan --secrets "$here/secrets-cases/tp" --format sarif >"$T_TMP/tp.sarif" 2>/dev/null
check "SARIF 2.1.0 with one result per finding" test "$(jq -r '.version' "$T_TMP/tp.sarif")" = 2.1.0 -a \
    "$(jq '.runs[0].results | length' "$T_TMP/tp.sarif")" -eq "$(jq '.secrets | length' "$T_TMP/tp.json")"
check "SARIF results carry line/column regions" test "$(jq '[.runs[0].results[] | select(.locations[0].physicalLocation.region.startLine > 0)] | length' "$T_TMP/tp.sarif")" -ge "$ntp"

# --- a symlink is never followed out of the tree
mkdir -p "$T_TMP/linkdir"; ln -sf "$here/secrets-cases/tp" "$T_TMP/linkdir/out"; ln -sf /etc/shadow "$T_TMP/linkdir/shadow"
check_out "symlinks are not followed" 'Secrets: 0|"secrets": \[\]' "$BRIG" scan --secrets "$T_TMP/linkdir" --format json

# --- binary and oversized files are skipped
mkdir -p "$T_TMP/bin"; { printf '\x7fELF\x02\x01\x01'; cat "$here/secrets-cases/tp/github-pat.txt"; } >"$T_TMP/bin/prog"
check_out "binary files are skipped by content" '"secrets": \[\]' "$BRIG" scan --secrets "$T_TMP/bin" --format json

# --- images: every planted secret, in the right place and state
img="oci:$FX/secrets-oci:1.0"
"$BRIG" scan --scanners secret "$img" --format json >"$T_TMP/img.json" 2>"$T_TMP/img.err"
check "image secret scan succeeds" test $? -eq 0
check "8 planted secrets found" test "$(jq '.secrets | length' "$T_TMP/img.json")" -eq 8
st() { jq -r --arg r "$1" '.secrets[] | select(.rule_id == $r) | "\(.file)|\(.state // "-")|\(.layer // "-")|\(.removed_in // "-")"' "$T_TMP/img.json"; }
check "AWS key id in layer 1 file, visible" bash -c "[[ '$(st aws-access-token)' == *:app/config/settings.yml\|visible\|1\|- ]]"
check "AWS secret in layer 1 file, visible" bash -c "[[ '$(st aws-secret-access-key)' == *:app/config/settings.yml\|visible\|1\|- ]]"
check "private key deleted by layer 2 still reported" bash -c "[[ '$(st private-key)' == *:root/.ssh/id_ed25519\|deleted\|1\|2 ]]"
check "npm token in a file replaced by layer 2 reported" bash -c "[[ '$(st npm-access-token)' == *:app/.npmrc\|replaced\|1\|2 ]]"
check "GitHub PAT from an ENV later unset (history)" test "$(st github-pat)" = "history[3]|-|-|-"
check "Stripe key from a build ARG (history)" test "$(st stripe-access-token)" = "history[4]|-|-|-"
check "GitLab PAT in a label" test "$(st gitlab-pat)" = "config:Labels|-|-|-"
check "Slack webhook in config Env" test "$(st slack-webhook-url)" = "config:Env[1]|-|-|-"
check_out "clean image: no secrets" '"secrets": \[\]' "$BRIG" scan --scanners secret "oci:$FX/clean-oci:1.0" --format json
if [ -d "$FIXTURES/debian-oci" ]; then
    check_out "Debian minbase image: no secrets" '"secrets": \[\]' "$BRIG" scan --scanners secret "$FIXTURES/debian-oci" --format json
else skip "Debian minbase image: no secrets (fixture absent)"; fi

# --- hostile images: a clean refusal (exit 3/4/5) or a result, never a crash
if [ -d "$FIXTURES/hostile" ]; then
    crashes=""
    for h in "$FIXTURES"/hostile/*; do
        [ "$(basename "$h")" = cases.json ] && continue
        timeout 120 "$BRIG" scan --scanners secret,misconfig "$h" >/dev/null 2>&1; rc=$?
        case $rc in 0|3|4|5) ;; *) crashes="$crashes $(basename "$h"):$rc" ;; esac
    done
    check "hostile images are refused or scanned, never crash${crashes:+ ($crashes)}" test -z "$crashes"
else skip "hostile images (fixtures absent)"; fi

# --- no output anywhere carries a planted secret in full
: >"$T_TMP/all-out"
for fmt in table json sarif; do
    "$BRIG" --debug scan --scanners secret,misconfig "$img" --format "$fmt" >>"$T_TMP/all-out" 2>&1
    "$BRIG" --debug scan --secrets "$here/secrets-cases/tp" --format "$fmt" >>"$T_TMP/all-out" 2>&1
done
leaks=0; n=0
while IFS='=' read -r name value; do
    n=$((n + 1))
    if grep -qF -- "$value" "$T_TMP/all-out"; then leaks=$((leaks + 1)); echo "# leaked: $name"; fi
done <"$FX/planted.env"
check "no planted secret appears in any output ($n checked)" test "$leaks" -eq 0 -a "$n" -eq 8
tpleaks=0
for f in "$here"/secrets-cases/tp/*.txt; do
    r=$(basename "$f" .txt)
    s=$("$BRIG" scan --secrets "$f" --format json 2>/dev/null | jq -r '.secrets[0].message')
    # the corpus secret is the longest high-entropy token of its file; no 12-char run of it may show
    tok=$(grep -oE '[A-Za-z0-9_+/-]{20,}' "$f" | head -1)
    [ -n "$tok" ] && grep -qF -- "${tok:6:12}" "$T_TMP/all-out" && { tpleaks=$((tpleaks + 1)); echo "# leaked corpus secret of $r"; }
done
check "no corpus secret appears in any output" test "$tpleaks" -eq 0
rm -rf "$T_TMP"
