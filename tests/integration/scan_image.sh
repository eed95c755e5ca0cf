#!/usr/bin/env bash
# brig scan on real images built from Debian packages, npm tarballs, jars and an
# Alpine 3.10 apk database (tests/fixtures/build-scan.sh), matched against the
# real advisories in ../shared/vulndata: findings are checked BY ID, fixed
# versions must not match, and every filter / output format / exit code is
# exercised.
. "$(dirname "$0")/../lib.sh"
need_fixtures
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/fixtures/build-scan.sh" >&2 || { not_ok "scan fixtures could not be built"; exit 1; }
S=$FIXTURES/scan
APP=$S/app-oci
ALP=$S/alpine-oci
VD=${VULNDATA:-$here/../../shared/vulndata}

# ---- command line ----
check_out "scan --help documents --exit-code and exit codes" 'exit-code N.*' "$BRIG" scan --help
check_fails "unknown flag is a usage error" 2 "unknown option" "$BRIG" scan --bogus "$APP"
check_fails "unknown scanner is a usage error" 2 "unknown scanner" "$BRIG" scan --scanners vuln,nope "$APP"
check_fails "bad --exit-code value" 2 "exit-code" "$BRIG" scan --exit-code x "$APP"
check_fails "missing IMAGE" 2 "missing IMAGE" "$BRIG" scan
check_fails "missing image exits 3" 3 "." "$BRIG" scan --list-packages "$T_TMP/none"
check_fails "missing DB exits 3 with an import hint" 3 "brig db" "$BRIG" scan --scanners vuln --db "$T_TMP/no.db" "$APP"

# ---- inventory ----
"$BRIG" scan --list-packages -f json "$APP" >"$T_TMP/pk.json" 2>"$T_TMP/pk.err"
pk() { jq -e "$1" "$T_TMP/pk.json" >/dev/null; }
check "os detected as debian 12" pk '.os.id == "debian" and .os.version_id == "12"'
check "dpkg: bash from var/lib/dpkg/status, layer 0, source package recorded" \
    pk '.packages[] | select(.name=="bash" and .type=="dpkg") | .path == "var/lib/dpkg/status" and .layer.index == 0 and .src_name == "bash"'
check "dpkg: licenses read from usr/share/doc/*/copyright" pk '.packages[] | select(.name=="bash") | .licenses | index("GPL-3+") != null'
check "python: certifi 2022.9.24 from the Debian egg-info, layer 2" \
    pk '.packages[] | select(.name=="certifi" and .type=="python") | .version == "2022.9.24" and .layer.index == 2'
check "python: Jinja2 3.1.2" pk '[.packages[] | select(.name=="Jinja2" and .version=="3.1.2")] | length == 1'
check "go: stdlib version from the umoci binary build info" \
    pk '.packages[] | select(.type=="gobinary" and .name=="stdlib") | (.version | test("^v1\\.[0-9]+\\.[0-9]+$")) and .path == "usr/local/bin/umoci" and (.purl | startswith("pkg:golang/stdlib@"))'
check "npm: lodash 4.17.15 installed under node_modules" \
    pk '.packages[] | select(.name=="lodash") | .version == "4.17.15" and .path == "srv/app/node_modules/lodash/package.json" and .purl == "pkg:npm/lodash@4.17.15"'
check "npm: lockfile v1 nested dependency qs 6.5.1" pk '[.packages[] | select(.name=="qs" and .version=="6.5.1")] | length == 1'
check "npm: dev dependencies are not inventoried" pk '[.packages[] | select(.name=="typescript" or .name=="mocha")] | length == 0'
check "npm: package removed by a whiteout is not reported" pk '[.packages[] | select(.name=="left-pad")] | length == 0'
check "jar: log4j-core 2.14.1 from the nested BOOT-INF/lib jar" \
    pk '.packages[] | select(.name=="org.apache.logging.log4j:log4j-core") | .version == "2.14.1" and .path == "opt/app/app.jar!BOOT-INF/lib/log4j-core-2.14.1.jar" and .purl == "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"'
check "jar: a jar nested two levels deep" pk '[.packages[] | select(.name=="commons-collections:commons-collections" and .version=="3.2.1")] | length == 1'
check "packages carry the layer digest" pk 'all(.packages[]; .layer.digest | startswith("sha256:"))'
for form in "$S/app.oci.tar" "oci-archive:$S/app.oci.tar" "$S/app.docker.tar"; do
    "$BRIG" scan --list-packages -f json "$form" | jq -c '[.packages[] | [.type, .name, .version, .path, .layer.index]] | sort' >"$T_TMP/form.json"
    jq -c '[.packages[] | [.type, .name, .version, .path, .layer.index]] | sort' "$T_TMP/pk.json" >"$T_TMP/oci.json"
    check "same package list from $(basename "$form")" cmp -s "$T_TMP/oci.json" "$T_TMP/form.json"
done
check_out "table output of --list-packages" 'gobinary +stdlib' "$BRIG" scan --list-packages "$APP"
"$BRIG" scan --list-packages -f json "$ALP" >"$T_TMP/apk.json"
check "alpine: apk packages with origin" \
    jq -e '.os.id == "alpine" and ([.packages[] | select(.type=="apk")] | length == 6) and (.packages[] | select(.name=="libssl1.1") | .src_name == "openssl")' "$T_TMP/apk.json"
check "alpine: packages keep the layer that introduced them after the DB is rewritten" \
    jq -e '(.packages[] | select(.name=="musl") | .layer.index == 0) and (.packages[] | select(.name=="zlib") | .layer.index == 1)' "$T_TMP/apk.json"

"$BRIG" scan --list-packages -f json "$S/rpm-oci" >"$T_TMP/rpm.json"
check "rpm: packages from var/lib/rpm/rpmdb.sqlite (gpg-pubkey pseudo-package skipped)" \
    jq -e '[.packages[] | select(.type=="rpm") | .name] | sort == ["bash", "openssl-libs"]' "$T_TMP/rpm.json"
check "rpm: epoch, release, source rpm and purl" \
    jq -e '.packages[] | select(.name=="openssl-libs") | .version == "1:3.0.7-6.el9_2" and .src_name == "openssl" and .purl == "pkg:rpm/rhel/openssl-libs@3.0.7-6.el9_2?arch=x86_64&distro=rhel-9.2&epoch=1"' "$T_TMP/rpm.json"

# ---- damaged package data: clear errors naming file and position ----
R=$T_TMP/badroot
mkdir -p "$R/var/lib/dpkg" "$R/srv/node_modules/broken" "$R/srv/node_modules/ok" "$R/opt"
printf 'Package: a\nStatus: install ok installed\nVersion: 1\n\nno colon on this line\n' >"$R/var/lib/dpkg/status"
check_fails "damaged dpkg status exits 3 naming file:line" 3 "var/lib/dpkg/status:5:1" "$BRIG" scan --list-packages "dir:$R"
printf 'Package: a\nStatus: install ok installed\nVersion: 1\n' >"$R/var/lib/dpkg/status"
printf '{"name": "broken", "version": ' >"$R/srv/node_modules/broken/package.json"
printf '{"name": "ok", "version": "1.0.0"}' >"$R/srv/node_modules/ok/package.json"
head -c 3000 /dev/urandom >"$R/opt/not-a-zip.jar"
"$BRIG" scan --list-packages -f json "dir:$R" >"$T_TMP/bad.json" 2>"$T_TMP/bad.err"; rc=$?
check "a broken language manifest is skipped with a warning, the scan goes on" \
    bash -c "[ $rc -eq 0 ] && grep -q 'srv/node_modules/broken/package.json:1:' '$T_TMP/bad.err' && grep -q 'opt/not-a-zip.jar' '$T_TMP/bad.err' && jq -e '[.packages[].name] | sort == [\"a\", \"ok\"]' '$T_TMP/bad.json' >/dev/null"
check "warnings are in the JSON report too" jq -e '.warnings | length == 2' "$T_TMP/bad.json"
# Berkeley DB / ndb rpm databases (and a librpm that cannot be loaded): tests/integration/scan_rpmdb.sh

# ---- vulnerabilities (real advisories) ----
if [ ! -d "$VD" ]; then
    skip "vulnerability checks (no shared/vulndata at $VD)"
    exit 0
fi
DB=$T_TMP/vuln.db
# Two local OSV records give the filters something to bite on: a CRITICAL
# advisory with a fix and one with no fix at all, both for Jinja2 3.1.2.
mkdir -p "$T_TMP/osv-local"
cat >"$T_TMP/osv-local/BRIG-TEST-0001.json" <<'J'
{"schema_version":"1.3.1","id":"BRIG-TEST-0001","modified":"2024-01-01T00:00:00Z","summary":"test advisory with a fix",
 "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"jinja2"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.1.3"}]}]}]}
J
cat >"$T_TMP/osv-local/BRIG-TEST-0002.json" <<'J'
{"schema_version":"1.3.1","id":"BRIG-TEST-0002","modified":"2024-01-01T00:00:00Z","summary":"test advisory without a fix",
 "database_specific":{"severity":"LOW"},
 "affected":[{"package":{"ecosystem":"PyPI","name":"Jinja2"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}
J
"$BRIG" db import --db "$DB" "$VD" "$T_TMP/osv-local" >"$T_TMP/import.log" 2>&1
check "vulnerability DB imported from shared/vulndata" test -s "$DB"

"$BRIG" scan --scanners vuln --db "$DB" -f json "$APP" >"$T_TMP/v.json"
vj() { jq -e "$1" "$T_TMP/v.json" >/dev/null; }
has() { jq -e --arg id "$1" --arg p "$2" '[.vulnerabilities[] | select(.id==$id and .package==$p)] | length == 1' "$3" >/dev/null; }
hasnt() { jq -e --arg id "$1" '[.vulnerabilities[] | select(.id==$id)] | length == 0' "$2" >/dev/null; }
check "GO-2023-1751 (html/template) found for the Go stdlib of umoci" has GO-2023-1751 stdlib "$T_TMP/v.json"
check "GO-2023-1840 found for the Go stdlib" has GO-2023-1840 stdlib "$T_TMP/v.json"
check "Go findings are located at the binary" vj '[.vulnerabilities[] | select(.package=="stdlib")] | all(.target == "usr/local/bin/umoci")'
check "PYSEC-2022-42986 found for certifi 2022.9.24" has PYSEC-2022-42986 certifi "$T_TMP/v.json"
check "PYSEC-2023-135 found for certifi" has PYSEC-2023-135 certifi "$T_TMP/v.json"
check "no PYSEC for Jinja2 3.1.2 (PYSEC-2021-66 fixed in 2.11.3)" hasnt PYSEC-2021-66 "$T_TMP/v.json"
check "no PYSEC-2019-217 for Jinja2 (fixed in 2.10.1)" hasnt PYSEC-2019-217 "$T_TMP/v.json"
check "vulnerabilities carry fixed version, layer and purl" \
    vj '.vulnerabilities[] | select(.id=="PYSEC-2022-42986") | .fixed_version == "2022.12.7" and .layer.index == 2 and (.purl | startswith("pkg:pypi/certifi@"))'
check "IDs are unique per package" vj '[.vulnerabilities[] | .package + " " + .installed_version + " " + .target + " " + .id] | length == (unique | length)'

"$BRIG" scan --scanners vuln --db "$DB" -f json "$ALP" >"$T_TMP/a.json"
check "CVE-2019-14697 found for musl 1.1.22-r2" has CVE-2019-14697 musl "$T_TMP/a.json"
check "CVE-2019-1547 found for libcrypto1.1 (origin openssl)" has CVE-2019-1547 libcrypto1.1 "$T_TMP/a.json"
check "CVE-2019-1563 found for libssl1.1" has CVE-2019-1563 libssl1.1 "$T_TMP/a.json"
check "CVE-2019-16168 found for sqlite-libs 3.28.0-r0" has CVE-2019-16168 sqlite-libs "$T_TMP/a.json"
check "no CVE-2019-1543 (fixed in 1.1.1b-r1 < 1.1.1c-r0)" hasnt CVE-2019-1543 "$T_TMP/a.json"
check "no CVE-2019-5018 (fixed in 3.28.0-r0 = installed)" hasnt CVE-2019-5018 "$T_TMP/a.json"
check "busybox 1.30.1-r3 has no findings" jq -e '[.vulnerabilities[] | select(.package=="busybox")] | length == 0' "$T_TMP/a.json"
check "alpine summary counts 8 findings" jq -e '.summary.vulnerabilities.total == 8' "$T_TMP/a.json"

# Debian: matched by SOURCE package and source version (a tracker-format file,
# since no Debian data ships in shared/vulndata).
cat >"$T_TMP/debian.json" <<'J'
{"glibc": {"CVE-2099-0001": {"description": "test: glibc flaw", "releases": {"bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u99", "urgency": "high"}}}},
 "bash": {"CVE-2099-0002": {"description": "test: fixed at the installed source version", "releases": {"bookworm": {"status": "resolved", "fixed_version": "5.2.15-2", "urgency": "low"}}},
          "CVE-2099-0003": {"description": "test: open, no fix", "releases": {"bookworm": {"status": "open", "urgency": "medium"}}}},
 "util-linux": {"CVE-2099-0004": {"description": "test: util-linux", "releases": {"bookworm": {"status": "resolved", "fixed_version": "2.38.1-5+deb12u99", "urgency": "medium"}}}}}
J
"$BRIG" db import --db "$T_TMP/deb.db" "$T_TMP/debian.json" >/dev/null 2>&1
"$BRIG" scan --scanners vuln --db "$T_TMP/deb.db" -f json "$FIXTURES/debian-oci" >"$T_TMP/d.json"
check "debian: libc6 matched through its source package glibc" has CVE-2099-0001 libc6 "$T_TMP/d.json"
check "debian: bsdutils (epoch 1:) matched through source util-linux" has CVE-2099-0004 bsdutils "$T_TMP/d.json"
check "debian: fixed at the installed source version (binNMU +b13) is not reported" hasnt CVE-2099-0002 "$T_TMP/d.json"
check "debian: open advisory reported without a fix" \
    jq -e '.vulnerabilities[] | select(.id=="CVE-2099-0003" and .package=="bash") | .fixed_version == null' "$T_TMP/d.json"
check "debian: --ignore-unfixed --severity HIGH keeps only the glibc packages" \
    jq -e '[.vulnerabilities[] | .package] | sort == ["libc-bin", "libc6"]' \
    <("$BRIG" scan --scanners vuln --db "$T_TMP/deb.db" --ignore-unfixed --severity HIGH -f json "$FIXTURES/debian-oci")

# ---- filters and exit codes ----
check_fails "--exit-code 9 when findings remain" 9 "CVE-2019-14697" "$BRIG" scan --scanners vuln --db "$DB" --exit-code 9 "$ALP"
check_out "--severity CRITICAL,HIGH leaves nothing on alpine: exit 0 despite --exit-code" 'Vulnerabilities: 0' \
    "$BRIG" scan --scanners vuln --db "$DB" --severity CRITICAL,HIGH --exit-code 9 "$ALP"
check "--severity CRITICAL keeps only the CVSS 9.8 test advisory" \
    jq -e '[.vulnerabilities[].id] == ["BRIG-TEST-0001"]' <("$BRIG" scan --scanners vuln --db "$DB" --severity CRITICAL -f json "$APP")
check "the test advisory without a fix is reported by default" has BRIG-TEST-0002 Jinja2 "$T_TMP/v.json"
"$BRIG" scan --scanners vuln --db "$DB" --ignore-unfixed -f json "$APP" >"$T_TMP/u.json"
check "--ignore-unfixed hides the advisory without a fix" hasnt BRIG-TEST-0002 "$T_TMP/u.json"
check "--ignore-unfixed keeps fixed ones" has BRIG-TEST-0001 Jinja2 "$T_TMP/u.json"

cat >"$T_TMP/ignore" <<'I'
# accepted until the base image is rebuilt
CVE-2019-14697
CVE-2019-16168 exp:2001-01-01   # expired: reported again
CVE-2019-1547 exp:2999-12-31
I
"$BRIG" scan --scanners vuln --db "$DB" --ignorefile "$T_TMP/ignore" -f json "$ALP" >"$T_TMP/i.json" 2>"$T_TMP/i.err"
check "ignored ID is marked ignored and not counted" \
    jq -e '(.vulnerabilities[] | select(.id=="CVE-2019-14697") | .ignored) and .summary.vulnerabilities.total == 5 and .summary.vulnerabilities.ignored == 3' "$T_TMP/i.json"
check "expired ignore entry no longer ignores" jq -e '.vulnerabilities[] | select(.id=="CVE-2019-16168") | .ignored == false' "$T_TMP/i.json"
check "expired ignore entry prints a note naming file:line" grep -q "ignore:3: ignore entry for CVE-2019-16168 expired on 2001-01-01" "$T_TMP/i.err"
printf 'CVE-2019-14697\nCVE-2019-16168\nCVE-2019-1547\nCVE-2019-1549\nCVE-2019-1563\n' >"$T_TMP/ignore-all"
check "--exit-code is 0 when everything is ignored" \
    "$BRIG" scan --scanners vuln --db "$DB" --ignorefile "$T_TMP/ignore-all" --exit-code 9 "$ALP"
cat >"$T_TMP/ignore.yaml" <<'Y'
vulnerabilities:
  - id: PYSEC-2022-42986
    paths: ["/usr/lib/python3/dist-packages/certifi-*"]
    statement: certifi is pinned by Debian
  - id: GO-2023-1751
    paths: ["opt/elsewhere/*"]
Y
"$BRIG" scan --scanners vuln --db "$DB" --ignorefile "$T_TMP/ignore.yaml" -f json "$APP" >"$T_TMP/y.json"
check "YAML ignore file: ID ignored where its path pattern matches" \
    jq -e '.vulnerabilities[] | select(.id=="PYSEC-2022-42986") | .ignored' "$T_TMP/y.json"
check "YAML ignore file: same kind of entry elsewhere does not ignore" \
    jq -e '.vulnerabilities[] | select(.id=="GO-2023-1751") | .ignored == false' "$T_TMP/y.json"
printf 'vulnerabilities:\n  - id: X\n    purls: [pkg:npm/x]\n' >"$T_TMP/ignore-purl.yaml"
check_fails "YAML ignore file: unsupported 'purls' is refused, not silently ignored" 3 "ignore-purl.yaml:3:5: 'purls' is not supported" \
    "$BRIG" scan --scanners vuln --db "$DB" --ignorefile "$T_TMP/ignore-purl.yaml" "$ALP"
printf 'CVE-1 exp:tomorrow\n' >"$T_TMP/ignore-bad"
check_fails "malformed ignore file exits 3 naming file:line:col" 3 "ignore-bad:1:7" \
    "$BRIG" scan --scanners vuln --db "$DB" --ignorefile "$T_TMP/ignore-bad" "$ALP"

# ---- output formats ----
check_out "table groups by package with totals" 'Vulnerabilities: 8 \(CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 8\)' \
    "$BRIG" scan --scanners vuln --db "$DB" "$ALP"
check_out "table shows the package once, then its other IDs" 'libcrypto1.1 +1\.1\.1c-r0 +1\.1\.1d-r0 +UNKNOWN +CVE-2019-1547' \
    "$BRIG" scan --scanners vuln --db "$DB" "$ALP"
"$BRIG" scan --scanners vuln --db "$DB" -f sarif -o "$T_TMP/s.sarif" "$APP"
sj() { jq -e "$1" "$T_TMP/s.sarif" >/dev/null; }
check "sarif: version 2.1.0 with one run by brig" sj '.version == "2.1.0" and (.runs | length == 1) and .runs[0].tool.driver.name == "brig"'
check "sarif: one rule per vulnerability ID" sj '[.runs[0].tool.driver.rules[].id] | length == (unique | length) and (index("GO-2023-1751") != null)'
check "sarif: results located at the package file" \
    sj '[.runs[0].results[] | select(.ruleId=="GO-2023-1751")][0].locations[0].physicalLocation.artifactLocation.uri == "usr/local/bin/umoci"'
check "sarif: security-severity is the CVSS score" \
    sj '.runs[0].tool.driver.rules[] | select(.id=="BRIG-TEST-0001") | .properties."security-severity" == "9.8"'
check "sarif: ruleIndex points at the rule" sj '.runs[0] as $r | all($r.results[]; $r.tool.driver.rules[.ruleIndex].id == .ruleId)'
check "json: per-result target and layer digest" \
    vj 'all(.vulnerabilities[]; (.target | length > 0) and (.layer.digest | startswith("sha256:")))'
check "-o writes atomically (no temp file left)" bash -c "! ls '$T_TMP' | grep -q 's.sarif.tmp'"

# ---- other scanners (owned by other areas; exit 7 when not in this build) ----
mkdir -p "$T_TMP/secdir"
echo 'aws_access_key_id = AKIAQYLPMN5HHHFPZAM2' >"$T_TMP/secdir/creds"
out=$("$BRIG" scan --secrets "$T_TMP/secdir" -f json 2>&1); rc=$?
if [ $rc -eq 7 ]; then
    check_fails "scan --secrets says so when the secret scanner is missing" 7 "not available" "$BRIG" scan --secrets "$T_TMP/secdir"
else
    check "scan --secrets DIR finds the AWS key (rc $rc)" bash -c "[ $rc -eq 0 ] && printf '%s' '$out' | jq -e '.secrets | length >= 1' >/dev/null"
fi
out=$("$BRIG" scan --scanners misconfig -f json "$ALP" 2>&1); rc=$?
if [ $rc -eq 7 ]; then
    check_fails "--scanners misconfig says so when the scanner is missing" 7 "not available" "$BRIG" scan --scanners misconfig "$ALP"
else
    check "--scanners misconfig adds misconfigurations (no root USER) to the report (rc $rc)" \
        bash -c "[ $rc -eq 0 ] && printf '%s' '$out' | jq -e '(.misconfigurations | length >= 1) and (has(\"vulnerabilities\") | not)' >/dev/null"
fi
check_fails "--secrets DIR refuses an SBOM format" 2 "no packages" "$BRIG" scan --secrets "$T_TMP/secdir" -f spdx-json
# Coverage: packages of an ecosystem the DB has no advisories for are named on
# stderr instead of passing as "no vulnerabilities".
if [ -f "$DB" ]; then
    err=$("$BRIG" scan --scanners vuln --db "$DB" -f json "$APP" 2>&1 >/dev/null)
    check "uncovered ecosystems are warned about (Maven)" grep -q "Java (Maven) packages were not checked" <<<"$err"
    check "covered ecosystems are not (Go, Python)" bash -c "! grep -qE ' (Go|Python) packages were not checked' <<<'$err'"
    err=$("$BRIG" scan --scanners vuln --db "$DB" -f json "$ALP" 2>&1 >/dev/null)
    check "Alpine 3.10 packages are covered by the secdb feed" bash -c "! grep -q 'not checked' <<<'$err'"
fi
