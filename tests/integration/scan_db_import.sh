#!/usr/bin/env bash
# `brig db import/info/query` end to end: the shared real vulnerability data
# (osv-go, osv-pypi, alpine-secdb) queried for known records, a crafted Debian
# security tracker document, malformed records, OSV all.zip, merging and the
# atomic rebuild.
. "$(dirname "$0")/../lib.sh"
trap 'rm -rf "$T_TMP"' EXIT
export BRIG_DB="$T_TMP/db/vuln.db"
VD="$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null)/../shared/vulndata"

check_fails "query without a database says how to build one" 3 "brig db import" "$BRIG" db query pypi django 1.0
check_fails "import of a missing path fails" 3 "nonexistent" "$BRIG" db import "$T_TMP/nonexistent"
check_fails "unknown flag rejected" 2 "unknown option" "$BRIG" db import --bogus x
check_out "db --help documents exit codes" "Exit codes" "$BRIG" db --help
check_out "db import --help documents limits" "4 MiB" "$BRIG" db import --help

if [ -d "$VD/osv-go" ] && [ -d "$VD/osv-pypi" ] && [ -d "$VD/alpine-secdb" ]; then
    check_out "import shared osv-go, osv-pypi, alpine-secdb" "imported alpine-secdb" \
        "$BRIG" db import "$VD/osv-go" "$VD/osv-pypi" "$VD/alpine-secdb"
    "$BRIG" db info --format json >"$T_TMP/info.json" 2>/dev/null
    check "info: osv-go has all 4291 records" jq -e '.sources[] | select(.name=="osv-go") | .records == 4291' "$T_TMP/info.json"
    check "info: osv-pypi has all 2661 records and counts GIT ranges" \
        jq -e '.sources[] | select(.name=="osv-pypi") | (.records == 2661 and .git_ranges_skipped > 0)' "$T_TMP/info.json"
    check "info: schema version and size" jq -e '.schema_version == 1 and .size > 0' "$T_TMP/info.json"
    check_fails "info warns about old data" 0 "days old" "$BRIG" db info
    # PYSEC-2006-1: cherrypy < 2.1.1
    check_out "PyPI cherrypy 2.1.0 -> PYSEC-2006-1, fixed 2.1.1" "PYSEC-2006-1 +[A-Z]+ +2\.1\.1" "$BRIG" db query pypi CherryPy 2.1.0
    check "PyPI cherrypy 2.1.1 (the fix) does not match" sh -c "! '$BRIG' db query pypi cherrypy 2.1.1 | grep -q PYSEC-2006-1"
    # PYSEC-2009-1: buildbot >= 0.7.6, < 0.7.12
    check "PyPI buildbot 0.7.5 (before introduced) does not match PYSEC-2009-1" sh -c "! '$BRIG' db query pypi buildbot 0.7.5 | grep -q PYSEC-2009-1"
    check_out "PyPI buildbot 0.7.6 -> PYSEC-2009-1" "PYSEC-2009-1" "$BRIG" db query pypi buildbot 0.7.6
    check "PyPI buildbot 0.7.12 does not match PYSEC-2009-1" sh -c "! '$BRIG' db query pypi buildbot 0.7.12 | grep -q PYSEC-2009-1"
    # PYSEC-2022-42969: py, last_affected 1.11.0, no fix
    check_out "PyPI py 1.11.0 -> PYSEC-2022-42969 with no fix" "PYSEC-2022-42969 +[A-Z]+ +no fix" "$BRIG" db query pypi py 1.11.0
    "$BRIG" db query --format json pypi django 3.2.0 >"$T_TMP/q.json"
    check "JSON query: django 3.2.0 -> PYSEC-2021-109 fixed 3.2.5 with aliases" \
        jq -e '.vulnerabilities[] | select(.id=="PYSEC-2021-109") | (.fixed_version=="3.2.5" and (.aliases|index("CVE-2021-35042")) != null)' "$T_TMP/q.json"
    # GO-2020-0001: github.com/gin-gonic/gin < 1.6.0
    check_out "Go gin v1.5.0 -> GO-2020-0001" "GO-2020-0001 +[A-Z]+ +1\.6\.0" "$BRIG" db query go github.com/gin-gonic/gin v1.5.0
    check "Go gin v1.6.0 does not match GO-2020-0001" sh -c "! '$BRIG' db query go github.com/gin-gonic/gin v1.6.0 | grep -q GO-2020-0001"
    # Alpine v3.10 apache2: 2.4.41-r0 fixes CVE-2019-9517
    check_out "Alpine 3.10 apache2 2.4.39-r0 -> CVE-2019-9517" "CVE-2019-9517 +[A-Z]+ +2\.4\.41-r0" "$BRIG" db query alpine:v3.10 apache2 2.4.39-r0
    check "Alpine 3.10 apache2 2.4.41-r0 does not match CVE-2019-9517" sh -c "! '$BRIG' db query alpine:3.10 apache2 2.4.41-r0 | grep -q CVE-2019-9517"
    check_fails "Alpine query needs a release" 2 "needs a release" "$BRIG" db query alpine apache2 1.0
else
    skip "shared vulndata not present at $VD"
fi

# Debian security tracker document (realistic shape of the tracker's JSON).
mkdir -p "$T_TMP/deb"
cat >"$T_TMP/deb/tracker.json" <<'JSON'
{
  "openssl": {
    "CVE-2023-5678": {
      "description": "Generating excessively long X9.42 DH keys or checking excessively long X9.42 DH keys or parameters may be very slow.",
      "scope": "remote",
      "releases": {
        "bookworm": {"status": "resolved", "repositories": {"bookworm": "3.0.11-1~deb12u2", "bookworm-security": "3.0.13-1~deb12u1"}, "fixed_version": "3.0.13-1~deb12u1", "urgency": "not yet assigned", "nodsa": "Minor issue"},
        "bullseye": {"status": "open", "repositories": {"bullseye": "1.1.1w-0+deb11u1"}, "urgency": "low"},
        "sid": {"status": "resolved", "repositories": {"sid": "3.1.4-2"}, "fixed_version": "3.1.4-1", "urgency": "not yet assigned"},
        "trixie": {"status": "resolved", "repositories": {"trixie": "3.1.4-2"}, "fixed_version": "3.1.4-1", "urgency": "not yet assigned"}
      }
    },
    "CVE-2007-6755": {
      "description": "The NIST SP 800-90A default statement of the Dual Elliptic Curve Deterministic Random Bit Generation (Dual_EC_DRBG) algorithm contains point Q constants with a possible relationship to certain \"skeleton key\" values.",
      "scope": "remote",
      "releases": {
        "bookworm": {"status": "open", "repositories": {"bookworm": "3.0.11-1~deb12u2"}, "urgency": "unimportant"}
      }
    }
  },
  "curl": {
    "CVE-2023-38545": {
      "description": "This flaw makes curl overflow a heap based buffer in the SOCKS5 proxy handshake.",
      "scope": "remote",
      "debianbug": 1053692,
      "releases": {
        "bookworm": {"status": "resolved", "repositories": {"bookworm": "7.88.1-10+deb12u4"}, "fixed_version": "7.88.1-10+deb12u4", "urgency": "high"},
        "bullseye": {"status": "resolved", "repositories": {"bullseye": "7.74.0-1.3+deb11u10"}, "fixed_version": "0", "urgency": "high"}
      }
    }
  }
}
JSON
check_out "import Debian tracker JSON (detected by content)" "debian-tracker" "$BRIG" db import --name debian "$T_TMP/deb/tracker.json"
check_out "Debian bookworm curl 7.88.1-10+deb12u3 -> CVE-2023-38545 HIGH" "CVE-2023-38545 +HIGH +7\.88\.1-10\+deb12u4" "$BRIG" db query debian:bookworm curl 7.88.1-10+deb12u3
check_out "Debian 12 curl at the fixed version is clean" "no known vulnerabilities" "$BRIG" db query debian:12 curl 7.88.1-10+deb12u4
check_out "Debian bullseye: fixed_version 0 means not affected" "no known vulnerabilities" "$BRIG" db query debian:bullseye curl 7.74.0-1.3+deb11u1
check_out "Debian open issue has no fix" "CVE-2023-5678 +LOW +no fix" "$BRIG" db query debian:11 openssl 1.1.1w-0+deb11u1
check_out "Debian unimportant urgency kept as INFO" "CVE-2007-6755 +INFO +no fix" "$BRIG" db query debian:12 openssl 3.0.11-1~deb12u2
check_out "Debian ~ in fixed version ordered like dpkg" "CVE-2023-5678" "$BRIG" db query debian:12 openssl 3.0.13-1~deb12u1~pre1
if [ -d "$VD/osv-go" ]; then
    check_out "merge: earlier sources still present after importing another" "GO-2020-0001" "$BRIG" db query go github.com/gin-gonic/gin v1.5.0
fi

# A tracker document over 4 MiB is streamed package by package: bounded memory,
# a broken package entry is skipped with its line number, the rest imported.
/usr/bin/python3 - "$T_TMP/deb/big.json" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write("{\n")
    for i in range(30000):
        if i == 15000:
            f.write('"broken-pkg": {"CVE-2024-9": {"releases": {"bookworm": {"status": open}}}},\n')   # bare word: invalid JSON
            continue
        e = {f"CVE-2024-{i}": {"description": "x" * 60, "scope": "local",
             "releases": {"bookworm": {"status": "resolved", "fixed_version": f"1.{i}-1", "urgency": "medium",
                                       "repositories": {"bookworm": f"1.{i}-1"}}}}}
        f.write(json.dumps(f"pkg{i}") + ": " + json.dumps(e) + (",\n" if i < 29999 else "\n"))
    f.write("}\n")
PY
check "big tracker fixture is over 4 MiB" test "$(stat -c %s "$T_TMP/deb/big.json")" -gt 4194304
/usr/bin/time -v "$BRIG" db import --name debian-big "$T_TMP/deb/big.json" >"$T_TMP/big.out" 2>&1; rc=$?
check "big tracker imported (exit $rc)" test "$rc" -eq 0
check "broken package entry skipped, named with its line" grep -qE "big.json:15002.*(malformed|invalid|expected)" "$T_TMP/big.out"
rss=$(awk -F': ' '/Maximum resident/ { print $2 }' "$T_TMP/big.out")
if ldd "$BRIG" 2>/dev/null | grep -q libasan; then skip "RSS bound not meaningful under AddressSanitizer"
else check "streamed import stays under 150 MB RSS (${rss} kB)" test "${rss:-999999}" -lt 153600; fi
check_out "package after the broken entry was imported" "CVE-2024-29999 +MEDIUM +1\.29999-1" "$BRIG" db query debian:12 pkg29999 1.29998-1

# Malformed records: skipped with file and position by default, fatal with --strict.
mkdir -p "$T_TMP/bad/sub"
printf '{"id":"GOOD-1","modified":"2024-05-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"tiny"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}' >"$T_TMP/bad/good.json"
printf '{"id": "BAD-1",\n  "affected": [\n  }' >"$T_TMP/bad/sub/syntax.json"
printf '{"id":"BAD-2","affected":[{"package":{"ecosystem":"npm","name":"tiny"},"ranges":[{"type":"SEMVER","events":"oops"}]}]}' >"$T_TMP/bad/events.json"
cp "$BRIG_DB" "$T_TMP/before.db"
check_fails "--strict: malformed record is fatal, names file and position" 3 "events.json.*affected\[0\]\.ranges\[0\]\.events" \
    "$BRIG" db import --strict --name bad "$T_TMP/bad"
check "--strict failure left the database unchanged" cmp -s "$BRIG_DB" "$T_TMP/before.db"
check_fails "default: malformed records skipped with a warning naming line:column" 0 "syntax.json:3:3: invalid JSON" \
    "$BRIG" db import --name bad "$T_TMP/bad"
check_out "the good record of that source was imported" "GOOD-1" "$BRIG" db query npm tiny 0.9.0
check "the skip count is recorded" sh -c "'$BRIG' db info --format json 2>/dev/null | jq -e '.sources[] | select(.name==\"bad\") | .skipped == 2'"

# OSV all.zip: read in place; a bad member is named; an oversize member is refused.
/usr/bin/python3 - "$T_TMP/all.zip" <<'PY'
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(50):
        z.writestr(f"ZIP-{i}.json", json.dumps({"id": f"ZIP-{i}", "modified": "2025-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "Maven", "name": "org.example:lib"},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": f"{i}.0"}, {"fixed": f"{i}.1"}]}]}]}))
    z.writestr("BROKEN.json", '{"id": "BROKEN", "affected": [}')
    z.writestr("HUGE.json", '{"id": "HUGE", "details": "' + "x" * (5 << 20) + '"}')
PY
check_fails "zip: bad member named as archive:member:line:col" 0 "all.zip:BROKEN.json:1:" "$BRIG" db import "$T_TMP/all.zip"
check_fails "zip: member over 4 MiB refused" 0 "HUGE.json.*4 MiB" "$BRIG" db import "$T_TMP/all.zip"
check_out "zip: Maven record matched with Maven ordering (7.1-SNAPSHOT < 7.1)" "ZIP-7" "$BRIG" db query maven org.example:lib 7.1-SNAPSHOT
check "zip: Maven 7.1 is fixed" sh -c "! '$BRIG' db query maven org.example:lib 7.1 | grep -q ZIP-7"
head -c 2000 "$T_TMP/all.zip" >"$T_TMP/trunc.zip"
check_fails "truncated zip refused with its name" 3 "trunc.zip: cannot open as zip" "$BRIG" db import "$T_TMP/trunc.zip"
check "zip source recorded with 50 records" sh -c "'$BRIG' db info --format json 2>/dev/null | jq -e '.sources[] | select(.name==\"all\") | .records == 50'"

# Atomic rebuild: kill -9 in the middle of an import; the old database stays intact.
if [ -d "$VD/osv-pypi" ]; then
    cp "$BRIG_DB" "$T_TMP/before.db"
    # Kill once the rebuild file beside the database exists (the import is under
    # way); if the import won the race and finished first, restore and retry.
    killed=0
    for _attempt in 1 2 3 4 5; do
        "$BRIG" db import --name pypi-again "$VD/osv-pypi" 2>/dev/null & pid=$!
        for _ in $(seq 1000); do
            [ -e "$BRIG_DB.tmp.$pid" ] && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.005
        done
        kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; st=$?
        if [ "$st" -eq 137 ]; then killed=1; break; fi
        cp "$T_TMP/before.db" "$BRIG_DB"
    done
    check "the import was killed while rebuilding" test "$killed" = 1
    check "database unchanged after an import was killed" cmp -s "$BRIG_DB" "$T_TMP/before.db"
    check_out "database still usable after the killed import" "GOOD-1" "$BRIG" db query npm tiny 0.9.0
fi

# Two imports at once: the writer lock serialises them and both sources survive.
big="$T_TMP/all.zip"; [ -d "$VD/osv-pypi" ] && big="$VD/osv-pypi"
"$BRIG" db import --name c1 "$big" 2>/dev/null & p1=$!
"$BRIG" db import --name c2 "$T_TMP/deb/tracker.json" 2>/dev/null & p2=$!
wait "$p1"; r1=$?; wait "$p2"; r2=$?
check "concurrent imports both succeeded ($r1, $r2)" test "$r1$r2" = 00
check "concurrent imports: both sources kept" sh -c "'$BRIG' db info --format json 2>/dev/null | jq -e '[.sources[].name] | (index(\"c1\") != null and index(\"c2\") != null)'"
