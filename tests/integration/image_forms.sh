#!/usr/bin/env bash
# Every image form brig reads must describe the SAME image: `brig inspect
# --format json --files` of the busybox and debian fixtures as oci:DIR, DIR,
# oci-archive:, docker-archive: (plain, .gz, .zst) and dir: must agree on
# digests, config, layers, history and the merged file listing, and that
# listing must equal what `umoci unpack` (an independent implementation of the
# OCI layer semantics) produces.  `brig extract` of each form must produce the
# same tree as umoci: names, types, modes, owners, sizes, link targets, file
# contents (sha256), hardlink groups and file mtimes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fixtures/compare.sh"
need_fixtures
# Brings the sections this test uses up to date (instant when they are).
"$(dirname "$0")/../fixtures/build-images.sh" busybox debian >/dev/null 2>"$T_TMP/fixtures.log" ||
    { not_ok "tests/fixtures/build-images.sh busybox debian failed"; sed 's/^/# /' "$T_TMP/fixtures.log" | tail -20; exit 1; }
F=$FIXTURES
for t in jq umoci sha256sum; do
    command -v "$t" >/dev/null || { not_ok "tool $t is missing (scripts/install-deps.sh)"; exit 1; }
done
for f in busybox-oci busybox.oci.tar busybox.docker.tar busybox.docker.tar.gz busybox.docker25.tar busybox-rootfs busybox.expect.json \
         debian-oci debian.oci.tar debian.docker.tar debian-rootfs; do
    [ -e "$F/$f" ] || { not_ok "fixture $F/$f is missing (run tests/fixtures/build-images.sh)"; exit 1; }
done
W=$T_TMP
trap 'rm -rf "$W"' EXIT

# inspect NAME REF: writes $W/NAME.json; true when brig succeeded with valid JSON.
inspect() {
    local name=$1 ref=$2 rc=0
    "$BRIG" inspect --format json --files "$ref" >"$W/$name.json" 2>"$W/$name.err" || rc=$?
    if [ "$rc" -ne 0 ]; then not_ok "inspect $name ($ref) exit $rc"; head -5 "$W/$name.err" | sed 's/^/# /'; return 1; fi
    if ! jq -e 'type == "object"' "$W/$name.json" >/dev/null 2>&1; then not_ok "inspect $name: output is not a JSON object"; return 1; fi
    ok "inspect $name ($ref)"
}
# jqcheck NAME FILTER FILE [jq args]: FILTER must yield true.
jqcheck() {
    local name=$1 filter=$2 file=$3; shift 3
    if jq -e "$@" "$filter" "$file" >/dev/null 2>"$W/jq.err"; then ok "$name"
    else not_ok "$name"; { cat "$W/jq.err"; jq -c "$@" "$filter" "$file" 2>/dev/null; } | head -5 | sed 's/^/# /'; fi
}
# tree_same NAME DIR REFERENCE_DIR: listing, hardlink groups, contents and mtimes
# agree.  The reference side is listed once and cached (it is reused per form).
tree_same() {
    local n=$1 a=$2 b=$3 r k
    r=$W/ref-$(printf '%s' "$b" | sha256sum | cut -c1-16)
    if [ ! -f "$r.m" ]; then fs_listing "$b" >"$r.l"; fs_groups "$b" >"$r.g"; fs_sums "$b" >"$r.s"; fs_mtimes "$b" >"$r.m"; fi
    fs_listing "$a" >"$W/t.l"; fs_groups "$a" >"$W/t.g"; fs_sums "$a" >"$W/t.s"; fs_mtimes "$a" >"$W/t.m"
    for k in "l:names, types, modes, owners, sizes, links" "g:hardlink groups" "s:file contents (sha256)" "m:file mtimes"; do
        ALLOW_EMPTY=$([ "${k%%:*}" = g ] && echo 1 || echo 0) same "$n: ${k#*:}" "$W/t.${k%%:*}" "$r.${k%%:*}"
    done
}
# extract_same NAME REF REFERENCE_DIR
extract_same() {
    local n=$1 ref=$2 want=$3 rc=0
    rm -rf "$W/x"
    "$BRIG" extract "$ref" "$W/x" >"$W/x.out" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then not_ok "extract $n ($ref) exit $rc"; head -5 "$W/x.out" | sed 's/^/# /'; rm -rf "$W/x"; return; fi
    ok "extract $n ($ref)"
    tree_same "extract $n" "$W/x" "$want"
    rm -rf "$W/x"
}

# ---------------------------------------------------------------- busybox
lay=$F/busybox-oci
mdg=$(jq -r '.manifests[0].digest' "$lay/index.json")
man=$lay/blobs/sha256/${mdg#sha256:}
cdg=$(jq -r '.config.digest' "$man")
cfg=$lay/blobs/sha256/${cdg#sha256:}
jq '{config_digest: .config.digest, layer_digests: [.layers[].digest], media_types: [.layers[].mediaType]}' "$man" >"$W/truth.json"
jq '{diff_ids: .rootfs.diff_ids, created_by: [.history[] | select(.empty_layer != true) | .created_by],
     history: [.history[] | .created_by]}' "$cfg" >"$W/truth-cfg.json"

umoci unpack --image "$lay:latest" "$W/bb-umoci" >/dev/null 2>"$W/umoci.err" || { not_ok "umoci unpack busybox"; cat "$W/umoci.err" | sed 's/^/# /'; }
fs_listing "$W/bb-umoci/rootfs" >"$W/bb-umoci.l"
fs_groups "$W/bb-umoci/rootfs" >"$W/bb-umoci.g"

forms=(
    "oci|oci|oci:$lay:latest"
    "oci-notag|oci|oci:$lay"
    "oci-auto|oci|$lay"
    "oci-archive|oci-archive|oci-archive:$F/busybox.oci.tar"
    "oci-archive-auto|oci-archive|$F/busybox.oci.tar"
    "docker|docker-archive|docker-archive:$F/busybox.docker.tar"
    "docker-ref|docker-archive|docker-archive:$F/busybox.docker.tar:brig/busybox:latest"
    "docker-auto|docker-archive|$F/busybox.docker.tar"
    "docker-gz|docker-archive|docker-archive:$F/busybox.docker.tar.gz"
    "docker-gz-auto|docker-archive|$F/busybox.docker.tar.gz"
)
# Docker >= 25 `docker save`: valid both as docker-archive and as oci-archive.
forms+=("docker25|docker-archive|docker-archive:$F/busybox.docker25.tar"
        "docker25-as-oci|oci-archive|oci-archive:$F/busybox.docker25.tar")
[ -f "$F/busybox.docker.tar.zst" ] && forms+=("docker-zst|docker-archive|docker-archive:$F/busybox.docker.tar.zst")

for spec in "${forms[@]}"; do
    IFS='|' read -r n form ref <<<"$spec"
    inspect "bb-$n" "$ref" || continue
    j=$W/bb-$n.json
    jqcheck "bb-$n: form is $form" '.form == $f' "$j" --arg f "$form"
    jqcheck "bb-$n: config_digest is the layout's config digest" '.config_digest == $t.config_digest' "$j" --argjson t "$(cat "$W/truth.json")"
    jqcheck "bb-$n: diff_ids are the config's rootfs.diff_ids" '[.layers[].diff_id] == $c.diff_ids' "$j" --argjson c "$(cat "$W/truth-cfg.json")"
    jqcheck "bb-$n: layer created_by lines come from the history" '[.layers[].created_by] == $c.created_by' "$j" --argjson c "$(cat "$W/truth-cfg.json")"
    jqcheck "bb-$n: history has every config history line" '[.history[].created_by] == $c.history' "$j" --argjson c "$(cat "$W/truth-cfg.json")"
    case $n:$form in
        docker25*)
            # Layers stored uncompressed here too, under a manifest of its own.
            jqcheck "bb-$n: stored layer digests equal the diff_ids" '[.layers[].digest] == [.layers[].diff_id]' "$j" ;;
        *:oci|*:oci-archive)
            jqcheck "bb-$n: digest is the manifest digest" '.digest == $m' "$j" --arg m "$mdg"
            jqcheck "bb-$n: layer digests, sizes and media types from the manifest" \
                '[.layers[].digest] == $t.layer_digests and [.layers[].media_type] == $t.media_types and ([.layers[].size] | all(. > 0))' \
                "$j" --argjson t "$(cat "$W/truth.json")" ;;
        *:docker-archive)
            # `docker save` stores layers uncompressed: the stored digest is the diff_id.
            jqcheck "bb-$n: stored layer digests equal the diff_ids" '[.layers[].digest] == [.layers[].diff_id]' "$j" ;;
    esac
    if [ "$n" = oci ]; then continue; fi
    [ -s "$W/bb-oci.json" ] || continue
    jq -S '{files, deleted}' "$W/bb-oci.json" >"$W/a.json"; jq -S '{files, deleted}' "$j" >"$W/b.json"
    same "bb-$n: files and deleted identical to the oci: form" "$W/a.json" "$W/b.json"
done

if [ -s "$W/bb-oci.json" ]; then
    j=$W/bb-oci.json
    jqcheck "bb: files sorted by path, relative, no ./ or trailing /" \
        '[.files[].path] as $p | $p == ($p | sort) and ($p | all(startswith("/") or startswith("./") or endswith("/") or . == "" | not))' "$j"
    json_listing "$j" >"$W/bb-oci.l"
    same "bb: merged listing equals umoci unpack" "$W/bb-oci.l" "$W/bb-umoci.l"
    json_groups "$j" >"$W/bb-oci.g"
    same "bb: hardlink groups equal umoci unpack's inodes" "$W/bb-oci.g" "$W/bb-umoci.g"
    exp=$F/busybox.expect.json
    jqcheck "bb: user, workdir, env, entrypoint, cmd, stop_signal as configured" \
        '.user == $e.user and .workdir == $e.workdir and .env == $e.env and .entrypoint == $e.entrypoint
         and .cmd == $e.cmd and .stop_signal == $e.stop_signal' "$j" --argjson e "$(cat "$exp")"
    jqcheck "bb: exposed_ports, volumes, labels as configured" \
        '(.exposed_ports | sort) == ($e.exposed_ports | sort) and .volumes == $e.volumes and .labels == $e.labels' "$j" --argjson e "$(cat "$exp")"
    jqcheck "bb: os/architecture and 3 layers" '.os == $e.os and .architecture == $e.architecture and (.layers | length) == $e.n_layers
        and ([.layers[].index] == [0, 1, 2])' "$j" --argjson e "$(cat "$exp")"
    jqcheck "bb: history marks the config step as empty_layer and maps layers" \
        '[.history[].empty_layer] == [false, false, false, true] and ([.history[0:3][].layer] == [0, 1, 2])' "$j"
    jqcheck "bb: deleted lists each whiteouted/opaqued entry with its layers" \
        '. as $d | $e.deleted | all(. as $w | any($d.deleted[]; .path == $w.path and .layer == $w.layer and .removed_in == $w.removed_in))' \
        "$j" --argjson e "$(cat "$exp")"
    jqcheck "bb: whiteouted entries are not in the merged files" \
        '([.files[].path] - [$e.deleted[].path]) == [.files[].path]' "$j" --argjson e "$(cat "$exp")"
    jqcheck "bb: overwritten etc/app.conf comes from layer 2 with the new size" \
        '[.files[] | select(.path == "etc/app.conf") | [.layer, .size, .type]] == [[2, 12, "file"]]' "$j"
    jqcheck "bb: opaque opt/app holds only layer 2's new.conf" \
        '[.files[] | select(.path | startswith("opt/app/")) | .path] == ["opt/app/new.conf"]' "$j"
    jqcheck "bb: the layer-1 version of etc/app.conf is listed as replaced/deleted" \
        'any(.deleted[]; .path == "etc/app.conf" and .layer == 1 and .removed_in == 2)' "$j"
    jqcheck "bb: setuid, setgid, fifo, symlink, hardlink, owner and long names are right" \
        '(.files | map({key: .path, value: .}) | from_entries) as $f
         | ($f["usr/bin/brig-suid"].mode | test("^0?4755$")) and ($f["usr/bin/brig-sgid"].mode | test("^0?2755$"))
           and $f["usr/share/brig/fifo"].type == "fifo"
           and $f["usr/bin/brig-hello"].type == "symlink" and $f["usr/bin/brig-hello"].link == "../share/brig/hello.sh"
           and $f["usr/share/brig/README.hardlink"].type == "hardlink" and $f["usr/share/brig/README.hardlink"].link == "usr/share/brig/README"
           and $f["bin/sh"].link == "/bin/busybox" and $f["home/app"].uid == 1000 and $f["home/app"].gid == 1000
           and ($f["tmp"].mode | test("^0?1777$")) and $f["usr/share/brig/ünïcödé.txt"].size == 8
           and ([.files[].path | select(length > 100)] | length) >= 1' "$j"
fi

# dir: the plain rootfs must list exactly what is on disk.
fs_listing "$F/busybox-rootfs" >"$W/bb-rootfs.l"
for spec in "dir|dir:$F/busybox-rootfs" "dir-auto|$F/busybox-rootfs"; do
    IFS='|' read -r n ref <<<"$spec"
    inspect "bb-$n" "$ref" || continue
    jqcheck "bb-$n: form is dir" '.form == "dir"' "$W/bb-$n.json"
    json_listing "$W/bb-$n.json" >"$W/bb-$n.l"
    same "bb-$n: listing equals the rootfs on disk" "$W/bb-$n.l" "$W/bb-rootfs.l"
done

check_fails "oci: with an unknown tag: exit 3 naming the tag" 3 "nosuchtag" "$BRIG" inspect "oci:$lay:nosuchtag"
check_fails "oci-archive: with an unknown tag: exit 3 naming the tag" 3 "nosuchtag" "$BRIG" inspect "oci-archive:$F/busybox.oci.tar:nosuchtag"
check_fails "docker-archive: with an unknown ref: exit 3 naming it" 3 "brig/other" "$BRIG" inspect "docker-archive:$F/busybox.docker.tar:brig/other:latest"
check_out "bb: table output names the config digest" "${cdg#sha256:}" "$BRIG" inspect --format table "oci:$lay"
check "bb: inspect --verify succeeds on an intact image" "$BRIG" inspect --verify "oci:$lay"

# Extraction of every form equals umoci unpack (dir: equals the rootfs itself).
extract_same "bb-oci" "oci:$lay" "$W/bb-umoci/rootfs"
extract_same "bb-oci-archive" "oci-archive:$F/busybox.oci.tar" "$W/bb-umoci/rootfs"
extract_same "bb-docker" "docker-archive:$F/busybox.docker.tar" "$W/bb-umoci/rootfs"
extract_same "bb-docker25" "docker-archive:$F/busybox.docker25.tar" "$W/bb-umoci/rootfs"
extract_same "bb-docker-gz" "$F/busybox.docker.tar.gz" "$W/bb-umoci/rootfs"
[ -f "$F/busybox.docker.tar.zst" ] && extract_same "bb-docker-zst" "docker-archive:$F/busybox.docker.tar.zst" "$W/bb-umoci/rootfs"
extract_same "bb-dir" "dir:$F/busybox-rootfs" "$F/busybox-rootfs"

# The extracted tree is a working root: its absolute applet symlinks resolve
# inside it and it sees layer 2's files, not the deleted or replaced ones.
rm -rf "$W/x"
if [ "$(id -u)" -ne 0 ]; then
    skip "extracted busybox runs in a chroot (needs root)"
elif "$BRIG" extract "docker-archive:$F/busybox.docker.tar" "$W/x" >"$W/x.out" 2>&1; then
    check_out "extracted busybox runs in a chroot and sees the merged files" '^mode=layer2 replaced=yes gone$' \
        chroot "$W/x" /bin/sh -c 'echo $(cat /etc/app.conf /opt/app/new.conf) $(test -e /etc/motd || echo gone)'
else
    not_ok "extract docker-archive busybox for the chroot check"; head -5 "$W/x.out" | sed 's/^/# /'
fi
rm -rf "$W/x"

# --no-owner: everything belongs to the extracting user, content unchanged.
rm -rf "$W/x"
if "$BRIG" extract --no-owner "oci:$lay" "$W/x" >"$W/x.out" 2>&1; then
    n=$(find "$W/x" -mindepth 1 \( ! -uid "$(id -u)" -o ! -gid "$(id -g)" \) | wc -l)
    if [ "$n" -eq 0 ]; then ok "extract --no-owner: every entry owned by the caller"; else not_ok "extract --no-owner: $n entries keep image owners"; fi
    fs_sums "$W/x" >"$W/no.s"; fs_sums "$W/bb-umoci/rootfs" >"$W/um.s"; same "extract --no-owner: same contents" "$W/no.s" "$W/um.s"
else
    not_ok "extract --no-owner oci:busybox"; head -5 "$W/x.out" | sed 's/^/# /'
fi
rm -rf "$W/x"
# DEST must be empty or absent.
mkdir -p "$W/full" && echo keep >"$W/full/keep"
rc=0; out=$("$BRIG" extract "oci:$lay" "$W/full" 2>&1) || rc=$?
if [ "$rc" -ne 0 ] && printf '%s' "$out" | grep -qF "$W/full"; then ok "extract refuses a non-empty DEST, naming it (exit $rc)"
else not_ok "extract into a non-empty DEST: exit $rc, want non-zero with the path"; printf '%s\n' "$out" | head -5 | sed 's/^/# /'; fi
check "extract into non-empty DEST did not touch it" test "$(ls -A "$W/full")" = keep
rm -rf "$W/bb-umoci"

# ---------------------------------------------------------------- debian
lay=$F/debian-oci
mdg=$(jq -r '.manifests[0].digest' "$lay/index.json")
man=$lay/blobs/sha256/${mdg#sha256:}
cdg=$(jq -r '.config.digest' "$man")
cfg=$lay/blobs/sha256/${cdg#sha256:}
umoci unpack --image "$lay:latest" "$W/deb-umoci" >/dev/null 2>"$W/umoci.err" || { not_ok "umoci unpack debian"; sed 's/^/# /' "$W/umoci.err"; }
fs_listing "$W/deb-umoci/rootfs" >"$W/deb-umoci.l"
fs_groups "$W/deb-umoci/rootfs" >"$W/deb-umoci.g"
diffids=$(jq -c '.rootfs.diff_ids' "$cfg")
for spec in "oci|oci|oci:$lay:latest" "oci-auto|oci|$lay" "oci-archive|oci-archive|oci-archive:$F/debian.oci.tar" \
            "docker|docker-archive|docker-archive:$F/debian.docker.tar" "docker-auto|docker-archive|$F/debian.docker.tar"; do
    IFS='|' read -r n form ref <<<"$spec"
    inspect "deb-$n" "$ref" || continue
    j=$W/deb-$n.json
    jqcheck "deb-$n: form is $form" '.form == $f' "$j" --arg f "$form"
    jqcheck "deb-$n: config_digest and diff_ids match the layout" \
        '.config_digest == $c and [.layers[].diff_id] == $d and (.layers | length) == 2' "$j" --arg c "$cdg" --argjson d "$diffids"
    jqcheck "deb-$n: cmd, env and labels as configured" \
        '.cmd == ["bash"] and (.env | index("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")) != null
         and .labels["org.opencontainers.image.title"] == "brig-debian" and .entrypoint == null and (.user // "") == ""' "$j"
    if [ "$n" = oci ]; then
        json_listing "$j" >"$W/deb-oci.l"
        same "deb-oci: merged listing equals umoci unpack" "$W/deb-oci.l" "$W/deb-umoci.l"
        json_groups "$j" >"$W/deb-oci.g"
        same "deb-oci: hardlink groups equal umoci unpack's inodes" "$W/deb-oci.g" "$W/deb-umoci.g"
        jqcheck "deb-oci: dpkg status and the usr-merge symlinks are present" \
            'any(.files[]; .path == "var/lib/dpkg/status" and .type == "file" and .size > 10000)
             and any(.files[]; .path == "bin" and .type == "symlink" and .link == "usr/bin")' "$j"
        jqcheck "deb-oci: etc/passwd replaced by layer 1, layer-0 copy listed as replaced" \
            'any(.files[]; .path == "etc/passwd" and .layer == 1) and any(.deleted[]; .path == "etc/passwd" and .layer == 0 and .removed_in == 1)' "$j"
    elif [ -s "$W/deb-oci.json" ]; then
        jq -S '{files, deleted}' "$W/deb-oci.json" >"$W/a.json"; jq -S '{files, deleted}' "$j" >"$W/b.json"
        same "deb-$n: files and deleted identical to the oci: form" "$W/a.json" "$W/b.json"
    fi
    rm -f "$W/a.json" "$W/b.json"
done
fs_listing "$F/debian-rootfs" >"$W/deb-rootfs.l"
if inspect "deb-dir" "dir:$F/debian-rootfs"; then
    json_listing "$W/deb-dir.json" >"$W/deb-dir.l"
    same "deb-dir: listing equals the rootfs on disk" "$W/deb-dir.l" "$W/deb-rootfs.l"
fi
extract_same "deb-oci" "oci:$lay" "$W/deb-umoci/rootfs"
extract_same "deb-oci-archive" "oci-archive:$F/debian.oci.tar" "$W/deb-umoci/rootfs"
extract_same "deb-docker" "docker-archive:$F/debian.docker.tar" "$W/deb-umoci/rootfs"
extract_same "deb-dir" "dir:$F/debian-rootfs" "$F/debian-rootfs"
