#!/bin/sh
# Stage 2 of the cgroup v2 test VM (see tests/integration/runtime_cgroupv2_vm.sh):
# a kernel booted with cgroup_no_v1=all, so every controller is on the unified
# hierarchy, as on a current distribution.  brig runs the bundles under
# /bundles; each check prints "ok - ..." or "not ok - ..." on the console.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
# A RAM disk for io.max (brd.ko from the same kernel, copied in by the host side).
insmod /modules/brd.ko rd_nr=1 rd_size=8192 2>/dev/null
echo "# kernel $(uname -r); controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"

ok()     { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
# eq NAME WANT GOT
eq() { if [ "$(echo $3)" = "$2" ]; then ok "$1"; else not_ok "$1"; echo "# want '$2', got '$3'"; fi; }
# check NAME CMD...
check() { n=$1; shift; if out=$("$@" 2>&1); then ok "$n"; else not_ok "$n"; echo "$out" | head -8 | sed 's/^/# /'; fi; }
B="/brig --root /run/brig"
CG=/sys/fs/cgroup/brigvm
pid_of() { $B state "$1" | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p'; }
status_of() { $B state "$1" 2>/dev/null | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p'; }
wait_stopped() { i=0; while [ "$(status_of "$1")" != stopped ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done; }

# --- limits written at create, seen from the host side and from inside ------
# (A detached container keeps its stdout: never inside $(...), or that waits for it.)
check "run -d a container with memory, cpu, cpuset, pids, io and unified limits" \
    sh -c "$B run -d -b /bundles/lim lim >/dev/null 2>/tmp/err || { cat /tmp/err; false; }"
pid=$(pid_of lim)
eq "the init is in the container's v2 cgroup" "0::/brigvm/lim" "$(cat /proc/$pid/cgroup)"
eq "brig enabled the controllers it needs on the parent" "cpuset cpu io memory pids" \
    "$(tr ' ' '\n' <$CG/cgroup.subtree_control | grep -xE 'cpuset|cpu|io|memory|pids' | tr '\n' ' ' | sed 's/ $//')"
eq "memory.limit -> memory.max" 67108864 "$(cat $CG/lim/memory.max)"
eq "memory.reservation -> memory.low" 33554432 "$(cat $CG/lim/memory.low)"
eq "memory.swap (memory+swap) -> memory.swap.max (swap alone)" 33554432 "$(cat $CG/lim/memory.swap.max)"
eq "cpu.quota/period -> cpu.max" "50000 100000" "$(cat $CG/lim/cpu.max)"
eq "cpu.shares 512 -> cpu.weight 20 (runc's conversion)" 20 "$(cat $CG/lim/cpu.weight)"
eq "cpu.cpus -> cpuset.cpus" 1 "$(cat $CG/lim/cpuset.cpus)"
eq "cpu.mems -> cpuset.mems" 0 "$(cat $CG/lim/cpuset.mems)"
eq "pids.limit -> pids.max" 20 "$(cat $CG/lim/pids.max)"
eq "blockIO.weight 500 -> io.weight 4950 (runc's conversion)" "default 4950" "$(cat $CG/lim/io.weight)"
eq "blockIO.throttleReadBpsDevice -> io.max" "1:0 rbps=1048576 wbps=max riops=max wiops=max" "$(cat $CG/lim/io.max)"
eq "unified memory.high is written as given" 62914560 "$(cat $CG/lim/memory.high)"
eq "inside (cgroup namespace): its own memory.max at /sys/fs/cgroup" 67108864 "$($B exec lim cat /sys/fs/cgroup/memory.max)"
eq "inside: the cpuset is what the process may run on" 1 "$($B exec lim sh -c 'grep ^Cpus_allowed_list /proc/self/status | cut -f2')"

# --- update ------------------------------------------------------------------
check "update --memory --memory-swap --pids-limit --cpu-quota --cpu-period --cpu-shares --cpuset-cpus" \
    $B update --memory 128m --memory-swap 256m --pids-limit 30 --cpu-quota 20000 --cpu-period 50000 --cpu-shares 1024 --cpuset-cpus 0-1 lim
eq "updated memory.max" 134217728 "$(cat $CG/lim/memory.max)"
eq "updated memory.swap.max (256m - 128m)" 134217728 "$(cat $CG/lim/memory.swap.max)"
eq "updated pids.max" 30 "$(cat $CG/lim/pids.max)"
eq "updated cpu.max" "20000 50000" "$(cat $CG/lim/cpu.max)"
eq "updated cpu.weight (shares 1024)" 39 "$(cat $CG/lim/cpu.weight)"
eq "updated cpuset.cpus" 0-1 "$(cat $CG/lim/cpuset.cpus)"
echo '{"unified": {"memory.high": "104857600"}, "pids": {"limit": 25}}' >/tmp/res.json
check "update -r resources.json (unified and pids)" $B update -r /tmp/res.json lim
eq "updated through -r: memory.high" 104857600 "$(cat $CG/lim/memory.high)"
eq "updated through -r: pids.max" 25 "$(cat $CG/lim/pids.max)"
check "pause (cgroup.freeze)" $B pause lim
check "paused: cgroup.events says frozen" grep -qx "frozen 1" $CG/lim/cgroup.events
check "resume" $B resume lim
check "delete -f" $B delete -f lim
check "the container's cgroup is gone" test ! -e $CG/lim

# --- the kernel enforces what brig wrote -------------------------------------
out=$($B run -b /bundles/pids pids 2>&1)
eq "pids.max 10: a burst of 30 background processes stops at the limit" "current<=10 max-events>0" \
    "$(echo "$out" | awk '/^current/ { c = ($2 <= 10) ? "current<=10" : "current=" $2 } /^max/ { m = ($2 > 0) ? "max-events>0" : "max-events=0" } END { print c, m }')"
grep -q '^current' <<EOT || echo "$out" | head -8 | sed 's/^/# /'
$out
EOT
check "create + start a memory hog (memory.max 32 MiB, no swap)" sh -c "$B create -b /bundles/mem mem >/dev/null 2>&1 && $B start mem"
wait_stopped mem
eq "the hog was OOM-killed in its cgroup (memory.events oom_kill)" 1 "$(awk '$1 == "oom_kill" { print ($2 > 0) }' $CG/mem/memory.events)"
$B delete mem >/dev/null 2>&1
$B run -b /bundles/memrun memrun >/dev/null 2>&1; rc=$?
eq "brig run of an OOM-killed container exits 137" 137 "$rc"
out=$($B run -b /bundles/cpu cpu 2>&1)
eq "cpu.max 10%: a 2 s busy loop is throttled (nr_throttled > 0, used < 1 s)" "throttled" \
    "$(echo "$out" | awk '/^nr_throttled/ { t = $2 } /^usage_usec/ { u = $2 } END { print (t > 0 && u < 1000000) ? "throttled" : "nr_throttled=" t " usage_usec=" u }')"
if [ -b /dev/ram0 ]; then
    ms() { echo "$1" | awk '/^elapsed/ { printf "%d\n", ($3 - $2) * 1000 }'; }
    out=$($B run -b /bundles/io io 2>&1); rc=$?; t=$(ms "$out")
    echo "# throttled read: ${t:-?} ms"
    eq "io.max rbps=1 MiB/s on /dev/ram0: reading 3 MiB takes >= 1.5 s" "rc=0 slow" "rc=$rc $([ "${t:-0}" -ge 1500 ] && echo slow || echo "fast (${t:-?} ms)")"
    out=$($B run -b /bundles/iofree iofree 2>&1); rc=$?; t=$(ms "$out")
    echo "# unthrottled read: ${t:-?} ms"
    eq "control: without io.max the same read takes < 1 s" "rc=0 fast" "rc=$rc $([ -n "$t" ] && [ "$t" -lt 1000 ] && echo fast || echo "slow (${t:-?} ms)")"
else
    not_ok "no /dev/ram0 (brd.ko did not load): io.max not exercised"
fi
rmdir $CG 2>/dev/null

# --- brig run IMAGE: the hardened defaults are v2 limits too -----------------
check "the OCI runtime ran without the lazily loaded libraries (no libcrypto, no libarchive)" \
    sh -c '! ls /lib/x86_64-linux-gnu/libcrypto.so.3 /lib/x86_64-linux-gnu/libarchive.so.13 /usr/lib/x86_64-linux-gnu/libcrypto.so.3 2>/dev/null'
out=$(LD_LIBRARY_PATH=/lazylib XDG_CACHE_HOME=/tmp/cache /brig run --entrypoint "" oci:/images/busybox-oci \
      sh -c 'echo $(cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max) $(cat /sys/fs/cgroup/cpu.max) $(id -u) $(awk "{ print \$2 }" /proc/self/uid_map)' 2>&1)
want="536870912 512 100000 100000 1000 100000"
eq "brig run IMAGE: 512m memory, 512 pids, 1 CPU, image user 1000 in a user namespace (0 -> 100000)" "$want" "$(echo "$out" | tail -1)"
[ "$(echo "$out" | tail -1)" = "$want" ] || echo "$out" | head -5 | sed 's/^/# /'
out=$(LD_LIBRARY_PATH=/lazylib XDG_CACHE_HOME=/tmp/cache /brig run --memory 48m --pids-limit 64 --cpus 0.25 --entrypoint "" oci:/images/busybox-oci \
      sh -c 'echo $(cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max)' 2>&1)
eq "brig run --memory 48m --pids-limit 64 --cpus 0.25" "50331648 64 25000 100000" "$(echo "$out" | tail -1)"
# /brig, the parent of `brig run` containers, stays (as Docker's /docker does).
eq "nothing left: no container state, no cgroup but the empty /brig parent (the VM has no other users)" \
    "/sys/fs/cgroup/brig" "$($B list -q) $(find /sys/fs/cgroup -mindepth 1 -type d)"
echo "GUEST DONE"
poweroff -f
