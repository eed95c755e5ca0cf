#!/usr/bin/env bash
# Seccomp user notification (runtime-spec 1.1: SCMP_ACT_NOTIFY + linux.seccomp.listenerPath).
# A seccomp agent written in Python (below) listens on a unix socket, receives the
# containerProcessState JSON + the notify fd (SCM_RIGHTS) and answers syscalls with
# SECCOMP_IOCTL_NOTIF_RECV/SEND: mkdir* fails with ENOMEDIUM ("No medium found", an
# errno nothing else in the container produces), unlink* "succeeds" without running,
# anything else continues.  Every effect is checked from inside the container.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
"$here/../fixtures/build-runtime.sh" || { not_ok "runtime fixture could not be built"; exit 1; }
ROOTFS=$FIXTURES/runtime/rootfs
R=(--root "$T_TMP/state")
AGENT_PIDS=()
cleanup() {
    for c in $("$BRIG" "${R[@]}" list -q 2>/dev/null); do "$BRIG" "${R[@]}" delete -f "$c" >/dev/null 2>&1; done
    for p in "${AGENT_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    rm -rf "$T_TMP"
}
trap cleanup EXIT

command -v python3 >/dev/null || { skip "seccomp notify: python3 is not installed (the test agent is written in it)"; exit 0; }
if ! "$BRIG" features | jq -e '.linux.seccomp.actions | index("SCMP_ACT_NOTIFY")' >/dev/null; then
    check_fails "without kernel/libseccomp support NOTIFY is refused" 3 "NOTIFY" false
    exit 0
fi
check "features lists SCMP_ACT_NOTIFY and SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" sh -c \
    "'$BRIG' features | jq -e '(.linux.seccomp.actions | index(\"SCMP_ACT_NOTIFY\")) and (.linux.seccomp.knownFlags | index(\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"))'"

# Syscall numbers of this machine's architecture, from the C headers (aarch64 has only the *at forms).
NRS=$(printf '#include <sys/syscall.h>\nmkdir=SYS_mkdir\nmkdirat=SYS_mkdirat\nunlink=SYS_unlink\nunlinkat=SYS_unlinkat\n' |
      cc -E -P - 2>/dev/null | grep -E '^[a-z]+=[0-9]+$' | tr '\n' ' ')

cat >"$T_TMP/agent.py" <<'EOF'
# Test seccomp agent: python3 agent.py SOCKET LOG MODE 'name=nr ...'
#   MODE serve: answer notifications as described at the top of the test script
#   MODE hangup: accept each connection and close it at once (the runtime's send must fail)
#   MODE bound: bind the socket but never listen (connect gets ECONNREFUSED)
# Every event is one JSON line in LOG.
import fcntl, json, os, select, socket, struct, sys
NOTIF_RECV, NOTIF_SEND, FLAG_CONTINUE = 0xc0502100, 0xc0182101, 1   # <linux/seccomp.h>, x86_64/aarch64
ENOMEDIUM = 123
path, logp, mode = sys.argv[1], sys.argv[2], sys.argv[3]
names = {int(v): k for k, v in (x.split("=") for x in sys.argv[4].split())}
log = open(logp, "a", buffering=1)
def ev(**kw): log.write(json.dumps(kw) + "\n")
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
if mode == "bound":
    ev(event="ready"); select.select([], [], [])
srv.listen(16)
ev(event="ready")
poll = select.poll()
poll.register(srv, select.POLLIN)
conns, notify = {}, {}
while True:
    for fd, events in poll.poll():
        if fd == srv.fileno():
            c, _ = srv.accept()
            ev(event="connect")
            if mode == "hangup":
                c.close(); ev(event="hangup"); continue
            conns[c.fileno()] = [c, b"", []]
            poll.register(c, select.POLLIN)
        elif fd in conns:
            # Like a real agent, serve the fd as soon as it arrives (the process
            # may make NOTIFY'd calls before the connection is closed).
            c, buf, fds = conns[fd]
            data, newfds, _, _ = socket.recv_fds(c, 1 << 16, 4)
            for f in newfds:
                notify[f] = None
                poll.register(f, select.POLLIN)
            fds += newfds
            if data:
                buf += data; conns[fd][1] = buf
                try: st = json.loads(buf)
                except ValueError: continue
                for f in fds: notify[f] = st
                ev(event="state", state=st, nfds=len(fds))
                continue
            # EOF: runtime-spec says one state per connection, then closed.
            poll.unregister(fd); c.close(); del conns[fd]
            ev(event="closed", had_state=bool(buf))
        elif fd in notify:
            if events & select.POLLIN:
                req = bytearray(80)
                try: fcntl.ioctl(fd, NOTIF_RECV, req, True)
                except OSError as e:
                    ev(event="recv-error", errno=e.errno); continue
                nid, pid, _flags, nr = struct.unpack_from("=QIIi", req)
                name = names.get(nr, str(nr))
                if name.startswith("mkdir"): resp = (nid, 0, -ENOMEDIUM, 0); ans = "ENOMEDIUM"
                elif name.startswith("unlink"): resp = (nid, 0, 0, 0); ans = "fake-success"
                else: resp = (nid, 0, 0, FLAG_CONTINUE); ans = "continue"
                try: fcntl.ioctl(fd, NOTIF_SEND, struct.pack("=QqiI", *resp))
                except OSError as e: ans += " (send failed: %d)" % e.errno
                ev(event="notif", pid=pid, syscall=name, answer=ans, container=(notify[fd] or {}).get("state", {}).get("id"))
            elif events & (select.POLLHUP | select.POLLERR):
                poll.unregister(fd); os.close(fd); del notify[fd]; ev(event="filter-gone")
EOF

# start_agent SOCKET LOG MODE: background agent, returns when it is ready.
start_agent() {
    python3 "$T_TMP/agent.py" "$1" "$2" "$3" "$NRS" 2>>"$2.err" &
    AGENT_PIDS+=($!)
    for _ in $(seq 100); do grep -q '"ready"' "$2" 2>/dev/null && return 0; sleep 0.05; done
    return 1
}
# wait_for FILE PATTERN / wait_count FILE FIXED-STRING N: up to 10 s.
wait_for() { for _ in $(seq 200); do grep -qE -- "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done; return 1; }
wait_count() { for _ in $(seq 200); do [ "$(grep -cF -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0; sleep 0.05; done; return 1; }
mkbundle() { bundle_from_spec "$1" "$2" --arg sock "$SOCK"; }   # mkbundle DIR JQ-FILTER ($sock: the agent)
# has TEXT PATTERN...: every (grep -E) PATTERN matches a line of TEXT.
has() { local t=$1 p; shift; for p in "$@"; do grep -qE -- "$p" <<<"$t" || return 1; done; }
# The hardened default profile (Docker's allowlist) with the four calls moved to NOTIFY.
NOTIFY_RULES='.linux.seccomp.syscalls |= map(.names -= ["mkdir","mkdirat","unlink","unlinkat"])
  | .linux.seccomp.syscalls += [{"names":["mkdir","mkdirat","unlink","unlinkat"],"action":"SCMP_ACT_NOTIFY"}]
  | .linux.seccomp.listenerPath=$sock | .linux.seccomp.listenerMetadata="agent=brig-test;level=1"'
PROBE='mkdir /dev/shm/x; echo "mkdir-rc=$?"; [ -d /dev/shm/x ] && echo dir-exists || echo dir-absent
echo hi >/dev/shm/f; rm /dev/shm/f && [ -e /dev/shm/f ] && echo unlink-faked-file-kept
touch /dev/shm/t && echo touch-ok'

SOCK=$T_TMP/agent.sock; LOG=$T_TMP/agent.log
start_agent "$SOCK" "$LOG" serve || not_ok "the test agent did not start"

# --- create/start: the init's filter (noNewPrivileges: loaded right before execve) ---
B=$T_TMP/b1
mkbundle "$B" "$NOTIFY_RULES | $(args sh -c "$PROBE; echo probe-done; sleep 60")"
check "create with SCMP_ACT_NOTIFY and a listening agent" sh -c '"$@" >"$0" 2>&1' "$T_TMP/n1.out" "$BRIG" "${R[@]}" create --bundle "$B" n1
pid=$("$BRIG" "${R[@]}" state n1 | jq .pid)
check "start" "$BRIG" "${R[@]}" start n1
wait_for "$T_TMP/n1.out" probe-done
out=$(cat "$T_TMP/n1.out")
check "mkdir answered by the agent: the container sees ENOMEDIUM (No medium found)" grep -q "No medium found" <<<"$out"
check "mkdir failed inside (rc 1) and created nothing" has "$out" "mkdir-rc=1" dir-absent
check "unlink answered 'success' by the agent: rm exits 0 but the file is still there" grep -q unlink-faked-file-kept <<<"$out"
check "syscalls outside the NOTIFY rules run normally (touch)" grep -q touch-ok <<<"$out"
wait_for "$LOG" '"event": "state"'
st1=$(grep '"event": "state"' "$LOG" | head -1)
check "agent got exactly one fd, named in fds[] as seccompFd" jq -e '.nfds == 1 and .state.fds == ["seccompFd"]' <<<"$st1"
check "containerProcessState.ociVersion is 1.1.0" jq -e '.state.ociVersion == "1.1.0"' <<<"$st1"
check "containerProcessState.pid is the container pid of brig state ($pid)" jq -e --argjson p "$pid" '.state.pid == $p and .state.state.pid == $p' <<<"$st1"
check "metadata is linux.seccomp.listenerMetadata" jq -e '.state.metadata == "agent=brig-test;level=1"' <<<"$st1"
check "state.id, state.bundle, state.status and state.ociVersion are the container's" \
    jq -e --arg b "$B" '.state.state.id == "n1" and .state.state.bundle == $b and .state.state.status == "running" and .state.state.ociVersion == "1.1.0"' <<<"$st1"
check "the agent logged the notifications it answered (mkdir*, unlink*) for n1" sh -c \
    "grep '\"event\": \"notif\"' '$LOG' | jq -se 'any(.syscall | startswith(\"mkdir\")) and any(.syscall | startswith(\"unlink\")) and all(.container == \"n1\")'"

# --- exec: the exec'd process gets the same filter and its own listener fd ---
out=$("$BRIG" "${R[@]}" exec --pid-file "$T_TMP/x.pid" n1 sh -c 'mkdir /dev/shm/y; [ -d /dev/shm/y ] || echo y-absent' 2>&1)
check "exec: mkdir inside the exec'd process is answered by the agent too" has "$out" "No medium found" y-absent
wait_count "$LOG" '"event": "state"' 2
st2=$(grep '"event": "state"' "$LOG" | sed -n 2p)
check "exec: a second connection with a new fd; pid is the exec'd process, state.pid the init" \
    jq -e --argjson p "$pid" --argjson x "$(cat "$T_TMP/x.pid" 2>/dev/null || echo 0)" \
    '.nfds == 1 and .state.pid == $x and .state.pid != $p and .state.state.pid == $p and .state.state.id == "n1" and .state.fds == ["seccompFd"]' <<<"$st2"
check "each connection carried one state and was then closed by the runtime" wait_count "$LOG" '"event": "closed", "had_state": true' 2
"$BRIG" "${R[@]}" delete -f n1 >/dev/null 2>&1

# --- run, noNewPrivileges false: the filter is loaded early (before the uid switch), handoff still works ---
B=$T_TMP/b2
mkbundle "$B" "$NOTIFY_RULES | .process.noNewPrivileges=false | .process.user={\"uid\":1000,\"gid\":1000} | $(args sh -c "$PROBE; id -u")"
out=$("$BRIG" "${R[@]}" run --bundle "$B" n2 2>&1)
check "no_new_privs off: agent answers mkdir, process still switched to uid 1000" has "$out" "No medium found" dir-absent unlink-faked "^1000$"

# --- listenerPath without any NOTIFY rule: ignored, nothing is sent ---
n_before=$(grep -c '"event": "connect"' "$LOG")
B=$T_TMP/b3
mkbundle "$B" ".linux.seccomp.listenerPath=\$sock | $(args sh -c 'mkdir /dev/shm/z && [ -d /dev/shm/z ] && echo real-mkdir')"
check_out "listenerPath without SCMP_ACT_NOTIFY: runs normally (mkdir really happens)" "real-mkdir" "$BRIG" "${R[@]}" run --bundle "$B" n3
check "listenerPath without SCMP_ACT_NOTIFY: the agent got no connection" test "$(grep -c '"event": "connect"' "$LOG")" = "$n_before"

# --- errors: nothing may be left behind ---
gone() { ! "$BRIG" "${R[@]}" list -q | grep -qx "$1" && [ ! -e "$T_TMP/state/$1" ]; }
# refused NAME RC PATTERN CMD ID JQ: a bundle made with JQ is refused by `brig CMD`
# with RC and PATTERN, and leaves no container behind.
refused() {
    local name=$1 rc=$2 pat=$3 cmd=$4 id=$5
    mkbundle "$B" "$6"
    check_fails "$name: exit $rc" "$rc" "$pat" "$BRIG" "${R[@]}" "$cmd" --bundle "$B" "$id"
    check "$name: no container left behind" gone "$id"
}
B=$T_TMP/b4
refused "listenerPath missing: clear error" 6 "listenerPath .*no-such.sock: cannot connect to the seccomp agent.*No such file" create e1 \
    "$NOTIFY_RULES | .linux.seccomp.listenerPath=\"$T_TMP/no-such.sock\" | $(args touch /dev/shm/ran)"
start_agent "$T_TMP/bound.sock" "$T_TMP/bound.log" bound || not_ok "the bound-only agent did not start"
refused "listenerPath not listening: clear error" 6 "cannot connect to the seccomp agent.*refused" run e2 \
    "$NOTIFY_RULES | .linux.seccomp.listenerPath=\"$T_TMP/bound.sock\" | $(args touch /dev/shm/ran)"
refused "SCMP_ACT_NOTIFY without listenerPath" 3 "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath" run e3 \
    ".linux.seccomp.syscalls += [{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}] | $(args true)"
refused "listenerMetadata without listenerPath" 3 "listenerMetadata is set without listenerPath" run e4 \
    ".linux.seccomp.listenerMetadata=\"x\" | $(args true)"
# The handoff needs sendmsg under the user's filter: a profile that denies it is refused up front.
n_before=$(grep -c '"event": "connect"' "$LOG")
refused "profile denying sendmsg (needed for the handoff), naming it" 3 "answers sendmsg\\(2\\) with SCMP_ACT_ERRNO" run e5 \
    "$NOTIFY_RULES | .linux.seccomp.syscalls |= map(.names -= [\"sendmsg\"]) | $(args true)"
refused "SCMP_ACT_NOTIFY on sendmsg" 3 "cannot be used for sendmsg" run e6 \
    "$NOTIFY_RULES | .linux.seccomp.syscalls |= map(.names -= [\"sendmsg\"]) | .linux.seccomp.syscalls += [{\"names\":[\"sendmsg\"],\"action\":\"SCMP_ACT_NOTIFY\"}] | $(args true)"
check "refused profiles never connect to the agent" test "$(grep -c '"event": "connect"' "$LOG")" = "$n_before"

# --- the agent hangs up before the fd is sent: the process must not run, an error is reported ---
start_agent "$T_TMP/hup.sock" "$T_TMP/hup.log" hangup || not_ok "the hang-up agent did not start"
mkbundle "$B" "$NOTIFY_RULES | .linux.seccomp.listenerPath=\"$T_TMP/hup.sock\" | $(args sh -c 'echo container-ran')"
check "create against an agent that will hang up" sh -c '"$@" >"$0" 2>&1' "$T_TMP/h.out" "$BRIG" "${R[@]}" create --bundle "$B" h1
wait_for "$T_TMP/hup.log" '"hangup"'
"$BRIG" "${R[@]}" start h1 >/dev/null 2>&1
for _ in $(seq 100); do [ "$("$BRIG" "${R[@]}" state h1 2>/dev/null | jq -r .status)" = stopped ] && break; sleep 0.05; done
check "sending to a closed agent fails: error reported, container process never ran" sh -c \
    'grep -q "cannot send the seccomp notify fd" "$0" && ! grep -q container-ran "$0"' "$T_TMP/h.out"
