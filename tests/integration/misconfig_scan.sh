#!/usr/bin/env bash
# brig scan --scanners misconfig end to end: every check fires on the bad
# fixture image, none on the good one, in every output format.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
FX=$FIXTURES/secrets
if ! "$here/fixtures/build-secrets.sh" >"$T_TMP/fixture.log" 2>&1; then
    not_ok "misconfig fixtures could not be built"; sed 's/^/# /' "$T_TMP/fixture.log" | tail -20; exit 1
fi
bad="oci:$FX/misconfig-bad-oci:latest"; good="oci:$FX/misconfig-good-oci:1.0"
"$BRIG" scan --scanners misconfig "$bad" --format json >"$T_TMP/bad.json" 2>"$T_TMP/bad.err"
check "misconfig scan of the bad image succeeds" test $? -eq 0
ids="CIS-DI-0001 CIS-DI-0006 CIS-DI-0007 CIS-DI-0008 CIS-DI-0009 CIS-DI-0010 DKL-DI-0001 DKL-DI-0002 DKL-DI-0003
     DKL-DI-0004 DKL-DI-0005 DKL-DI-0006 DKL-LI-0001 DKL-LI-0002 BRIG-IMG-001 BRIG-IMG-002 BRIG-IMG-003 BRIG-IMG-004
     BRIG-IMG-005 BRIG-IMG-006 BRIG-IMG-007 BRIG-IMG-008"
for id in $ids; do
    n=$(jq --arg id "$id" '[.misconfigurations[] | select(.rule_id == $id)] | length' "$T_TMP/bad.json")
    check "$id fires on the bad image" test "$n" -ge 1
done
check "setuid/setgid files are listed one by one" test "$(jq -r '[.misconfigurations[] | select(.rule_id == "CIS-DI-0008") | .file] | sort | join(",")' "$T_TMP/bad.json")" = "opt/tool/run,usr/bin/sudo"
check "every finding has a title and a fix" test "$(jq '[.misconfigurations[] | select((.title // "") == "" or (.fix // "") == "")] | length' "$T_TMP/bad.json")" -eq 0
check_out "good image: no misconfiguration" '"misconfigurations": \[\]' "$BRIG" scan --scanners misconfig "$good" --format json
check_fails "bad image with --exit-code 1 exits 1" 1 'CIS-DI-0001' "$BRIG" scan --scanners misconfig "$bad" --exit-code 1
check_out "good image with --exit-code 1 exits 0" 'Misconfigurations: 0|misconfig' "$BRIG" scan --scanners misconfig "$good" --exit-code 1
"$BRIG" scan --scanners misconfig "$bad" --format sarif >"$T_TMP/bad.sarif" 2>/dev/null
check "SARIF lists the checks as rules" test "$(jq '[.runs[0].tool.driver.rules[].id] | length' "$T_TMP/bad.sarif")" -ge 22
check_out "credential values are not echoed" '^ok$' bash -c "grep -q 'plain-text-token-value\|hunter2hunter2' '$T_TMP/bad.json' '$T_TMP/bad.sarif' && echo leaked || echo ok"
rm -rf "$T_TMP"
