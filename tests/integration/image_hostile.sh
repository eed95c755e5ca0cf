#!/usr/bin/env bash
# Hostile images (tests/fixtures/make-hostile.py, described in hostile/cases.json)
# must be refused by `brig inspect --files` (when the layer walk meets the
# attack) and by `brig extract`, with the documented exit code (3 malformed,
# 4 integrity, 5 unsafe) and a message naming the offending entry or blob.
# After every attempt NOTHING may exist outside DEST: the canaries under /tmp
# stay absent/unchanged, DEST's parents hold exactly what they held before,
# /etc/shadow keeps its link count, and the partially extracted DEST is gone.
. "$(dirname "$0")/../lib.sh"
need_fixtures
# Brings the sections this test uses up to date (instant when they are).
"$(dirname "$0")/../fixtures/build-images.sh" hostile >/dev/null 2>"$T_TMP/fixtures.log" ||
    { not_ok "tests/fixtures/build-images.sh hostile failed"; sed 's/^/# /' "$T_TMP/fixtures.log" | tail -20; exit 1; }
H=$FIXTURES/hostile
command -v jq >/dev/null || { not_ok "jq is missing (scripts/install-deps.sh)"; exit 1; }
[ -f "$H/cases.json" ] || { not_ok "fixture $H/cases.json is missing (run tests/fixtures/build-images.sh)"; exit 1; }
W=$T_TMP
# The canaries live at fixed /tmp paths (the hostile images name them), so two
# runs at once (release + ASan, two engineers) would trip each other: serialise.
exec 8>/tmp/brig-escape.lock
flock 8
trap 'rm -rf "$W" /tmp/brig-escape-abs /tmp/brig-escape-dir /tmp/brig-escape-hl-canary' EXIT

shadow_state() { stat -c '%h %i %s %Y' /etc/shadow; }
shadow0=$(shadow_state)

setup_canaries() {
    rm -rf /tmp/brig-escape-abs /tmp/brig-escape-dir /tmp/brig-escape-hl-canary
    mkdir -p /tmp/brig-escape-dir                       # exists, so a write through the symlink would succeed
    echo keep >/tmp/brig-escape-dir/keep                # and a whiteout through it would have a victim
    echo original >/tmp/brig-escape-hl-canary
}
# canaries_intact NAME BASE: everything outside DEST is as before.
canaries_intact() {
    local name=$1 base=$2 bad=()
    [ ! -e /tmp/brig-escape-abs ] || bad+=("/tmp/brig-escape-abs was created")
    [ "$(ls -A /tmp/brig-escape-dir 2>/dev/null)" = keep ] && [ "$(cat /tmp/brig-escape-dir/keep)" = keep ] ||
        bad+=("/tmp/brig-escape-dir/ now holds: $(ls -A /tmp/brig-escape-dir 2>/dev/null | tr '\n' ' ')")
    [ "$(cat /tmp/brig-escape-hl-canary 2>/dev/null)" = original ] || bad+=("/tmp/brig-escape-hl-canary content changed")
    [ "$(stat -c %h /tmp/brig-escape-hl-canary 2>/dev/null)" = 1 ] || bad+=("/tmp/brig-escape-hl-canary gained a hardlink")
    [ "$(shadow_state)" = "$shadow0" ] || bad+=("/etc/shadow changed or gained a hardlink")
    [ "$(stat -c %h "$base/x/outside")" = 1 ] && [ "$(cat "$base/x/outside")" = outside ] || bad+=("$base/x/outside touched")
    (cd "$base" && find . -printf '%p %y %s %n\n' | LC_ALL=C sort) >"$base.after"
    cmp -s "$base.before" "$base.after" || bad+=("tree around DEST changed: $(diff "$base.before" "$base.after" | grep '^[<>]' | head -3 | tr '\n' ' ')")
    if [ ${#bad[@]} -eq 0 ]; then ok "$name: nothing written outside DEST, DEST removed"
    else not_ok "$name: ${bad[*]}"; fi
}
# refused NAME RCS PATTERN CMD...: CMD exits with one of RCS (space-separated)
# within the time limit and its message matches PATTERN.
refused() {
    local name=$1 rcs=$2 pat=$3 out rc=0; shift 3
    out=$(timeout 300 "$@" 2>&1) || rc=$?
    if [[ " $rcs " == *" $rc "* ]] && printf '%s\n' "$out" | grep -qE -- "$pat"; then ok "$name (exit $rc)"
    else not_ok "$name (exit $rc, want ${rcs// / or }; pattern '$pat')"; printf '%s\n' "$out" | head -8 | sed 's/^/# /'; fi
}

n=$(jq length "$H/cases.json")
[ "$n" -ge 20 ] && ok "cases.json lists $n hostile images" || not_ok "cases.json lists only $n hostile images"
for i in $(seq 0 $((n - 1))); do
    c=$(jq -c ".[$i]" "$H/cases.json")
    name=$(jq -r .name <<<"$c"); ref=$(jq -r .ref <<<"$c"); pat=$(jq -r .pattern <<<"$c")
    rcs=$(jq -r '.rc | map(tostring) | join(" ")' <<<"$c"); walk=$(jq -r .walk <<<"$c")
    mapfile -t xargs < <(jq -r '.extract_args[]' <<<"$c")
    # oci:NAME -> oci:$H/NAME (refs in cases.json are relative to the hostile dir)
    ref="${ref%%:*}:$H/${ref#*:}"
    base=$W/$name; mkdir -p "$base/x/y"; echo outside >"$base/x/outside"
    dest=$base/x/y/dest
    setup_canaries
    (cd "$base" && find . -printf '%p %y %s %n\n' | LC_ALL=C sort) >"$base.before"

    if [ "$walk" = true ]; then
        refused "$name: inspect --files refuses" "$rcs" "$pat" "$BRIG" inspect --format json --files "$ref"
    elif [[ " $rcs " == *" 3 "* ]] && [ "$name" = digest-traversal ]; then
        refused "$name: inspect refuses" "$rcs" "$pat" "$BRIG" inspect "$ref"
    else
        # Only a limit given on the extract command line makes this one hostile.
        check "$name: inspect --files accepts it under default limits" "$BRIG" inspect --format json --files "$ref"
    fi
    # Run from inside the tree so a cwd-relative write would also be seen.
    refused "$name: extract refuses" "$rcs" "$pat" env -C "$base/x/y" "$BRIG" extract "${xargs[@]}" "$ref" "$dest"
    canaries_intact "$name" "$base"
    rm -rf "$base" "$base.before" "$base.after"
done

# Integrity is also checked by --verify without listing files.
refused "bad-digest: inspect --verify names the blob" "4" "$(jq -r '.[] | select(.name == "bad-digest") | .pattern' "$H/cases.json")" \
    "$BRIG" inspect --verify "oci:$H/bad-digest"
refused "bad-diffid: inspect --verify names the layer" "4" "$(jq -r '.[] | select(.name == "bad-diffid") | .pattern' "$H/cases.json")" \
    "$BRIG" inspect --verify "oci:$H/bad-diffid"
# The limits are what refused many-entries/small-bomb: without them they extract.
rm -rf "$W/ok"
if "$BRIG" extract "oci:$H/many-entries" "$W/ok" >"$W/ok.out" 2>&1; then
    cnt=$(find "$W/ok" -mindepth 1 | wc -l)
    [ "$cnt" -eq 5051 ] && ok "many-entries: extracts all 5051 entries without --max-entries" || not_ok "many-entries: extracted $cnt entries, want 5051"
else
    not_ok "many-entries: extract without --max-entries failed"; head -5 "$W/ok.out" | sed 's/^/# /'
fi
rm -rf "$W/ok"
check "small-bomb: extracts without --max-size (256 MiB of real data)" "$BRIG" extract "oci:$H/small-bomb" "$W/ok"
rm -rf "$W/ok"
