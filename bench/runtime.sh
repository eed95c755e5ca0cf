#!/usr/bin/env bash
# Start-to-exit latency of /bin/true and peak RSS for brig, crun and runc on
# the same bundle, in one run, with ratios.  crun refuses this host's hybrid
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
runc spec --bundle "$b"
jq --arg r "$top/tests/fixtures/out/runtime/rootfs" '.root.path=$r | .process.terminal=false | .process.args=["/bin/true"] | del(.linux.resources) | del(.linux.cgroupsPath)' "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
declare -A cmd=(
  [brig]="$BRIG --root $work/s-brig run -b $b x"
  [crun]="crun --cgroup-manager=disabled --root $work/s-crun run -b $b x"
  [runc]="runc --root $work/s-runc run -b $b x"
)
for r in brig crun runc; do
    command -v "${cmd[$r]%% *}" >/dev/null || { echo "# $r not installed, skipped"; unset "cmd[$r]"; }
done
echo "# start-to-exit latency of /bin/true, $RUNS runs each (private mount ns, cgroup2 only)"
for r in brig crun runc; do
    [ -n "${cmd[$r]:-}" ] || continue
    unshare -m --propagation private sh -c "umount -l /sys/fs/cgroup 2>/dev/null; mount -t cgroup2 none /sys/fs/cgroup; \
        ${cmd[$r]} >/dev/null 2>&1 || { echo '$r failed' >&2; exit 1; }; \
        s=\$(date +%s%N); i=0; while [ \$i -lt $RUNS ]; do ${cmd[$r]} >/dev/null 2>&1; i=\$((i+1)); done; e=\$(date +%s%N); \
        echo \$(( (e - s) / $RUNS / 1000 ))" >"$work/$r.us" || echo 0 >"$work/$r.us"
    rss=$(unshare -m --propagation private sh -c "umount -l /sys/fs/cgroup 2>/dev/null; mount -t cgroup2 none /sys/fs/cgroup; /usr/bin/time -f %M ${cmd[$r]} 2>&1 >/dev/null | tail -1")
    echo "$rss" >"$work/$r.rss"
    printf '%-5s %8s us/run  peak RSS %6s KB\n' "$r" "$(cat "$work/$r.us")" "$rss"
done
if [ -s "$work/crun.us" ] && [ -s "$work/brig.us" ]; then
    awk -v b="$(cat "$work/brig.us")" -v c="$(cat "$work/crun.us")" 'BEGIN { if (b > 0) printf "ratio latency crun/brig = %.2f (>1: brig faster)\n", c / b }'
fi
if [ -s "$work/runc.us" ] && [ -s "$work/brig.us" ]; then
    awk -v b="$(cat "$work/brig.us")" -v c="$(cat "$work/runc.us")" 'BEGIN { if (b > 0) printf "ratio latency runc/brig = %.2f (>1: brig faster)\n", c / b }'
fi
for r in crun runc; do
    [ -s "$work/$r.rss" ] && awk -v b="$(cat "$work/brig.rss")" -v c="$(cat "$work/$r.rss")" -v n="$r" 'BEGIN { if (b > 0) printf "ratio peak RSS %s/brig = %.2f (>1: brig smaller)\n", n, c / b }'
done
