#!/usr/bin/env bash
# cgroup v2 code paths on this hybrid host: in a private mount namespace the
# unified hierarchy is mounted at /sys/fs/cgroup (statfs then says cgroup2),
# and a container is created, frozen (cgroup.freeze), thawed and deleted.
# Controllers are all bound to v1 here, so v2 limits are checked in a VM
# (runtime_cgroupv2_vm.sh); here a v2 limit request must fail clearly, not silently.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
"$here/../fixtures/build-runtime.sh" || { not_ok "runtime fixture could not be built"; exit 1; }
grep -q cgroup2 /proc/filesystems || { skip "no cgroup2 in this kernel"; exit 0; }
export ROOTFS=$FIXTURES/runtime/rootfs BRIG T_TMP LIB="$here/../lib.sh"
trap 'rm -rf "$T_TMP"' EXIT
cat >"$T_TMP/inner.sh" <<'INNER'
set -u
outer_tmp=$T_TMP
. "$LIB"; rm -rf "$T_TMP"; T_TMP=$outer_tmp   # for bundle_from_spec
umount -l /sys/fs/cgroup 2>/dev/null
mount -t cgroup2 none /sys/fs/cgroup || { echo "cannot mount cgroup2"; exit 1; }
R="--root $T_TMP/state"
mk() { bundle_from_spec "$1" "$2"; }
mk "$T_TMP/b" '.process.args=["sleep","30"] | .linux.cgroupsPath="/brig-v2-test/c1"'
"$BRIG" $R run -d -b "$T_TMP/b" c1 >/dev/null 2>&1 && echo "RUN ok"
pid=$("$BRIG" $R state c1 | jq .pid)
grep -q "^0::/brig-v2-test/c1$" "/proc/$pid/cgroup" && echo "JOINED ok"
"$BRIG" $R exec c1 cat /proc/self/cgroup | grep -q "^0::/$" && echo "CGNS ok"
"$BRIG" $R pause c1 && grep -q "frozen 1" /sys/fs/cgroup/brig-v2-test/c1/cgroup.events && echo "PAUSE ok"
"$BRIG" $R state c1 | grep -q '"paused"' && echo "STATE ok"
"$BRIG" $R resume c1 && grep -q "frozen 0" /sys/fs/cgroup/brig-v2-test/c1/cgroup.events && echo "RESUME ok"
"$BRIG" $R ps --format json c1 | grep -q "$pid" && echo "PS ok"
"$BRIG" $R delete -f c1 && [ ! -d /sys/fs/cgroup/brig-v2-test/c1 ] && echo "DELETE ok"
rmdir /sys/fs/cgroup/brig-v2-test 2>/dev/null
# Without a cgroup namespace /sys/fs/cgroup is the host hierarchy (bound, not a
# new mount), read-only, and shows the container's own cgroup.
mk "$T_TMP/n" '.process.args=["sh","-c","grep -Eq \" /sys/fs/cgroup ro,.* - cgroup2 \" /proc/self/mountinfo && [ -d /sys/fs/cgroup/brig-v2-test/n1 ] && ! mkdir /sys/fs/cgroup/x 2>/dev/null && echo INSIDE"] | .linux.cgroupsPath="/brig-v2-test/n1" | .linux.namespaces |= map(select(.type != "cgroup"))'
"$BRIG" $R run -b "$T_TMP/n" n1 2>&1 | grep -q INSIDE && echo "NOCGNS ok"
rmdir /sys/fs/cgroup/brig-v2-test/n1 /sys/fs/cgroup/brig-v2-test 2>/dev/null
mk "$T_TMP/m" '.process.args=["true"] | .linux.cgroupsPath="/brig-v2-test/m1" | .linux.resources={memory:{limit:33554432}}'
out=$("$BRIG" $R run -b "$T_TMP/m" m1 2>&1); rc=$?
[ $rc -eq 6 ] && grep -q "memory.max" <<<"$out" && echo "NOCTRL ok"
rmdir /sys/fs/cgroup/brig-v2-test 2>/dev/null
true
INNER
out=$(unshare -m --propagation private bash "$T_TMP/inner.sh" 2>&1)
for w in RUN JOINED CGNS PAUSE STATE RESUME PS DELETE NOCGNS NOCTRL; do
    case $w in
        RUN) d="run -d with a v2 cgroupsPath";; JOINED) d="init joined the v2 cgroup";; CGNS) d="cgroup namespace root is / inside";;
        PAUSE) d="pause sets cgroup.freeze";; STATE) d="state reports paused";; RESUME) d="resume thaws";; PS) d="ps reads cgroup.procs";;
        DELETE) d="delete removes the v2 cgroup";; NOCGNS) d="without a cgroup namespace /sys/fs/cgroup is the read-only host hierarchy";; NOCTRL) d="a limit whose controller is missing fails clearly (memory.max)";;
    esac
    if grep -q "^$w ok$" <<<"$out"; then ok "cgroup v2: $d"; else not_ok "cgroup v2: $d"; printf '%s\n' "$out" | head -5 | sed 's/^/# /'; fi
done
