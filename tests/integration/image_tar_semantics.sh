#!/usr/bin/env bash
# Layer tar semantics brig must ACCEPT, checked against independent readers
# (fixtures: hostile/benign/ from tests/fixtures/make-hostile.py):
#  - dup-entry: non-directories named twice (and three times) in one layer, as
#    Kaniko and some buildah builds write them.  The later entry wins: `brig
#    inspect --files` and `brig extract` must give the tree `umoci unpack` gives
#    (names, types, modes, owners, sizes, links, contents, mtimes), and applying
#    the layers with GNU `tar -x` one after another must give it too.  The
#    replaced copies are listed as deleted entries replaced by their own layer,
#    and the secret scanner still reports the secret in a replaced copy.
#  - xattr: PAX SCHILY.xattr.* records.  `brig extract` restores user.* (and
#    trusted.* as root with owners), never security.selinux or
#    trusted.overlay.*; umoci (as root) restores the same set.  Needs user
#    xattrs on the filesystem of $BRIG_TEST_TMP (checked; skipped otherwise).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fixtures/compare.sh"
need_fixtures
"$(dirname "$0")/../fixtures/build-images.sh" hostile >/dev/null 2>"$T_TMP/fixtures.log" ||
    { not_ok "tests/fixtures/build-images.sh hostile failed"; sed 's/^/# /' "$T_TMP/fixtures.log" | tail -20; exit 1; }
B=$FIXTURES/hostile/benign
for t in jq umoci tar sha256sum; do
    command -v "$t" >/dev/null || { not_ok "tool $t is missing (scripts/install-deps.sh)"; exit 1; }
done
for f in dup-entry dup-entry.docker.tar xattr; do
    [ -e "$B/$f" ] || { not_ok "fixture $B/$f is missing (run tests/fixtures/build-images.sh hostile)"; exit 1; }
done
W=$T_TMP
trap 'rm -rf "$W"' EXIT

# jqcheck NAME FILTER FILE: FILTER must yield true.
jqcheck() {
    local name=$1 filter=$2 file=$3
    if jq -e "$filter" "$file" >/dev/null 2>"$W/jq.err"; then ok "$name"
    else not_ok "$name"; { cat "$W/jq.err"; jq -c . "$file"; } | head -c 1500 | sed 's/^/# /'; echo; fi
}

# ---------------------------------------------------------------- dup-entry
umoci unpack --image "$B/dup-entry:latest" "$W/umoci" >/dev/null 2>"$W/umoci.err" ||
    { not_ok "umoci unpack dup-entry"; sed 's/^/# /' "$W/umoci.err" | head; exit 1; }
R=$W/umoci/rootfs
fs_listing "$R" >"$W/ref.l"; fs_sums "$R" >"$W/ref.s"; fs_mtimes "$R" >"$W/ref.m"
grep -q "^etc/motd	file	644	0	0	15	$" "$W/ref.l" && grep -q "^bin/tool	file	755" "$W/ref.l" &&
    grep -q "^lib/libx.so.1	symlink	777	0	0	0	libx.so.1.2$" "$W/ref.l" &&
    ok "umoci applies the later entry of a layer (the reference is what this test expects)" ||
    { not_ok "umoci's tree is not the later-entry-wins tree"; sed 's/^/# /' "$W/ref.l"; }

# GNU tar, layer after layer, is a second reference for the same semantics.
mkdir -p "$W/tar"
mdg=$(jq -r '.manifests[0].digest' "$B/dup-entry/index.json")
for l in $(jq -r '.layers[].digest' "$B/dup-entry/blobs/sha256/${mdg#sha256:}"); do
    tar -x --numeric-owner -C "$W/tar" -f "$B/dup-entry/blobs/sha256/${l#sha256:}" 2>>"$W/tar.err" || echo "tar -x $l failed" >>"$W/tar.err"
done
[ ! -s "$W/tar.err" ] || { not_ok "tar -x of the dup-entry layers"; sed 's/^/# /' "$W/tar.err" | head; }
fs_listing "$W/tar" >"$W/tar.l"; fs_sums "$W/tar" >"$W/tar.s"
same "tar -x layer by layer gives umoci's tree" "$W/tar.l" "$W/ref.l"
same "tar -x layer by layer gives umoci's contents" "$W/tar.s" "$W/ref.s"

for ref in "oci:$B/dup-entry" "docker-archive:$B/dup-entry.docker.tar"; do
    n=${ref%%:*}
    if "$BRIG" inspect --format json --files "$ref" >"$W/$n.json" 2>"$W/$n.err"; then ok "inspect --files accepts $n dup-entry"
    else not_ok "inspect --files $n dup-entry"; sed 's/^/# /' "$W/$n.err" | head -5; continue; fi
    json_listing "$W/$n.json" >"$W/$n.l"
    same "$n dup-entry: merged view = umoci unpack" "$W/$n.l" "$W/ref.l"
    # Replaced copies: two earlier motd + app.conf + hostname + bin/tool symlink +
    # lib/libx.so.1 file in layer 0 replaced by layer 0; layer 0's last motd and
    # layer 1's first issue replaced by layer 1.
    jqcheck "$n dup-entry: same-layer replacements listed as deleted by their own layer" '
        [.deleted[] | select(.layer == .removed_in) | "\(.layer) \(.path) \(.type)"] | sort ==
        ["0 bin/tool symlink", "0 etc/app.conf file", "0 etc/hostname file", "0 etc/motd file", "0 etc/motd file",
         "0 lib/libx.so.1 file", "1 etc/issue file"]' "$W/$n.json"
    jqcheck "$n dup-entry: cross-layer replacement kept" \
        '[.deleted[] | select(.layer == 0 and .removed_in == 1) | .path] == ["etc/motd"]' "$W/$n.json"
    rm -rf "$W/x"
    if "$BRIG" extract "$ref" "$W/x" >"$W/x.out" 2>&1; then
        ok "extract $n dup-entry"
        fs_listing "$W/x" >"$W/x.l"; fs_sums "$W/x" >"$W/x.s"; fs_mtimes "$W/x" >"$W/x.m"
        same "extract $n dup-entry: tree = umoci unpack" "$W/x.l" "$W/ref.l"
        same "extract $n dup-entry: contents = umoci unpack" "$W/x.s" "$W/ref.s"
        same "extract $n dup-entry: mtimes = umoci unpack" "$W/x.m" "$W/ref.m"
    else
        not_ok "extract $n dup-entry"; sed 's/^/# /' "$W/x.out" | head -5
    fi
    rm -rf "$W/x"
done

# The secret lives only in the replaced copy of etc/app.conf: reported, as replaced by its own layer.
if "$BRIG" scan --scanners secret --format json "oci:$B/dup-entry" >"$W/sec.json" 2>"$W/sec.err"; then
    jqcheck "secret in a replaced same-layer copy is reported as replaced by layer 0" '
        [.secrets[] | select(.path == "etc/app.conf")] | length == 1 and
        (.[0] | .state == "replaced" and .layer == 0 and .removed_in == 0 and .rule_id == "github-pat")' "$W/sec.json"
else
    not_ok "scan --scanners secret dup-entry"; sed 's/^/# /' "$W/sec.err" | head -5
fi
if "$BRIG" scan --scanners secret --secret-skip-deleted --format json "oci:$B/dup-entry" >"$W/sec2.json" 2>"$W/sec2.err"; then
    jqcheck "--secret-skip-deleted skips the replaced copy (the visible app.conf has no secret)" '.secrets | length == 0' "$W/sec2.json"
else
    not_ok "scan --secret-skip-deleted dup-entry"; sed 's/^/# /' "$W/sec2.err" | head -5
fi

# ---------------------------------------------------------------- xattr
probe=$W/xattr-probe
: >"$probe"
if ! command -v setfattr >/dev/null || ! command -v getfattr >/dev/null; then
    not_ok "getfattr/setfattr missing (Debian package attr; scripts/install-deps.sh)"
elif ! setfattr -n user.brig.probe -v 1 "$probe" 2>/dev/null; then
    skip "xattr: the filesystem of $W does not support user.* extended attributes"
else
    # xattrs PATH: "name=value" lines of every extended attribute (all namespaces)
    xattrs() { getfattr --absolute-names -d -m - -e text "$1" 2>/dev/null | grep -v '^#' | grep . | LC_ALL=C sort; }
    rm -rf "$W/xa"
    if "$BRIG" extract "oci:$B/xattr" "$W/xa" >"$W/xa.out" 2>&1; then
        ok "extract xattr"
        want_file='user.brig.second="2"
user.brig="hello"'
        want_dir='user.dir="d"'
        if [ "$(id -u)" -eq 0 ]; then want_file='trusted.brig="root-only"
'"$want_file"; fi
        [ "$(xattrs "$W/xa/etc/xattr-file")" = "$want_file" ] && ok "file: user.* restored$([ "$(id -u)" -eq 0 ] && echo ', trusted.* as root'), security.selinux not" ||
            { not_ok "file xattrs"; xattrs "$W/xa/etc/xattr-file" | sed 's/^/# /'; }
        [ "$(xattrs "$W/xa/xdir")" = "$want_dir" ] && ok "directory: user.* restored, trusted.overlay.* not" ||
            { not_ok "directory xattrs"; xattrs "$W/xa/xdir" | sed 's/^/# /'; }
        [ -z "$(xattrs "$W/xa/xdir/plain")" ] && ok "a file without xattrs has none" || not_ok "xdir/plain has xattrs"
        [ "$(stat -c %a "$W/xa/xdir")" = 755 ] && ok "directory mode applied after its xattrs" || not_ok "xdir mode $(stat -c %a "$W/xa/xdir")"
        if [ "$(id -u)" -eq 0 ]; then
            rm -rf "$W/umx"
            umoci unpack --image "$B/xattr:latest" "$W/umx" >/dev/null 2>&1 || not_ok "umoci unpack xattr"
            for p in etc/xattr-file xdir xdir/plain; do
                xattrs "$W/xa/$p" >"$W/xa.got"; xattrs "$W/umx/rootfs/$p" >"$W/xa.want"
                ALLOW_EMPTY=1 same "xattrs of /$p = umoci unpack (as root)" "$W/xa.got" "$W/xa.want"
            done
        fi
    else
        not_ok "extract xattr"; sed 's/^/# /' "$W/xa.out" | head -5
    fi
    rm -rf "$W/xa"
    if "$BRIG" extract --no-owner "oci:$B/xattr" "$W/xa" >"$W/xa.out" 2>&1; then
        [ "$(xattrs "$W/xa/etc/xattr-file")" = 'user.brig.second="2"
user.brig="hello"' ] && ok "--no-owner: user.* only (no trusted.*)" || { not_ok "--no-owner xattrs"; xattrs "$W/xa/etc/xattr-file" | sed 's/^/# /'; }
    else
        not_ok "extract --no-owner xattr"; sed 's/^/# /' "$W/xa.out" | head -5
    fi
fi
