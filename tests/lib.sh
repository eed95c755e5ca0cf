# Helpers for integration scripts. Each check prints "ok - NAME" or
# "not ok - NAME" (TAP-like) and the runner counts them.
# Usage in a script:   . "$(dirname "$0")/../lib.sh"
set -u
BRIG=${BRIG:-$(pwd)/brig}
T_TMP=${BRIG_TEST_TMP:-/tmp}/$(basename "${0%.sh}").$$
mkdir -p "$T_TMP"
FIXTURES=${BRIG_FIXTURES:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/fixtures/out}
_t_n=0

ok()      { _t_n=$((_t_n + 1)); echo "ok $_t_n - $*"; }
not_ok()  { _t_n=$((_t_n + 1)); echo "not ok $_t_n - $*"; }
skip()    { _t_n=$((_t_n + 1)); echo "ok $_t_n - $* # SKIP"; }
# check NAME CMD...: passes when CMD exits 0; on failure shows its output.
check() {
    local name=$1; shift
    local out
    if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name"; printf '%s\n' "$out" | head -20 | sed 's/^/# /'; fi
}
# check_fails NAME EXPECTED_RC PATTERN CMD...: CMD must exit with EXPECTED_RC and
# print something matching PATTERN (grep -E) on stdout/stderr.
check_fails() {
    local name=$1 want=$2 pat=$3; shift 3
    local out rc
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" -eq "$want" ] && printf '%s\n' "$out" | grep -qE -- "$pat"; then ok "$name"
    else not_ok "$name (exit $rc, want $want; pattern '$pat')"; printf '%s\n' "$out" | head -20 | sed 's/^/# /'; fi
}
# check_out NAME PATTERN CMD...: CMD exits 0 and its output matches PATTERN.
check_out() {
    local name=$1 pat=$2; shift 2
    local out rc
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -qE -- "$pat"; then ok "$name"
    else not_ok "$name (exit $rc; pattern '$pat')"; printf '%s\n' "$out" | head -20 | sed 's/^/# /'; fi
}
# bundle_from_spec DIR JQ [JQ-ARGS...]: a fresh bundle DIR whose config.json is
# `brig spec`'s with root.path set to $ROOTFS, then the jq filter JQ applied.
bundle_from_spec() {
    local d=$1 f=$2; shift 2
    rm -rf "$d"; mkdir -p "$d"
    "$BRIG" spec --bundle "$d" >/dev/null || return 1
    jq --arg r "$ROOTFS" "$@" ".root.path=\$r | $f" "$d/config.json" >"$d/c.json" && mv "$d/c.json" "$d/config.json"
}
# args CMD...: the jq assignment of process.args to CMD (each word a JSON string).
args() { local a; printf '.process.args=%s' "$(for a in "$@"; do printf '%s' "$a" | jq -Rs .; done | jq -cs .)"; }
# on_pty CMD...: runs CMD on a pseudo-terminal (script(1)) for at most 60 s.
# script runs CMD through $SHELL, which differs between callers (CI may have none,
# so /bin/sh).  A `timeout` inside script would, under dash, move CMD out of the
# terminal's foreground process group, and a client that puts the terminal in raw
# mode (ctr -t) is then stopped by SIGTTOU and hangs: the timeout goes outside,
# and the shell is fixed (bash, for printf %q's quoting).
on_pty() { timeout -k 5 60 env SHELL=/bin/bash script -qec "$(printf '%q ' "$@")" /dev/null; }
need_fixtures() {
    if [ ! -d "$FIXTURES" ]; then
        echo "# building fixtures into $FIXTURES"
        "$(dirname "${BASH_SOURCE[0]}")/fixtures/build-images.sh" >&2 || { not_ok "fixtures could not be built"; exit 1; }
    fi
}

# Helpers for tests that drive brig through a real client (containerd, dockerd).
# runc_standin DIR: writes DIR/runc, a runc that only fails (and says so in its
# --log file), so that a client which loses track of brig cannot silently run
# the host's runc instead.
runc_standin() {
    mkdir -p "$1"
    cat >"$1/runc" <<'EOF_RUNC'
#!/bin/sh
log=
while [ $# -gt 0 ]; do case $1 in --log) log=$2; shift ;; esac; shift; done
[ -n "$log" ] && echo '{"level":"error","msg":"runc was called instead of brig"}' >>"$log"
echo "runc was called instead of brig" >&2
exit 1
EOF_RUNC
    chmod +x "$1/runc"
}
# serving_or_skip NAME PID SOCK LOG SECONDS CLIENT...: waits up to SECONDS for
# the daemon started in the background as PID (logging to LOG) to answer
# `CLIENT... version` on SOCK.  If it never does, the whole test is skipped with
# the last error it logged; the caller's EXIT trap stops it.
serving_or_skip() {
    local name=$1 pid=$2 sock=$3 log=$4 secs=$5 i; shift 5
    for ((i = 0; i < secs * 10; i++)); do
        [ -S "$sock" ] && "$@" version >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    "$@" version >/dev/null 2>&1 && return 0
    skip "$name cannot run on this host: $(grep -E 'level=(fatal|error)' "$log" | tail -1 | cut -c1-300)"
    exit 0
}
# mounts_under DIR/: mount points under DIR, deepest first (the order to unmount them).
mounts_under() { awk -v t="$1" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r; }
# procs_rooted_under DIR/: container processes whose "/" is a mount under DIR
# (/proc/PID/root reads "/" after pivot_root; mountinfo names the directory).
procs_rooted_under() {
    local p
    for p in $(grep -l -F -- "$1" /proc/[0-9]*/mountinfo 2>/dev/null | cut -d/ -f3); do
        awk -v t="$1" '$5 == "/" && index($0, t) { f = 1 } END { exit !f }' "/proc/$p/mountinfo" 2>/dev/null && echo "$p"
    done
}
