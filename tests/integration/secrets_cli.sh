#!/usr/bin/env bash
# `brig scan --secrets DIR` options: gitleaks config (extend vs replace),
# path allowlist, size limit, and that no output repeats a full secret.
. "$(dirname "$0")/../lib.sh"
cases=$(cd "$(dirname "$0")/../secrets-cases" && pwd)
d=$T_TMP/ctx; mkdir -p "$d/src" "$d/vendor"
cp "$cases/tp/github-pat.txt" "$d/src/app.env"
cp "$cases/tp/github-pat.txt" "$d/vendor/third_party.env"
tok=$(grep -oE 'ghp_[A-Za-z0-9]{36}' "$cases/tp/github-pat.txt" | head -1)
# A rule of the team's own, as a gitleaks config would add it.
printf 'internal_token = "acme_%s"\n' "$(printf 'x%.0s' {1..8})Q7f3Kp9ZrT2mWv8L" >"$d/src/internal.cfg"
cat >"$T_TMP/extend.toml" <<'TOML'
title = "team rules"
[extend]
useDefault = true
[[rules]]
id = "acme-internal-token"
description = "ACME internal token"
regex = '''acme_[A-Za-z0-9]{20,}'''
keywords = ["acme_"]
TOML
grep -v -e '^\[extend\]' -e '^useDefault' "$T_TMP/extend.toml" >"$T_TMP/replace.toml"

check_out "default rules find the token in both places" '"rule_id": "github-pat"' \
    "$BRIG" scan --format json --secrets "$d"
n=$("$BRIG" scan --format json --secrets "$d" | jq '[.secrets[] | select(.rule_id=="github-pat")] | length' 2>/dev/null)
check "two github-pat findings without an allowlist (got $n)" test "$n" = 2
n=$("$BRIG" scan --format json --secret-allow-path '^vendor/' --secrets "$d" | jq '[.secrets[] | select(.rule_id=="github-pat")] | length')
check "--secret-allow-path drops the vendored one (got $n)" test "$n" = 1
out=$("$BRIG" scan --format json --secret-config "$T_TMP/extend.toml" --secrets "$d")
check "extend config adds its rule" grep -q '"acme-internal-token"' <<<"$out"
check "extend config keeps the defaults" grep -q '"github-pat"' <<<"$out"
out=$("$BRIG" scan --format json --secret-config "$T_TMP/replace.toml" --secrets "$d")
check "replacing config reports its rule" grep -q '"acme-internal-token"' <<<"$out"
check "replacing config drops the defaults" bash -c "! grep -q '\"github-pat\"' <<<'$out'"
n=$("$BRIG" scan --format json --secret-max-size 10 --secrets "$d" | jq '[.secrets[]] | length')
check "--secret-max-size 10 skips every file (got $n)" test "$n" = 0
for f in table json sarif; do
    check "format $f never prints the full token" bash -c "! '$BRIG' scan --format $f --secrets '$d' 2>&1 | grep -qF '$tok'"
done
check_fails "bad --secret-max-size is a usage error" 2 "secret-max-size" "$BRIG" scan --secret-max-size nope --secrets "$d"
printf '[[rules]]\nid = "x"\nregex = 12\n[' >"$T_TMP/bad.toml"
check_fails "malformed gitleaks config names the file" 3 "bad.toml" "$BRIG" scan --secret-config "$T_TMP/bad.toml" --secrets "$d"
rm -rf "$T_TMP"
