#!/usr/bin/env bash
# cgroup limits enforced on real workloads: a fork bomb stops at pids.max, a
# memory hog is OOM-killed at the memory limit, CPU/cpuset/devices settings
# reach the cgroup files (cgroup v1 on this host, v2 when unified).
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
"$here/../fixtures/build-runtime.sh" || { not_ok "runtime fixture could not be built"; exit 1; }
ROOTFS=$FIXTURES/runtime/rootfs
R=(--root "$T_TMP/state")
CG=/brig-test-$$
cleanup() {
    for c in $("$BRIG" "${R[@]}" list -q 2>/dev/null); do "$BRIG" "${R[@]}" delete -f "$c" >/dev/null 2>&1; done
    for d in /sys/fs/cgroup/*"$CG" /sys/fs/cgroup/unified"$CG"; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
    rm -rf "$T_TMP"
}
trap cleanup EXIT
mkbundle() { bundle_from_spec "$1" "${2:-.}"; }
v2=false; [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] && v2=true
cgfile() { if $v2; then echo "/sys/fs/cgroup$CG/$1/$3"; else echo "/sys/fs/cgroup/$2$CG/$1/$4"; fi; }

# Fork bomb: 200 background sleeps against pids.max 20.
# busybox sh gives up when fork fails, so the bomb runs in a subshell and the
# count is read with builtins only (no fork left to spare).
mkbundle "$T_TMP/pids" "$(args sh -c '(i=0; while [ $i -lt 200 ]; do sleep 30 & i=$((i+1)); done) 2>/dev/null; read n < /sys/fs/cgroup/pids/pids.current; echo running=$n; kill -9 -1 2>/dev/null; true') | .linux.cgroupsPath=\"$CG/pids\" | .linux.resources={pids:{limit:20}}"
out=$("$BRIG" "${R[@]}" run -b "$T_TMP/pids" pids 2>&1)
n=$(sed -n 's/^running=//p' <<<"$out")
check "fork bomb is stopped at pids.max (saw ${n:-?} processes, limit 20)" test -n "$n" -a "${n:-999}" -le 20 -a "${n:-0}" -ge 10

# Memory hog: tail -c buffers 200 MB against a 32 MB limit (no swap here).  The
# hog raises its own oom_score_adj so the kernel kills it, not the shell that
# reports its status (the OOM killer's choice is otherwise not guaranteed).
mkbundle "$T_TMP/mem" "$(args sh -c 'head -c 200000000 /dev/zero | sh -c "echo 1000 >/proc/self/oom_score_adj; exec tail -c 199999999" >/dev/null; echo hog=$?') | .linux.cgroupsPath=\"$CG/mem\" | .linux.resources={memory:{limit:33554432}}"
# Either the hog is killed (the shell reports hog=137) or, rarely, the kernel
# picks the container's shell itself (the container then exits 137): both are
# SIGKILL from the memory limit; the next check rules out spurious kills.
out=$("$BRIG" "${R[@]}" run -b "$T_TMP/mem" mem 2>&1); rc=$?
check "memory hog is OOM-killed (SIGKILL, 137) at the 32 MB limit (rc $rc, $out)" \
    bash -c "[ $rc -eq 137 ] || { [ $rc -eq 0 ] && grep -q 'hog=137' <<<'$out'; }"
mkbundle "$T_TMP/mem2" "$(args sh -c 'head -c 20000000 /dev/zero | tail -c 19999999 >/dev/null; echo hog=$?') | .linux.cgroupsPath=\"$CG/mem2\" | .linux.resources={memory:{limit:67108864}}"
check_out "a workload under the limit is not killed" "hog=0" "$BRIG" "${R[@]}" run -b "$T_TMP/mem2" mem2

# Settings reach the cgroup files while the container runs.
mkbundle "$T_TMP/set" "$(args sleep 30) | .linux.cgroupsPath=\"$CG/set\" | .linux.resources={memory:{limit:67108864},cpu:{quota:50000,period:100000,shares:512,cpus:\"0\"},pids:{limit:99},devices:[{allow:false,access:\"rwm\"}]} | .linux.devices=[{path:\"/dev/kmsg\",type:\"c\",major:1,minor:11}] | .process.capabilities |= with_entries(select(.key != \"ambient\") | .value += [\"CAP_SYSLOG\"])"
# CAP_SYSLOG: reading /dev/kmsg needs it here (dmesg_restrict=1), so only the device rule can refuse the read.
"$BRIG" "${R[@]}" run -d -b "$T_TMP/set" set >"$T_TMP/set.out" 2>&1
check "memory limit written" grep -qx 67108864 "$(cgfile set memory memory.max memory.limit_in_bytes)"
check "pids limit written" grep -qx 99 "$(cgfile set pids pids.max pids.max)"
if $v2; then check "cpu.max written" grep -qx "50000 100000" "/sys/fs/cgroup$CG/set/cpu.max"
else
    check "cfs quota written" grep -qx 50000 "/sys/fs/cgroup/cpu$CG/set/cpu.cfs_quota_us"
    check "cfs period written" grep -qx 100000 "/sys/fs/cgroup/cpu$CG/set/cpu.cfs_period_us"
    check "cpu shares written" grep -qx 512 "/sys/fs/cgroup/cpu$CG/set/cpu.shares"
    check "cpuset written" grep -qx 0 "/sys/fs/cgroup/cpuset$CG/set/cpuset.cpus"
    check "device rules: default nodes allowed, kmsg not" sh -c "grep -qx 'c 1:3 rwm' '/sys/fs/cgroup/devices$CG/set/devices.list' && ! grep -q 'c 1:11' '/sys/fs/cgroup/devices$CG/set/devices.list'"
fi
pid=$("$BRIG" "${R[@]}" state set | jq .pid)
check_fails "devices cgroup denies /dev/kmsg (node exists, rule denies)" 1 "not permitted" "$BRIG" "${R[@]}" exec set head -c1 /dev/kmsg
check "devices cgroup allows /dev/null" "$BRIG" "${R[@]}" exec set sh -c 'echo x > /dev/null'
check "the init is in the container's cgroup" grep -q "$CG/set" "/proc/$pid/cgroup"
check_out "inside: the cgroup namespace shows / as its cgroup" ":/$" "$BRIG" "${R[@]}" exec set sh -c 'grep memory /proc/self/cgroup'
check "update --memory changes the limit" "$BRIG" "${R[@]}" update --memory 96m set
check "memory limit updated" grep -qx 100663296 "$(cgfile set memory memory.max memory.limit_in_bytes)"
check "kill --all signals every process" "$BRIG" "${R[@]}" kill --all set KILL
for _ in $(seq 50); do [ "$("$BRIG" "${R[@]}" state set | jq -r .status)" = stopped ] && break; sleep 0.1; done
check "delete removes the cgroup" sh -c "'$BRIG' ${R[*]} delete set && test ! -d '$(dirname "$(cgfile set pids pids.max pids.max)")'"
check_fails "a systemd-style cgroupsPath is refused clearly" 7 "systemd slice" \
    sh -c "mkdir -p '$T_TMP/sd' && '$BRIG' spec -b '$T_TMP/sd' && jq --arg r '$ROOTFS' '.root.path=\$r | .linux.cgroupsPath=\"system.slice:brig:x\"' '$T_TMP/sd/config.json' > '$T_TMP/sd/c' && mv '$T_TMP/sd/c' '$T_TMP/sd/config.json' && '$BRIG' ${R[*]} run -b '$T_TMP/sd' sd"
check_fails "cgroupsPath with .. is refused" 5 "contains '..'" \
    sh -c "mkdir -p '$T_TMP/dd' && '$BRIG' spec -b '$T_TMP/dd' && jq --arg r '$ROOTFS' '.root.path=\$r | .linux.cgroupsPath=\"/a/../../b\"' '$T_TMP/dd/config.json' > '$T_TMP/dd/c' && mv '$T_TMP/dd/c' '$T_TMP/dd/config.json' && '$BRIG' ${R[*]} run -b '$T_TMP/dd' dd"
