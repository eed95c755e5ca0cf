#!/usr/bin/env bash
# Start-to-exit latency of /bin/true and peak RSS for brig, crun and runc on
# the same bundle, in one run, with ratios (medians of interleaved rounds).  crun refuses this host's hybrid
# cgroups, so every runtime runs in a private mount namespace where only
# cgroup2 is mounted at /sys/fs/cgroup, without a cgroupsPath (crun with
# --cgroup-manager=disabled).  Usage: bench/runtime.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); top=$here/..
BRIG=${BRIG:-$top/brig}; [ -x "$BRIG" ] || BRIG=$top/build/brig
RUNS=${1:-50}
"$top/tests/fixtures/build-runtime.sh"
work=$(mktemp -d /tmp/brig-bench-rt.XXXXXX); trap 'rm -rf "$work"' EXIT
b=$work/bundle; mkdir -p "$b"
# The same runc-style spec for all three (no user namespace, no cgroup, default
# capabilities); brig's hardened defaults would add seccomp work the others skip.
# Two variants: the stock spec (which mounts /sys/fs/cgroup: each runtime does
# that its own way) and the same spec without that mount (runtime work alone).
b=$work/bundle; mkdir -p "$b" "$work/nocg"
runc spec --bundle "$b"
jq --arg r "$top/tests/fixtures/out/runtime/rootfs" '.root.path=$r | .process.terminal=false | .process.args=["/bin/true"] | del(.linux.resources) | del(.linux.cgroupsPath)' "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
jq 'del(.mounts[] | select(.type == "cgroup"))' "$b/config.json" >"$work/nocg/config.json"
cat >"$work/timer.py" <<'PY'
import os, shlex, statistics, sys, time
runs, work, pairs = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
rts = [(pairs[i], shlex.split(pairs[i + 1])) for i in range(0, len(pairs), 2)]
null = os.open(os.devnull, os.O_RDWR)
def once(argv):
    t = time.perf_counter_ns()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
    _, st = os.waitpid(pid, 0)
    return time.perf_counter_ns() - t, os.waitstatus_to_exitcode(st)
ok = {}
for name, argv in rts:                      # warm-up, and drop a runtime that fails here
    ok[name] = once(argv)[1] == 0
    if not ok[name]: print(f"# {name} failed on this bundle, skipped", file=sys.stderr)
times = {n: [] for n, _ in rts}
for _ in range(runs):
    for name, argv in rts:
        if ok[name]: times[name].append(once(argv)[0] / 1000)
for name, _ in rts:
    if ok[name]:
        with open(f"{work}/{name}.us", "w") as f: f.write("%d\n" % statistics.median(times[name]))
        with open(f"{work}/{name}.mean", "w") as f: f.write("%d\n" % statistics.mean(times[name]))
PY
bench_bundle() {   # LABEL BUNDLE
    local label=$1 bundle=$2 r
    declare -A cmd=(
      [brig]="$BRIG --root $work/s-brig run -b $bundle x"
      [crun]="crun --cgroup-manager=disabled --root $work/s-crun run -b $bundle x"
      [runc]="runc --root $work/s-runc run -b $bundle x"
    )
    local names=() args=()
    for r in brig crun runc; do
        if command -v "${cmd[$r]%% *}" >/dev/null; then names+=("$r"); args+=("$r" "${cmd[$r]}"); else echo "# $r not installed, skipped"; fi
    done
    rm -f "$work"/*.us "$work"/*.mean "$work"/*.rss
    echo "# $label: start-to-exit latency of /bin/true, $RUNS rounds; each round runs every runtime once,"
    echo "# interleaved, so load on the machine hits all of them alike (private mount ns, cgroup2 only)"
    unshare -m --propagation private sh -c 'umount -l /sys/fs/cgroup 2>/dev/null; mount -t cgroup2 none /sys/fs/cgroup; exec "$@"' sh \
        python3 "$work/timer.py" "$RUNS" "$work" "${args[@]}"
    for r in "${names[@]}"; do
        [ -s "$work/$r.us" ] || continue
        rss=$(unshare -m --propagation private sh -c "umount -l /sys/fs/cgroup 2>/dev/null; mount -t cgroup2 none /sys/fs/cgroup; /usr/bin/time -f %M ${cmd[$r]} 2>&1 >/dev/null | tail -1")
        echo "$rss" >"$work/$r.rss"
        printf '%-5s median %7s us/run  mean %7s us/run  peak RSS %6s KB\n' "$r" "$(cat "$work/$r.us")" "$(cat "$work/$r.mean")" "$rss"
    done
    for r in crun runc; do
        [ -s "$work/$r.us" ] && [ -s "$work/brig.us" ] || continue
        awk -v b="$(cat "$work/brig.us")" -v c="$(cat "$work/$r.us")" -v n="$r" 'BEGIN { if (b > 0) printf "ratio latency %s/brig = %.2f (>1: brig faster)\n", n, c / b }'
        awk -v b="$(cat "$work/brig.rss")" -v c="$(cat "$work/$r.rss")" -v n="$r" 'BEGIN { if (b > 0) printf "ratio peak RSS %s/brig = %.2f (>1: brig smaller)\n", n, c / b }'
    done
}
bench_bundle "runc spec" "$b"
bench_bundle "runc spec without the /sys/fs/cgroup mount" "$work/nocg"
