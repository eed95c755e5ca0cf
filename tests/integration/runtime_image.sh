#!/usr/bin/env bash
# `brig run IMAGE`: hardened defaults checked from inside, flags, CIS warnings,
# refusal of dangerous volumes, trust policy, exit codes and the rootfs cache.
. "$(dirname "$0")/../lib.sh"
need_fixtures
BB=$FIXTURES/busybox-oci
DEB=$FIXTURES/debian-oci
export XDG_CACHE_HOME=$T_TMP/cache
# Image mode keeps its state in the default root (OCI globals like --root
# select bundle mode); container names are random or test-specific.
R=()
trap '"$BRIG" delete -f "kept-$$" >/dev/null 2>&1; rm -rf "$T_TMP"' EXIT
run() { "$BRIG" "${R[@]}" run "$@"; }
sh_in() { run --entrypoint "" "$@"; }

check_out "the image's entrypoint+cmd run" "^hello from brig$" run "oci:$BB"
out=$(sh_in "oci:$BB" sh -c 'id; cat /proc/self/uid_map; grep -E "^(CapEff|Seccomp|NoNewPrivs):" /proc/self/status; ulimit -n; cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us; ip -o link | cut -d: -f2; touch /x 2>&1; touch /tmp/y && echo tmp-ok; cp /bin/busybox /tmp/bb && /tmp/bb true || echo tmp-noexec' 2>&1)
check "runs as the image's USER (app=1000)" grep -q '^uid=1000(app) gid=1000' <<<"$out"
check "user namespace mapping 0 -> 100000" grep -qE '^ +0 +100000 +65536$' <<<"$out"
check "no capabilities" grep -q 'CapEff:[[:space:]]*0000000000000000' <<<"$out"
check "seccomp filter" grep -q 'Seccomp:[[:space:]]*2' <<<"$out"
check "no_new_privs" grep -q 'NoNewPrivs:[[:space:]]*1' <<<"$out"
check "nofile 1024" grep -qx 1024 <<<"$out"
check "memory limit 512m" grep -qx 536870912 <<<"$out"
check "pids limit 512" grep -qx 512 <<<"$out"
check "1 CPU (cfs quota 100000)" grep -qx 100000 <<<"$out"
check "loopback only" test "$(grep -cE '^ (lo|eth|en)' <<<"$out")" = 1
check "read-only root" grep -q 'Read-only file system' <<<"$out"
check "/tmp is writable" grep -q tmp-ok <<<"$out"
check "/tmp is noexec" grep -q tmp-noexec <<<"$out"
# A caller that starts brig with stdin closed (CI, some service managers): the
# container gets /dev/null, not a closed fd 0 that its first open() would take.
check_out "stdin closed by the caller: the container reads /dev/null" "^/dev/null$" \
    sh -c '"$@" <&-' _ "$BRIG" run --entrypoint "" "oci:$BB" readlink /proc/self/fd/0
check_out "a root image runs as 65534 by default" "^65534$" run "oci:$DEB" id -u
check_out "--user 0 is honoured (root in the user namespace only)" "^0 100000$" run --user 0 "oci:$DEB" sh -c 'echo $(id -u) $(awk "{print \$2}" /proc/self/uid_map)'
check_out "flags: -e -w --hostname" "^X=1 /etc h1$" sh_in -e X=1 -w /etc --hostname h1 "oci:$BB" sh -c 'echo X=$X $(pwd) $(hostname)'
check_out "--memory/--pids-limit/--cpus/--ulimit" "^67108864 50 50000 100 200$" sh_in --memory 64m --pids-limit 50 --cpus 0.5 --ulimit nofile=100:200 "oci:$BB" \
    sh -c 'echo $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(ulimit -n) $(ulimit -Hn)'
check_fails "--ulimit above the host hard limit is refused" 125 "RLIMIT_NOFILE hard limit 1048576" sh_in --ulimit nofile=1024:1048576 "oci:$BB" true
mkdir -p "$T_TMP/vol"; echo data >"$T_TMP/vol/f"
check_out "-v SRC:DST:ro bind mount" "^data$" sh_in -v "$T_TMP/vol:/data:ro" "oci:$BB" cat /data/f
check_fails "-v ro is read-only" 1 "Read-only" sh_in -v "$T_TMP/vol:/data:ro" "oci:$BB" sh -c 'echo x > /data/g'
for p in / /proc /sys/kernel /dev; do
    check_fails "-v $p is refused (CIS 5.6)" 125 "CIS Docker Benchmark 5.6" sh_in -v "$p:/host" "oci:$BB" true
done
check_out "--allow-dangerous permits it with one CIS warning" "^1 " sh -c "'$BRIG' ${R[*]} run --allow-dangerous --entrypoint '' -v /proc:/hostproc 'oci:$BB' true 2>&1 | grep -c 'CIS Docker Benchmark 5.6' | sed 's/$/ /'"
for f in "--cap-add NET_RAW:5.4" "--read-write:5.13" "--net host:5.10" "--seccomp unconfined:5.22" "--privileged:5.5"; do
    flag=${f%%:*}; item=${f##*:}
    # shellcheck disable=SC2086
    n=$("$BRIG" "${R[@]}" run $flag --entrypoint "" "oci:$BB" true 2>&1 | grep -c "CIS Docker Benchmark $item")
    check "$flag prints exactly one warning naming CIS $item" test "$n" = 1
done
check_out "--cap-add grants the capability to the non-root user" "CapEff:.*0000000000002000" sh_in --cap-add NET_RAW "oci:$BB" grep CapEff /proc/self/status
check_fails "exit status passes through" 3 "" sh_in "oci:$BB" sh -c 'exit 3'
check_fails "command not found is 127" 127 "'/nonexistent': no such file or directory" sh_in "oci:$BB" /nonexistent
check_fails "bad image is 125" 125 "error" run "oci:$T_TMP/none"
check_fails "unknown flag is 125" 125 "unknown option" run --frob "oci:$BB"
echo '{"default":[{"type":"reject"}]}' >"$T_TMP/reject.json"
check_fails "--policy reject stops the run" 125 "reject" run --policy "$T_TMP/reject.json" "oci:$BB"
check "the image is unpacked once per digest" test "$(ls "$XDG_CACHE_HOME/brig/rootfs" | grep -c -- '-u100000$')" = 2
check "the unpacked rootfs is owned by the shifted uid" test "$(stat -c %u "$(ls -d "$XDG_CACHE_HOME"/brig/rootfs/*-u100000 | head -1)/bin")" -ge 100000
run --name "gone-$$" "oci:$BB" >/dev/null
check "no state or bundle left behind after --rm (default)" test ! -e "/run/brig/gone-$$" -a ! -e "/run/brig/.bundles/gone-$$"
check_out "--keep keeps the stopped container" "stopped" sh -c "'$BRIG' run --keep --name kept-$$ --entrypoint '' 'oci:$BB' true; '$BRIG' state kept-$$"
check "brig delete removes a kept container" "$BRIG" delete "kept-$$"
check "... and the bundle brig generated for it" test ! -e "/run/brig/.bundles/kept-$$"
check_fails "-t without a terminal is refused clearly" 125 "needs a terminal" run -t "oci:$BB" </dev/null
check_out "-t gives the container a pty relayed to our terminal" "/dev/pts/0" on_pty "$BRIG" run -t --entrypoint '' "oci:$BB" tty
check_fails "-t passes the exit status" 4 "" on_pty "$BRIG" run -t --entrypoint '' "oci:$BB" sh -c 'exit 4'
