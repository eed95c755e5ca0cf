#!/usr/bin/env bash
# containerd as a real client of brig.  A private containerd (its own root, state
# and socket under $T_TMP, CRI and everything needing the network disabled) runs
# the busybox fixture through the runc v2 shim with brig as the runc binary
# (`ctr run --runc-binary`: the same runc.v1 Options.BinaryName a Kubernetes
# RuntimeClass handler sets).  brig's state lives under $T_TMP/runc/<namespace>
# (`--runc-root`), cgroups are cgroupfs paths /brigtest/<id> (ctr's default).
# Container ids carry our pid so concurrent runs of this script do not collide.
# containerd finds a `runc` that only fails, so nothing can silently run without brig.
. "$(dirname "$0")/../lib.sh" || exit 1
# The cleanup unmounts and deletes under $T_TMP: never run it with a short path.
case ${T_TMP:-} in /?*/?*) ;; *) echo "not ok - unsafe T_TMP '${T_TMP:-}'"; exit 1 ;; esac
need_fixtures
# With standard input closed (as CI starts us), ctr takes its first socket for
# stdin and loses the shim's error, and script(1) can hang: give everything /dev/null.
exec </dev/null
for b in containerd ctr containerd-shim-runc-v2 script; do
    command -v "$b" >/dev/null || { skip "containerd: '$b' not installed (scripts/install-deps.sh installs containerd)"; rm -rf "$T_TMP"; exit 0; }
done
NS=brigtest
SOCK=$T_TMP/c.sock
STATE=$T_TMP/state
RUNC_ROOT=$T_TMP/runc
BRIG_ROOT=$RUNC_ROOT/$NS          # the shim runs the binary with --root <runc root>/<namespace>
IMG=docker.io/brig/busybox:latest
CTR=(ctr -a "$SOCK" -n "$NS")
C=(timeout 60 "${CTR[@]}")
R=(--runtime io.containerd.runc.v2 --runc-binary "$BRIG" --runc-root "$RUNC_ROOT" --fifo-dir "$T_TMP/fifo")
B=("$BRIG" --root "$BRIG_ROOT")
S=$$                              # id suffix
# The shim's own sockets go to /run/containerd/s (fixed in containerd 1.6); remove
# the directories afterwards only if they were not there before.
[ -d /run/containerd ] && run_existed=1 || run_existed=

shim_pids() {   # shims this containerd started (each writes shim.pid in its bundle)
    cat "$STATE"/io.containerd.runtime.v2.task/"$NS"/*/shim.pid 2>/dev/null
    pgrep -f -- "-address $SOCK( |$)" 2>/dev/null
}
procs_in_tmp() { procs_rooted_under "$T_TMP/"; }
stop_containerd() {
    [ -n "${CTD_PID:-}" ] || return 0
    if kill -0 "$CTD_PID" 2>/dev/null; then
        local id
        for id in $("${C[@]}" task ls -q 2>/dev/null); do "${C[@]}" task kill -a -s SIGKILL "$id" >/dev/null 2>&1; done
        for id in $("${C[@]}" task ls -q 2>/dev/null); do "${C[@]}" task rm -f "$id" >/dev/null 2>&1; done
        for id in $("${C[@]}" container ls -q 2>/dev/null); do "${C[@]}" container rm "$id" >/dev/null 2>&1; done
        kill "$CTD_PID" 2>/dev/null
    fi
    wait "$CTD_PID" 2>/dev/null
    CTD_PID=
}
cleanup() {
    stop_containerd
    # Last resort for an aborted run; a passing run leaves nothing (checked below).
    local c p m
    for c in $("$BRIG" --root "$BRIG_ROOT" list -q 2>/dev/null); do "$BRIG" --root "$BRIG_ROOT" delete -f "$c" >/dev/null 2>&1; done
    for p in $(shim_pids) $(procs_in_tmp); do kill -9 "$p" 2>/dev/null; done
    for m in $(mounts_under "$T_TMP/"); do umount -l "$m" 2>/dev/null; done
    rmdir /sys/fs/cgroup/*/"$NS"/*-"$S" 2>/dev/null
    rmdir /sys/fs/cgroup/*/"$NS" 2>/dev/null
    [ -n "$run_existed" ] || { rmdir /run/containerd/s /run/containerd/runc/"$NS" /run/containerd/runc /run/containerd 2>/dev/null; }
    rm -rf "$T_TMP"
}
trap cleanup EXIT

# --- a private containerd ---------------------------------------------------
# Snapshotter: overlayfs where the kernel lets us mount overlay on $T_TMP (probed
# in a private mount namespace, so nothing can leak), the native (copying) one otherwise.
SNAP=native
mkdir -p "$T_TMP/probe/l" "$T_TMP/probe/u" "$T_TMP/probe/w" "$T_TMP/probe/m"
if unshare -m --propagation private mount -t overlay overlay \
       -o "lowerdir=$T_TMP/probe/l,upperdir=$T_TMP/probe/u,workdir=$T_TMP/probe/w" "$T_TMP/probe/m" 2>/dev/null; then
    SNAP=overlayfs
fi
rm -rf "$T_TMP/probe"
export CONTAINERD_SNAPSHOTTER=$SNAP
echo "# snapshotter: $SNAP"
cat >"$T_TMP/config.toml" <<EOF
version = 2
root = "$T_TMP/root"
state = "$STATE"
# CRI needs CNI (network); opt would create /opt/containerd; the other
# snapshotters only log why they cannot load here.  (The tasks service needs
# the v1 runtime plugin loaded, so it stays.)
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt",
                    "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
                    "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
EOF
# A container whose runtime options lost BinaryName would silently run the host's
# runc: this containerd (and so its shims) finds a runc that only fails instead.
runc_standin "$T_TMP/bin"
PATH="$T_TMP/bin:$PATH" containerd --config "$T_TMP/config.toml" >"$T_TMP/containerd.log" 2>&1 &
CTD_PID=$!
serving_or_skip containerd "$CTD_PID" "$SOCK" "$T_TMP/containerd.log" 10 "${C[@]}"
ok "private containerd is serving on $SOCK"
check_out "runc v2 shim and $SNAP snapshotter available" "$SNAP +linux/[a-z0-9]+ +ok" "${C[@]}" plugins ls
check "import the busybox OCI fixture" "${C[@]}" images import --base-name docker.io/brig/busybox "$FIXTURES/busybox.oci.tar"
check_out "image unpacked into $SNAP" "$IMG" "${C[@]}" images ls -q

run() { "${C[@]}" run --rm "${R[@]}" "$@"; }   # run [OPTIONS] IMG ID [CMD...]

# --- one-shot containers (ctr run --rm: create, start, wait, delete) ---------
check_out "ctr run through brig: image entrypoint and cmd" "^hello from brig$" run "$IMG" "ep-$S"
check_fails "exit code passed through" 7 "" run "$IMG" "exit-$S" sh -c 'exit 7'
check_out "--env and the image's env" "^bar busybox /home/app$" run --env FOO=bar "$IMG" "env-$S" sh -c 'echo $FOO $BRIG_FIXTURE $PWD'
# ctr 1.6 has no `run --user`: the image's USER (app, 1000:1000) is the non-root
# user here; `task exec --user` is checked below.
check_out "image USER (1000:1000) and WORKDIR" "^1000:1000 /home/app$" run "$IMG" "uid-$S" sh -c 'echo $(id -u):$(id -g) $PWD'
check_out "containerd's default spec: no_new_privs, no seccomp unless asked" "NoNewPrivs:[[:space:]]+1 Seccomp:[[:space:]]+0$" \
    run "$IMG" "nnp-$S" sh -c 'echo $(grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status)'
check_out "--seccomp: containerd's default profile loaded (filter mode)" "^Seccomp:[[:space:]]+2$" \
    run --seccomp "$IMG" "sec-$S" grep '^Seccomp:' /proc/self/status
# containerd's default capability set (CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP
# SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE) is 0xa80425fb, as with runc.
check_out "containerd's capability set is the bounding set" "^CapBnd:[[:space:]]+00000000a80425fb$" \
    run "$IMG" "cap-$S" grep '^CapBnd:' /proc/self/status
check_out "--cap-add reaches the bounding set" "^CapBnd:[[:space:]]+00000000a82425fb$" \
    run --cap-add CAP_SYS_ADMIN "$IMG" "capa-$S" grep '^CapBnd:' /proc/self/status
check_out "writable root by default (control)" "^wrote$" run "$IMG" "rw-$S" sh -c 'touch /home/app/x && echo wrote'
check_out "--read-only root" "Read-only file system" run --read-only "$IMG" "ro-$S" sh -c 'touch /home/app/x 2>&1; true'
mkdir -p "$T_TMP/vol" && echo data >"$T_TMP/vol/f" && chmod 0777 "$T_TMP/vol" && chmod 0666 "$T_TMP/vol/f"
check_out "bind mount rbind:ro: readable" "^data$" \
    run --mount "type=bind,src=$T_TMP/vol,dst=/v,options=rbind:ro" "$IMG" "bro-$S" cat /v/f
check_out "bind mount rbind:ro: not writable (the file is 0666)" "Read-only file system" \
    run --mount "type=bind,src=$T_TMP/vol,dst=/v,options=rbind:ro" "$IMG" "bro2-$S" sh -c 'echo x 2>&1 >/v/f; true'
check "bind mount rbind:rw: write from the container" \
    run --mount "type=bind,src=$T_TMP/vol,dst=/v,options=rbind:rw" "$IMG" "brw-$S" sh -c 'echo written >/v/f'
check_out "bind mount rbind:rw: the write reached the host" "^written$" cat "$T_TMP/vol/f"
check_out "ctr run -t: the pty comes through --console-socket" "/dev/pts/[0-9]" \
    on_pty "${CTR[@]}" run --rm -t "${R[@]}" "$IMG" "tty-$S" tty
# ctr 1.6 sends --no-pivot as task options that replace the container's (BinaryName
# included), so the shim runs "runc": the stand-in above refuses, as it would any fallback.
check_fails "a fallback to runc is caught (ctr run --no-pivot drops --runc-binary)" 1 "runc was called instead of brig" \
    run --no-pivot "$IMG" "np-$S" true
check_out "native snapshotter (no overlay) works too" "^hello from brig$" run --snapshotter native "$IMG" "nat-$S"
# brig's own error text reaches the containerd client (read from brig's --log JSON by the shim).
check_fails "brig's error is what containerd reports" 1 "OCI runtime create failed: process\.args\[0\] '/nonexistent': no such file or directory" \
    run "$IMG" "bad-$S" /nonexistent
# SystemdCgroup = true in the runtime options makes the shim pass --systemd-cgroup: brig says why it refuses.
check_fails "--runc-systemd-cgroup is refused with brig's reason" 1 "OCI runtime create failed: --systemd-cgroup is not supported" \
    run --runc-systemd-cgroup --cgroup "system.slice:brigtest:sd-$S" "$IMG" "sd-$S" true
check_out "nothing left of the one-shot containers (brig state, tasks)" "^0 0$" \
    sh -c "echo \$(\"\$@\" list -q | wc -l) \$(ls '$STATE/io.containerd.runtime.v2.task/$NS' | wc -l)" _ "${B[@]}"

# --- a long-running task -----------------------------------------------------
mkdir -p "$T_TMP/live" && chmod 0777 "$T_TMP/live"
L=life-$S
# init counts into /v/count, notes each SIGTERM in /v/term, and has a child
# (sleep 300) that is not the init: the target of kill --all.
check "ctr run -d (create + start)" "${C[@]}" run -d "${R[@]}" --mount "type=bind,src=$T_TMP/live,dst=/v,options=rbind:rw" "$IMG" "$L" \
    sh -c 'trap "echo term >>/v/term" TERM; sleep 300 & i=0; while :; do i=$((i+1)); echo $i >/v/count.new && mv /v/count.new /v/count; sleep 0.1; done'
PID=$("${C[@]}" task ls | awk -v id="$L" '$1 == id { print $2 }')
check "task is running (pid $PID)" test -d "/proc/${PID:-none}"
# Proof that brig is the runtime: its state under the shim's --root has the container,
# running, with the pid containerd knows (runc's state.json has no "pid": it would be 0).
check_out "brig is the runtime: brig --root <runc root>/$NS list" "^$L running $PID $STATE/io.containerd.runtime.v2.task/$NS/$L$" \
    sh -c "\"\$@\" list --format json | jq -r '.[] | \"\(.id) \(.status) \(.pid) \(.bundle)\"'" _ "${B[@]}"
check_out "brig state" "\"status\": *\"running\"" "${B[@]}" state "$L"
check "the state under the shim's --root is brig's (runc writes init_process_pid instead)" \
    jq -e --argjson p "${PID:-0}" '.pid == $p and .start_time > 0 and (.cgroup_path | type) == "string"' "$BRIG_ROOT/$L/state.json"
CG=$(awk -F: '$2 == "freezer" { print $3 }' "/proc/${PID:-none}/cgroup" 2>/dev/null)
check_out "cgroupfs path /$NS/<id> (containerd's cgroupsPath)" "^/$NS/$L$" echo "$CG"
check_out "ctr task metrics reads the cgroups brig created" "pids.current +[2-9]" "${C[@]}" task metrics "$L"
check_out "ctr task exec joins the container (its pid 1 is the init)" "^in-exec trap" \
    "${C[@]}" task exec --fifo-dir "$T_TMP/fifo" --exec-id e1 "$L" sh -c 'echo in-exec $(tr "\0" " " </proc/1/cmdline | cut -c7-10)'
check_out "ctr task exec --user" "^4321$" "${C[@]}" task exec --fifo-dir "$T_TMP/fifo" --user 4321 --exec-id e2 "$L" id -u
check_fails "ctr task exec passes the exit code through" 3 "" "${C[@]}" task exec --fifo-dir "$T_TMP/fifo" --exec-id e3 "$L" sh -c 'exit 3'
check_out "ctr task exec -t gets a terminal" "/dev/pts/[0-9]" \
    on_pty "${CTR[@]}" task exec --fifo-dir "$T_TMP/fifo" -t --exec-id e4 "$L" tty
check "ctr task exec -d (detached exec)" "${C[@]}" task exec --fifo-dir "$T_TMP/fifo" -d --exec-id bg "$L" sleep 301
sleep 0.3
check_out "ctr task ps (brig ps --format json) lists the exec'd process" "ExecID:bg" "${C[@]}" task ps "$L"
check_out "ctr task ps lists the init" "^$PID " "${C[@]}" task ps "$L"

count() { cat "$T_TMP/live/count"; }
terms() { [ "$(grep -c term "$T_TMP/live/term" 2>/dev/null)" = "$1" ]; }
wait_for() { local i; for i in $(seq 100); do "$@" && return 0; sleep 0.05; done; return 1; }   # up to ~5 s
check "ctr task pause" "${C[@]}" task pause "$L"
check_out "paused: ctr task ls" "^$L +$PID +PAUSED" "${C[@]}" task ls
check_out "paused: freezer.state" "^FROZEN$" cat "/sys/fs/cgroup/freezer$CG/freezer.state"
check_out "paused: brig state" "\"status\": *\"paused\"" "${B[@]}" state "$L"
c1=$(count); sleep 0.5; c2=$(count)
check "paused: the container's counter stands still ($c1 -> $c2)" test -n "$c1" -a "$c1" = "$c2"
check "ctr task resume" "${C[@]}" task resume "$L"
check_out "resumed: freezer.state" "^THAWED$" cat "/sys/fs/cgroup/freezer$CG/freezer.state"
check_out "resumed: ctr task ls" "^$L +$PID +RUNNING" "${C[@]}" task ls
moved() { [ "$(count)" -gt "$c2" ]; }
wait_for moved
check "resumed: the counter moves again ($c2 -> $(count))" moved

# Host pids of the init's sleep child and of the detached exec.
child=; bgpid=
for p in $("$BRIG" --root "$BRIG_ROOT" ps --format json "$L" | jq -r '.[]'); do
    case $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) in
        "sleep 300 ") child=$p ;; "sleep 301 ") bgpid=$p ;;
    esac
done
alive() { [ -n "$1" ] && [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
dead() { ! alive "$1"; }
check "found the init's child (${child:-?}) and the exec'd process (${bgpid:-?})" test -n "$child" -a -n "$bgpid"
check "ctr task kill (SIGTERM to the init)" "${C[@]}" task kill "$L"
wait_for terms 1
check_out "the init's trap ran inside the container" "^1$" grep -c term "$T_TMP/live/term"
check "only the init was signalled: its child lives" alive "$child"
check "ctr task kill --all (brig kill --all)" "${C[@]}" task kill -a "$L"
wait_for terms 2; wait_for dead "$child"; wait_for dead "$bgpid"
check_out "--all reached the init too" "^2$" grep -c term "$T_TMP/live/term"
check "--all killed the init's child" dead "$child"
check "--all killed the exec'd process" dead "$bgpid"
check_out "still running (the init traps SIGTERM)" "^$L +$PID +RUNNING" "${C[@]}" task ls
check_fails "ctr task delete of a running task is refused" 1 "must be stopped" "${C[@]}" task delete "$L"
check "ctr task kill -s SIGKILL" "${C[@]}" task kill -s SIGKILL "$L"
for _ in $(seq 50); do "${C[@]}" task ls | grep -qE "^$L .*STOPPED" && break; sleep 0.1; done
check_out "stopped" "^$L +$PID +STOPPED" "${C[@]}" task ls
check_out "brig says stopped" "\"status\": *\"stopped\"" "${B[@]}" state "$L"
check_out "ctr task delete reports the exit status" "exit code 137" "${C[@]}" task delete "$L"
check "task gone from containerd" sh -c 'ids=$("$@" task ls -q) && ! printf "%s\n" "$ids" | grep -qx "$0"' "$L" "${C[@]}"
check_fails "container gone from brig" 3 "does not exist" "${B[@]}" state "$L"
check "its cgroups removed" test -z "$(ls -d /sys/fs/cgroup/*/"$NS"/"$L" 2>/dev/null)"
# The container record keeps the runtime options (BinaryName = brig): a new task uses brig again.
check "ctr task start -d on the same container" "${C[@]}" task start -d --fifo-dir "$T_TMP/fifo" "$L"
check_out "brig runs it again" "^$L running$" sh -c "\"\$@\" list --format json | jq -r '.[] | \"\(.id) \(.status)\"'" _ "${B[@]}"
check "ctr task delete --force of a running task" "${C[@]}" task delete -f "$L"
check_fails "gone from brig" 3 "does not exist" "${B[@]}" state "$L"
check "ctr container rm" "${C[@]}" container rm "$L"

# The shim runs `delete --force` once more when it cleans up after each task;
# runc and crun succeed on a container that is already gone, and so must brig.
# (The shim's own reaper sometimes reports "exit status 255" with empty output
# there, with runc too: only brig's "does not exist" would be brig's fault.)
check "delete --force of a container that is gone succeeds" "${B[@]}" delete --force "gone-$S"
check "the shim's cleanup never found brig refusing it" \
    sh -c "! grep -E 'failed to remove runc container.*does not exist' '$T_TMP/containerd.log'"
# Under ASan/UBSan a report from a call whose failure the shim only logs would be lost otherwise.
check "no sanitizer report from brig in containerd's log" \
    sh -c "! grep -E 'AddressSanitizer|LeakSanitizer|runtime error:' '$T_TMP/containerd.log'"

# --- stop containerd: nothing may be left behind ----------------------------
pid=$CTD_PID
stop_containerd   # not through check: it must run in this shell to wait for containerd
check "containerd stopped" dead "$pid"
sleep 0.2
check_out "no shim left" "^$" echo $(shim_pids)
check_out "no container process left" "^$" echo $(procs_in_tmp)
check_out "no mount left under $T_TMP" "^$" echo $(mounts_under "$T_TMP/")
check_out "no brig state left" "^0$" sh -c "\"\$@\" list -q | wc -l" _ "${B[@]}"
check_out "no container cgroup left" "^$" echo $(ls -d /sys/fs/cgroup/*/"$NS"/*-"$S" 2>/dev/null)
check_out "no runtime state under containerd's default root" "^$" echo $(ls -d /run/containerd/runc/"$NS"/*-"$S" 2>/dev/null)
