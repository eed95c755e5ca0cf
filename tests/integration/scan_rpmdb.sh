#!/usr/bin/env bash
# brig scan / sbom on the two older rpm database formats, with real rpm headers
# (tests/fixtures/build-scan.sh): a CentOS 7 Berkeley DB var/lib/rpm/Packages
# (read through librpm's bdb_ro backend, loaded on first use) and an openSUSE
# ndb usr/lib/sysimage/rpm/Packages.db (read natively).  The inventory must equal
# what real `rpm -qa` lists for the same database; damaged databases must give
# exit 3 naming the file, a librpm that cannot be loaded a warning (never a
# silently empty inventory), and no private copy may be left behind.
. "$(dirname "$0")/../lib.sh"
need_fixtures
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/fixtures/build-scan.sh" >&2 || { not_ok "scan fixtures could not be built"; exit 1; }
S=$FIXTURES/scan
BDB=$S/rpm-bdb-oci
NDB=$S/rpm-ndb-oci
REF=$S/rpmdb-ref
# librpm's private copies go here, so the test can see that none is left.
export TMPDIR=$T_TMP/tmp
mkdir -p "$TMPDIR"
no_leftovers() { [ -z "$(ls -A "$TMPDIR")" ]; }

QF='%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH} %{LICENSE} %{SOURCERPM}\n'
# brig's JSON in the same shape as $QF (the source rpm file name is rebuilt
# from src_name and src_version, which carries the epoch as rpm's EVR does).
as_qa() {
    jq -r '.packages[] | select(.type == "rpm") |
        "\(.name) \(.version) \(.arch) \(.licenses | join(" AND ")) \(.src_name)-\(.src_version | sub("^[0-9]+:"; "")).src.rpm"' "$1" | sort
}
same() {  # name reference-file listing-file
    if diff -u "$2" "$3" >"$T_TMP/diff" 2>&1; then ok "$1"; else not_ok "$1"; sed 's/^/# /' "$T_TMP/diff" | head -20; fi
}
have_rpm=0; command -v rpm >/dev/null 2>&1 && have_rpm=1

# ---- Berkeley DB (CentOS 7): layer 0 bash + openssl-libs, layer 1 adds tzdata ----
"$BRIG" scan --list-packages -f json "$BDB" >"$T_TMP/bdb.json" 2>"$T_TMP/bdb.err"; rc=$?
check "bdb: scan exits 0 without warnings" bash -c "[ $rc -eq 0 ] && jq -e '.warnings | length == 0' '$T_TMP/bdb.json' >/dev/null"
b() { jq -e "$1" "$T_TMP/bdb.json" >/dev/null; }
check "bdb: os centos 7" b '.os.id == "centos" and .os.version_id == "7"'
check "bdb: bash, openssl-libs, tzdata from var/lib/rpm/Packages" \
    b '[.packages[] | select(.type == "rpm" and .path == "var/lib/rpm/Packages") | .name] | sort == ["bash", "openssl-libs", "tzdata"]'
check "bdb: layers: bash and openssl-libs from layer 0 (older copy of Packages), tzdata from layer 1" \
    b '[.packages[] | {(.name): .layer.index}] | add == {"bash": 0, "openssl-libs": 0, "tzdata": 1}'
check "bdb: openssl-libs epoch, release, arch, source rpm, license and purl" \
    b '.packages[] | select(.name == "openssl-libs") | .version == "1:1.0.2k-19.el7" and .arch == "x86_64" and .src_name == "openssl"
       and .src_version == "1:1.0.2k-19.el7" and .licenses == ["OpenSSL"]
       and .purl == "pkg:rpm/centos/openssl-libs@1.0.2k-19.el7?arch=x86_64&distro=centos-7&epoch=1"'
check "bdb: noarch package" b '.packages[] | select(.name == "tzdata") | .arch == "noarch" and .version == "2020a-1.el7" and .licenses == ["Public Domain"]'
as_qa "$T_TMP/bdb.json" >"$T_TMP/bdb.brig"
# Independent: real rpm on the very file in the image (extracted by brig, read by rpm's bdb_ro).
if [ $have_rpm = 1 ] && "$BRIG" extract "$BDB" "$T_TMP/bdb-root" >/dev/null 2>&1; then
    rpm --dbpath "$T_TMP/bdb-root/var/lib/rpm" --define '_db_backend bdb_ro' -qa --qf "$QF" 2>/dev/null | sort >"$T_TMP/bdb.rpm"
    check "bdb: real rpm lists 3 packages" test "$(wc -l <"$T_TMP/bdb.rpm")" -eq 3
    same "bdb: same inventory as rpm -qa on the same Packages (name, epoch:version-release, arch, license, source rpm)" \
        "$T_TMP/bdb.rpm" "$T_TMP/bdb.brig"
else
    same "bdb: same inventory as rpm -qa listed when the fixture was built (rpm not installed now)" "$REF/bdb.rpm-qa" "$T_TMP/bdb.brig"
fi
check "bdb: no private copy left in TMPDIR" no_leftovers

# ---- ndb (openSUSE Leap 15.4); var/lib/rpm is a symlink to usr/lib/sysimage/rpm ----
"$BRIG" scan --list-packages -f json "$NDB" >"$T_TMP/ndb.json" 2>"$T_TMP/ndb.err"; rc=$?
check "ndb: scan exits 0 without warnings" bash -c "[ $rc -eq 0 ] && jq -e '.warnings | length == 0' '$T_TMP/ndb.json' >/dev/null"
n() { jq -e "$1" "$T_TMP/ndb.json" >/dev/null; }
check "ndb: three packages, once each, from usr/lib/sysimage/rpm/Packages.db" \
    n '(.packages | length == 3) and ([.packages[] | select(.type == "rpm" and .path == "usr/lib/sysimage/rpm/Packages.db") | .name] | sort == ["bash", "libopenssl1_1", "timezone"])'
check "ndb: libopenssl1_1 source package openssl-1_1, purl with the openSUSE distro" \
    n '.packages[] | select(.name == "libopenssl1_1") | .src_name == "openssl-1_1" and .version == "1.1.1l-150400.7.28.1"
       and .purl == "pkg:rpm/opensuse-leap/libopenssl1_1@1.1.1l-150400.7.28.1?arch=x86_64&distro=opensuse-leap-15.4"'
as_qa "$T_TMP/ndb.json" >"$T_TMP/ndb.brig"
# Debian's rpm has no ndb backend: compare with real rpm on the database the headers were copied from.
if [ $have_rpm = 1 ]; then
    rpm --dbpath "$REF/ndb-source" -qa --qf "$QF" 2>/dev/null | sort >"$T_TMP/ndb.rpm"
    same "ndb: same inventory as rpm -qa on the rpmdb its headers came from" "$T_TMP/ndb.rpm" "$T_TMP/ndb.brig"
else
    same "ndb: same inventory as rpm -qa listed when the fixture was built (rpm not installed now)" "$REF/ndb.rpm-qa" "$T_TMP/ndb.brig"
fi

# ---- SBOMs carry them ----
export SOURCE_DATE_EPOCH=1700000000
check "bdb: CycloneDX SBOM lists the three rpm purls" bash -c "'$BRIG' sbom -f cyclonedx '$BDB' | jq -e '[.components[] | .purl // \"\" | select(startswith(\"pkg:rpm/centos/\"))] | length == 3'"
check "bdb: SPDX SBOM names openssl-libs with its version" bash -c "'$BRIG' sbom -f spdx-json '$BDB' | jq -e '[.packages[] | select(.name == \"openssl-libs\" and .versionInfo == \"1:1.0.2k-19.el7\")] | length == 1'"
check "ndb: CycloneDX SBOM lists the three rpm purls" bash -c "'$BRIG' sbom -f cyclonedx '$NDB' | jq -e '[.components[] | .purl // \"\" | select(startswith(\"pkg:rpm/opensuse-leap/\"))] | length == 3'"

# ---- librpm missing: loud warning naming the package to install, scan goes on ----
BRIG_LIBRPM=/nonexistent/librpm.so.9 "$BRIG" scan --list-packages -f json "$BDB" >"$T_TMP/nolib.json" 2>"$T_TMP/nolib.err"; rc=$?
check "no librpm: exit 0, warning names the file, librpm9 and NOT inventoried" \
    bash -c "[ $rc -eq 0 ] && grep -q 'var/lib/rpm/Packages:.*librpm9.*NOT inventoried' '$T_TMP/nolib.err'"
check "no librpm: the JSON report has the warning and no rpm package" \
    jq -e '(.warnings | length == 1) and (.warnings[0] | test("librpm9")) and ([.packages[] | select(.type == "rpm")] | length == 0)' "$T_TMP/nolib.json"
check "no librpm: an ndb database does not need it" bash -c "BRIG_LIBRPM=/nonexistent/librpm.so.9 '$BRIG' scan --list-packages -f json '$NDB' | jq -e '(.packages | length == 3) and (.warnings | length == 0)'"

# ---- damaged databases: exit 3 naming the file, no crash, nothing left behind ----
R=$T_TMP/bad
mkroot() { rm -rf "$R"; mkdir -p "$R/var/lib/rpm" "$R/usr/lib/sysimage/rpm"; }
mkroot; printf 'not a database' >"$R/var/lib/rpm/Packages"
check_fails "bdb: not a Berkeley DB file" 3 "var/lib/rpm/Packages: not a Berkeley DB database" "$BRIG" scan --list-packages "dir:$R"
mkroot; head -c 16384 "$REF/bdb/Packages" >"$R/var/lib/rpm/Packages"
check_fails "bdb: truncated Packages" 3 "var/lib/rpm/Packages: damaged or truncated Berkeley DB" "$BRIG" scan --list-packages "dir:$R"
mkroot; cp "$REF/bdb/Packages" "$R/var/lib/rpm/Packages"
head -c 4096 /dev/zero | dd of="$R/var/lib/rpm/Packages" bs=4096 seek=2 conv=notrunc 2>/dev/null
check_fails "bdb: a zeroed page" 3 "var/lib/rpm/Packages: damaged" "$BRIG" scan --list-packages "dir:$R"
# bdb_ro never returns on a zero-length overflow page that links to itself:
# librpm runs in a child with a deadline (10 s for a small database).
mkroot; cp "$REF/bdb/Packages" "$R/var/lib/rpm/Packages"
python3 - "$R/var/lib/rpm/Packages" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
ps = struct.unpack_from('<I', d, 20)[0]
pg = next(i for i in range(len(d) // ps) if d[i * ps + 25] == 7 and struct.unpack_from('<I', d, i * ps + 16)[0])
struct.pack_into('<I', d, pg * ps + 16, pg)      # next_pgno = itself
struct.pack_into('<H', d, pg * ps + 22, 0)       # OV_LEN = 0
open(sys.argv[1], 'wb').write(d)
PY
check_fails "bdb: a self-linked empty overflow page ends at the deadline, not never" 3 \
    "var/lib/rpm/Packages: librpm did not finish reading" timeout 120 "$BRIG" scan --list-packages "dir:$R"
check "bdb: the killed librpm reader left no process behind" bash -c "! pgrep -f 'brig scan --list-packages [d]ir:$R' >/dev/null"
check "bdb: no private copy left after the failures" no_leftovers

"$BRIG" extract "$NDB" "$T_TMP/ndb-root" >/dev/null 2>&1
PDB=$T_TMP/ndb-root/usr/lib/sysimage/rpm/Packages.db
check "ndb: extracted Packages.db" test -s "$PDB"
mkroot; head -c 5000 "$PDB" >"$R/usr/lib/sysimage/rpm/Packages.db"
check_fails "ndb: truncated Packages.db" 3 "usr/lib/sysimage/rpm/Packages.db: .*truncated" "$BRIG" scan --list-packages "dir:$R"
mkroot; head -c 4096 "$PDB" >"$R/usr/lib/sysimage/rpm/Packages.db"
check_fails "ndb: slot pages only (blobs cut off)" 3 "Packages.db: .*points outside the file" "$BRIG" scan --list-packages "dir:$R"
mkroot; cp "$PDB" "$R/usr/lib/sysimage/rpm/Packages.db"
printf 'X' | dd of="$R/usr/lib/sysimage/rpm/Packages.db" bs=1 seek=4200 conv=notrunc 2>/dev/null
check_fails "ndb: a changed byte in a header blob fails its checksum" 3 "Packages.db: offset 4096: package #1: .*checksum" "$BRIG" scan --list-packages "dir:$R"
mkroot; printf 'RpmP\1\0\0\0' >"$R/usr/lib/sysimage/rpm/Packages.db"; head -c 4088 /dev/zero >>"$R/usr/lib/sysimage/rpm/Packages.db"
check_fails "ndb: unknown version" 3 "Packages.db: ndb rpm database version 1" "$BRIG" scan --list-packages "dir:$R"
