#!/usr/bin/env bash
# OCI runtime, checked from INSIDE real containers (root, busybox rootfs):
# hardening defaults, namespaces, lifecycle, exec, hooks, rlimits, exit codes.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
"$here/../fixtures/build-runtime.sh" || { not_ok "runtime fixture could not be built"; exit 1; }
ROOTFS=$FIXTURES/runtime/rootfs
R=(--root "$T_TMP/state")
trap 'for c in $("$BRIG" "${R[@]}" list -q 2>/dev/null); do "$BRIG" "${R[@]}" delete -f "$c" >/dev/null 2>&1; done; rmdir /sys/fs/cgroup/*/brig-test 2>/dev/null; rm -rf "$T_TMP"' EXIT

# mkbundle DIR [JQ-FILTER]: hardened default spec + the fixture rootfs.
mkbundle() { bundle_from_spec "$1" "${2:-.}"; }
run_in() {   # run_in FILTER -- CMD...: run CMD in a fresh container built with FILTER
    local f=$1; shift; [ "$1" = "--" ] && shift
    local b="$T_TMP/b.$RANDOM"
    mkbundle "$b" "$f | $(args "$@")" || return 125
    "$BRIG" "${R[@]}" run --bundle "$b" "c$RANDOM"
}

B=$T_TMP/main
mkbundle "$B" "$(args sh -c 'grep -E "^(CapEff|Seccomp|NoNewPrivs):" /proc/self/status')"
out=$("$BRIG" "${R[@]}" run -b "$B" caps 2>&1)
check "CapEff is 0 inside" grep -q 'CapEff:[[:space:]]*0000000000000000' <<<"$out"
check "Seccomp: 2 (filter) inside" grep -q 'Seccomp:[[:space:]]*2' <<<"$out"
check "NoNewPrivs: 1 inside" grep -q 'NoNewPrivs:[[:space:]]*1' <<<"$out"

check_fails "root filesystem is read-only" 1 "Read-only file system" run_in . -- sh -c 'echo x > /pwned'
check_out "/tmp-less write fails but /dev/shm tmpfs is writable" "shm-ok" run_in . -- sh -c 'echo ok > /dev/shm/f && echo shm-ok'
check "masked /proc/timer_list reads empty" run_in . -- sh -c '[ -e /proc/timer_list ] && [ ! -s /proc/timer_list ] && ! grep -q . /proc/timer_list'
check "masked /sys/firmware is an empty unreadable dir" run_in . -- sh -c '[ -z "$(ls -A /sys/firmware 2>/dev/null)" ]'
check_fails "/proc/sys is read-only" 1 "Read-only" run_in . -- sh -c 'echo 1 > /proc/sys/kernel/domainname'
check "host PIDs are invisible (pid 1 is the container process)" run_in . -- sh -c 'n=$(ls /proc | grep -c "^[0-9]"); [ "$n" -le 5 ] && [ "$(cat /proc/1/comm)" = sh ]'
check_fails "mount fails inside" 1 "denied|not permitted" run_in . -- mount -t tmpfs none /mnt
check_out "hostname from config" "^brig$" run_in . -- hostname
check_out "loopback is up in the new netns" "lo" run_in . -- sh -c 'ip link show lo | grep -q "UP" && echo lo'
check_out "user namespace: uid_map is not identity" "^ *0 +100000 +65536$" run_in '.linux.namespaces += [{"type":"user"}] | .linux.uidMappings=[{"containerID":0,"hostID":100000,"size":65536}] | .linux.gidMappings=[{"containerID":0,"hostID":100000,"size":65536}]' -- cat /proc/self/uid_map
check_out "process.user uid/gid/additionalGids applied" "uid=1000.* gid=1000.* groups=.*20" run_in '.process.user={"uid":1000,"gid":1000,"additionalGids":[20]}' -- id
check_out "capabilities from config are granted (CAP_NET_RAW only)" "CapEff:.*0000000000002000" run_in '.process.capabilities={"bounding":["CAP_NET_RAW"],"effective":["CAP_NET_RAW"],"permitted":["CAP_NET_RAW"]}' -- grep CapEff /proc/self/status
check_out "oomScoreAdj applied" "^500$" run_in '.process.oomScoreAdj=500' -- cat /proc/self/oom_score_adj
check_out "umask applied" "^0077$" run_in '.process.user.umask=63' -- sh -c umask
check_out "domainname applied" "^example.org$" run_in '.domainname="example.org"' -- cat /proc/sys/kernel/domainname
check_out "rlimit nofile 1024 applied" "^1024$" run_in . -- sh -c 'ulimit -n'
check_fails "rlimit above the host hard limit is refused naming it" 6 "RLIMIT_NOFILE hard limit 1048576 is above this host's hard limit" \
    run_in '.process.rlimits=[{"type":"RLIMIT_NOFILE","soft":1024,"hard":1048576}]' -- true
check_fails "non-namespaced sysctl refused" 5 "kernel.panic.*not namespaced" run_in '.linux.sysctl={"kernel.panic":"1"}' -- true
check_out "namespaced sysctl applied" "^1$" run_in '.linux.sysctl={"net.ipv4.ip_forward":"1"} | .linux.readonlyPaths=[]' -- cat /proc/sys/net/ipv4/ip_forward
check_fails "seccomp: a denied syscall gets EPERM (unshare)" 1 "not permitted" run_in . -- unshare -n true
check_fails "seccomp: custom profile, SCMP_ACT_ERRNO(errnoRet) for mkdir" 1 "No such device" run_in '.linux.seccomp={"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":19}]}' -- mkdir /dev/shm/x
check_fails "seccomp: SCMP_CMP_EQ argument filter (kill with signal 0 only)" 1 "not permitted" run_in '.linux.seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":0,"op":"SCMP_CMP_EQ"}]}]}' -- sh -c 'kill -0 1'
check_fails "seccomp: SCMP_ACT_KILL_PROCESS kills with SIGSYS (159)" 159 "" run_in '.linux.seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_KILL_PROCESS"}]}' -- sh -c 'echo $PPID'
check_out "seccomp: unknown syscall names are skipped" "ok" run_in '.linux.seccomp.syscalls += [{"names":["no_such_syscall_xyz"],"action":"SCMP_ACT_ALLOW"}]' -- echo ok
check_fails "seccomp SCMP_ACT_NOTIFY without listenerPath is an input error" 3 "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath" run_in '.linux.seccomp.syscalls += [{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]' -- true
check_fails "unknown seccomp action is an input error" 3 "unknown seccomp action" run_in '.linux.seccomp.syscalls += [{"names":["mkdir"],"action":"SCMP_ACT_BOGUS"}]' -- true

# Exit status pass-through.
check_fails "exit code passes through" 42 "" run_in . -- sh -c 'exit 42'
check_fails "command not found is 127" 127 "'/no/such/bin': no such file or directory" run_in . -- /no/such/bin
b=$T_TMP/sig; mkbundle "$b" "$(args sleep 30)"
("$BRIG" "${R[@]}" run -b "$b" sig >/dev/null 2>&1; echo $? >"$T_TMP/sig.rc") &
for _ in $(seq 50); do [ "$("$BRIG" "${R[@]}" state sig 2>/dev/null | jq -r .status)" = running ] && break; sleep 0.1; done
"$BRIG" "${R[@]}" kill sig KILL
wait
check "killed by SIGKILL gives 137" test "$(cat "$T_TMP/sig.rc")" = 137

# Life cycle: create / state / start / exec / ps / pause / resume / kill / delete.
L=$T_TMP/life; mkbundle "$L" "$(args sleep 60) | .linux.cgroupsPath=\"/brig-test/life$$\""
# The init inherits create's stdio (as with runc): send it to a file, not a pipe.
check "create" sh -c '"$@" >"$0" 2>&1' "$T_TMP/life.out" "$BRIG" "${R[@]}" create --bundle "$L" --pid-file "$T_TMP/life.pid" life
check_out "state after create is created" '"status": "created"' "$BRIG" "${R[@]}" state life
pid=$("$BRIG" "${R[@]}" state life | jq .pid)
check "pid-file matches state pid" test "$(cat "$T_TMP/life.pid")" = "$pid"
check_fails "create with a duplicate id fails" 3 "already exists" "$BRIG" "${R[@]}" create --bundle "$L" life
check "start" "$BRIG" "${R[@]}" start life
check_out "state after start is running" '"status": "running"' "$BRIG" "${R[@]}" state life
check_fails "start twice fails" 3 "not created" "$BRIG" "${R[@]}" start life
check_out "exec runs inside the container's pid namespace" "^ *1 +sleep" "$BRIG" "${R[@]}" exec life sh -c 'ps -o pid,comm | grep sleep'
check_fails "exec exit status passes through" 7 "" "$BRIG" "${R[@]}" exec life sh -c 'exit 7'
check_out "exec -e and --cwd" "^V=1 /dev$" "$BRIG" "${R[@]}" exec -e V=1 --cwd /dev life sh -c 'echo V=$V $(pwd)'
check_out "exec -t relays a pty when there is no --console-socket" "/dev/pts/0" on_pty "$BRIG" "${R[@]}" exec -t life tty
check_out "ps lists the init" "sleep 60" "$BRIG" "${R[@]}" ps life
check_out "ps --format json" "^\[$pid\]$" "$BRIG" "${R[@]}" ps --format json life
check "pause" "$BRIG" "${R[@]}" pause life
check_out "state paused" '"status": "paused"' "$BRIG" "${R[@]}" state life
check "resume" "$BRIG" "${R[@]}" resume life
check "update --pids-limit" "$BRIG" "${R[@]}" update --pids-limit 77 life
check "update wrote pids.max" grep -qx 77 "/sys/fs/cgroup/pids/brig-test/life$$/pids.max"
check_out "list shows it" "life +$pid +running" "$BRIG" "${R[@]}" list
check_fails "delete of a running container needs --force" 3 "use delete --force" "$BRIG" "${R[@]}" delete life
check "kill TERM to init ignored by pid 1, KILL works" "$BRIG" "${R[@]}" kill life KILL
for _ in $(seq 50); do [ "$("$BRIG" "${R[@]}" state life | jq -r .status)" = stopped ] && break; sleep 0.1; done
check_out "state after kill is stopped" '"status": "stopped"' "$BRIG" "${R[@]}" state life
check "delete" "$BRIG" "${R[@]}" delete life
check_fails "state of a deleted container fails" 3 "does not exist" "$BRIG" "${R[@]}" state life
check "cgroup removed on delete" test ! -e "/sys/fs/cgroup/pids/brig-test/life$$"
check_fails "--systemd-cgroup is refused" 7 "systemd-cgroup is not supported" "$BRIG" --systemd-cgroup "${R[@]}" state life
rm -f "$T_TMP/log.json"
"$BRIG" "${R[@]}" --log "$T_TMP/log.json" --log-format json state nosuch >/dev/null 2>&1
check "errors go to --log as runc-style JSON" jq -e 'select(.level=="error" and (.msg|test("does not exist")) and .time)' "$T_TMP/log.json"
check_fails "unknown flag rejected" 2 "unknown option" "$BRIG" "${R[@]}" create --frobnicate x

# Hooks: every phase gets the state on stdin.
H=$T_TMP/hooks; mkdir -p "$H/out"
hook() { jq -cn --arg f "$H/out/$1" '{path:"/bin/sh", args:["sh","-c",("cat > " + $f)], timeout:5}'; }
mkbundle "$T_TMP/hb" "$(args true) | .hooks={prestart:[$(hook prestart)], createRuntime:[$(hook createRuntime)], createContainer:[$(hook createContainer)], poststart:[$(hook poststart)], poststop:[$(hook poststop)]}"
"$BRIG" "${R[@]}" run -b "$T_TMP/hb" hooked >/dev/null 2>&1
for ph in prestart createRuntime createContainer poststart; do
    check "hook $ph ran with the state (id, pid, bundle)" jq -e '.id=="hooked" and .pid > 0 and .bundle != null' "$H/out/$ph"
done
check "hook poststop ran with the stopped state" jq -e '.id=="hooked" and .status=="stopped"' "$H/out/poststop"
# startContainer runs inside the container (after pivot_root): it writes through a bind mount.
mkbundle "$T_TMP/hs" "$(args true) | .mounts += [{destination:\"/hookout\",type:\"bind\",source:\"$H/out\",options:[\"bind\"]}] | .hooks={startContainer:[{path:\"/bin/sh\",args:[\"sh\",\"-c\",\"cat > /hookout/startContainer; hostname >> /hookout/startContainer\"]}]}"
"$BRIG" "${R[@]}" run -b "$T_TMP/hs" hookstart >/dev/null 2>&1
check "hook startContainer ran inside the container with the created state" sh -c "grep -q '\"id\": \"hookstart\"' '$H/out/startContainer' && grep -q '\"status\": \"created\"' '$H/out/startContainer' && tail -1 '$H/out/startContainer' | grep -q 'brig\$'"
mkbundle "$T_TMP/hf" "$(args true) | .hooks={createRuntime:[{path:\"/bin/false\"}]}"
check_fails "a failing createRuntime hook aborts the container" 6 "createRuntime.*failed" "$BRIG" "${R[@]}" run -b "$T_TMP/hf" hookfail
mkbundle "$T_TMP/ht" "$(args true) | .hooks={prestart:[{path:\"/bin/sleep\",args:[\"sleep\",\"30\"],timeout:1}]}"
check_fails "a hook that exceeds its timeout is killed" 6 "timed out after 1 s" "$BRIG" "${R[@]}" run -b "$T_TMP/ht" hooktime
check_fails "--help documents exit codes" 0 "Exit codes" "$BRIG" create --help

# Informational commands and help.
check "features is valid JSON listing namespaces, hooks and seccomp actions" sh -c "'$BRIG' features | jq -e '(.linux.namespaces | index(\"user\")) and (.hooks | index(\"poststop\")) and (.linux.seccomp.actions | index(\"SCMP_ACT_ERRNO\")) and .ociVersionMax == \"1.1.0\"'"
check_fails "spec refuses to overwrite config.json" 3 "already exists" "$BRIG" spec --bundle "$B"
check_out "list --format json" '^\[' "$BRIG" "${R[@]}" list --format json
for c in create start state kill delete exec ps pause resume update list features spec run; do
    check_out "$c --help documents options and exit codes" "Exit codes" "$BRIG" "$c" --help
done
check_out "a container without its own /proc still starts (fifo via the host procfs)" "^noproc-ok$" \
    run_in '.mounts=[.mounts[] | select(.destination != "/proc")] | .linux.maskedPaths=[] | .linux.readonlyPaths=[]' -- /bin/echo noproc-ok
