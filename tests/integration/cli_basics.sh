#!/usr/bin/env bash
# The command-line contract every user meets first: help and version, exit 2
# with a clear message for unknown commands/flags and missing arguments, exit 3
# naming the path for a missing image, and a --help for every command that is
# in the build (exit 7 with a message for one that is not).
. "$(dirname "$0")/../lib.sh"
W=$T_TMP
trap 'rm -rf "$W"' EXIT

check_out "brig --help prints usage" '^Usage: brig' "$BRIG" --help
check_out "brig -h lists the inspect command" '^  inspect ' "$BRIG" -h
check_out "brig --help documents exit codes" '^Exit codes:' "$BRIG" --help
check_out "brig --help goes to stdout" 'Usage: brig' sh -c '"$0" --help 2>/dev/null' "$BRIG"
ver=$(cat "$(dirname "$0")/../../VERSION" 2>/dev/null || echo x)
check_out "brig --version prints the VERSION file" "^brig version ${ver//./\\.}\$" "$BRIG" --version
check_out "brig -v prints the version" '^brig version [0-9]+\.[0-9]+' "$BRIG" -v
check_out "brig version (command form)" '^brig version [0-9]+\.[0-9]+' "$BRIG" version
check_fails "no command: exit 2 with usage" 2 'Usage: brig' "$BRIG"
check_fails "unknown command: exit 2 naming it" 2 "unknown command 'frobnicate'" "$BRIG" frobnicate
check_fails "unknown global flag: exit 2 naming it" 2 "unknown global flag '--frob'" "$BRIG" --frob inspect x

# inspect / extract: help, usage errors, missing input.
check_out "brig inspect --help documents its options" '--format' "$BRIG" inspect --help
for o in --files --verify table json '[Ee]xit (codes|status)'; do
    check_out "brig inspect --help mentions $o" "$o" "$BRIG" inspect --help
done
check_out "brig help inspect = brig inspect --help" '--files' "$BRIG" help inspect
check_out "brig extract --help documents its options" '--max-size' "$BRIG" extract --help
for o in --max-entries --no-owner DEST '[Ee]xit (codes|status)'; do
    check_out "brig extract --help mentions $o" "$o" "$BRIG" extract --help
done
check_fails "inspect unknown flag: exit 2 naming it" 2 "frob" "$BRIG" inspect --frob x
check_fails "inspect without IMAGE: exit 2" 2 "inspect" "$BRIG" inspect
check_fails "inspect --format xml: exit 2" 2 "xml" "$BRIG" inspect --format xml "$W"
check_fails "extract without DEST: exit 2" 2 "extract" "$BRIG" extract "dir:$W"
check_fails "extract --max-size not a number: exit 2" 2 "max-size|abc" "$BRIG" extract --max-size abc "dir:$W" "$W/d"
check_fails "inspect missing path: exit 3 naming it" 3 "$W/no/such/image" "$BRIG" inspect "$W/no/such/image"
check_fails "inspect missing oci: dir: exit 3 naming it" 3 "$W/nope-oci" "$BRIG" inspect "oci:$W/nope-oci"
check_fails "inspect missing oci-archive: exit 3 naming it" 3 "$W/nope.tar" "$BRIG" inspect "oci-archive:$W/nope.tar"
check_fails "inspect missing docker-archive: exit 3 naming it" 3 "$W/nope.tar" "$BRIG" inspect "docker-archive:$W/nope.tar"
check_fails "extract missing image: exit 3 naming it" 3 "$W/gone" "$BRIG" extract "$W/gone" "$W/dest"
check "a failed extract created no DEST" test ! -e "$W/dest"
printf 'not an image\n' >"$W/junk.tar"
check_fails "inspect junk file: exit 3 naming it" 3 "$W/junk.tar" "$BRIG" inspect "$W/junk.tar"
mkdir -p "$W/empty-oci" && echo '{' >"$W/empty-oci/index.json" && echo '{"imageLayoutVersion":"1.0.0"}' >"$W/empty-oci/oci-layout"
check_fails "inspect truncated index.json: exit 3 naming the file" 3 "index.json" "$BRIG" inspect "oci:$W/empty-oci"
check_fails "inspect docker-daemon: transport: exit 7 (not in this build) naming it" 7 "docker-daemon" "$BRIG" inspect "docker-daemon:busybox:latest"

# Closed standard descriptors: brig puts /dev/null there first, so the files it
# opens can never become its stdout (a report written into an output file or layer).
check "all three standard fds closed: brig --version exits 0" sh -c '"$0" --version <&- >&- 2>&-' "$BRIG"
check "stdout closed: brig puts /dev/null on fd 1 itself" \
    sh -c 'ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -e trace=openat -o "$1" "$0" --version >&- && grep -qF "\"/dev/null\", O_WRONLY) = 1" "$1"' "$BRIG" "$W/strace.out"

# Every listed command answers --help (exit 0, a usage line) or, when it is not
# in this build, says so with exit 7 -- never a silent stub.
mapfile -t cmds < <("$BRIG" --help | awk '/^  [a-z]+ +/ && !/^  (oci|docker-archive|dir|PATH)/ {print $1}' | grep -vE '^-' | sort -u)
[ ${#cmds[@]} -ge 20 ] && ok "brig --help lists ${#cmds[@]} commands" || not_ok "brig --help lists only ${#cmds[@]} commands"
for c in "${cmds[@]}"; do
    if "$BRIG" --help | grep -qE "^  $c .*\[not in this build\]"; then
        check_fails "brig $c (not in this build): exit 7 saying so" 7 "not available" "$BRIG" "$c" --help
    else
        check_out "brig $c --help: exit 0 with a usage line" '[Uu]sage' "$BRIG" "$c" --help
    fi
done
