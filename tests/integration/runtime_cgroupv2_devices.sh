#!/usr/bin/env bash
# linux.resources.devices on cgroup v2: brig attaches an eBPF device program to
# the container's cgroup.  As in runtime_cgroupv2.sh, the unified hierarchy is
# mounted at /sys/fs/cgroup in a private mount namespace so brig takes its v2
# path on this hybrid host.  Every rule is checked from inside the container
# (open/mknod refused with EPERM or not) and the attached programs with bpftool.
# The last part runs the same rule list through the v1 devices controller when
# the host has one: both versions must mean the same thing.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
"$here/../fixtures/build-runtime.sh" || { not_ok "runtime fixture could not be built"; exit 1; }
grep -q cgroup2 /proc/filesystems || { skip "no cgroup2 in this kernel"; exit 0; }
command -v bpftool >/dev/null || { not_ok "bpftool is missing (scripts/install-deps.sh installs it)"; exit 1; }
export ROOTFS=$FIXTURES/runtime/rootfs BRIG T_TMP LIB="$here/../lib.sh"
trap 'rm -rf "$T_TMP"' EXIT
cat >"$T_TMP/inner.sh" <<'INNER'
set -u
outer_tmp=$T_TMP
. "$LIB"; rm -rf "$T_TMP"; T_TMP=$outer_tmp   # the checks, numbered on from the outer script
umount -l /sys/fs/cgroup 2>/dev/null
mount -t cgroup2 none /sys/fs/cgroup || { not_ok "cannot mount cgroup2 in a private namespace"; exit 0; }
R=(--root "$T_TMP/state")
CGB=/brig-devtest-$$
KMSG='.linux.devices=[{path:"/dev/kmsg",type:"c",major:1,minor:11}]'
HASMKNOD="grep -Eq '^CapEff:\s*[0-9a-f]*[89a-f][0-9a-f]{6}\$' /proc/self/status"   # bit 27
# CAP_SYSLOG: reading /dev/kmsg needs it (dmesg_restrict), so only the device rules can refuse it.
MKNOD='.process.capabilities |= with_entries(select(.key != "ambient") | .value += ["CAP_MKNOD","CAP_SYSLOG"])'
mk() { bundle_from_spec "$1" "$2"; }
progs() { bpftool cgroup show "/sys/fs/cgroup$CGB/$1" 2>/dev/null | awk '$2 == "cgroup_device" || $2 == "device" { print $1 }'; }
nprogs() { progs "$1" | wc -l; }
x() { "$BRIG" "${R[@]}" exec "$@"; }
upd() { printf '%s' "$2" >"$T_TMP/upd.json"; "$BRIG" "${R[@]}" update -r "$T_TMP/upd.json" "$1"; }

# Podman/containerd shape: deny-all, then allows.
mk "$T_TMP/d1" ".process.args=[\"sleep\",\"60\"] | .linux.cgroupsPath=\"$CGB/d1\" | $KMSG | $MKNOD
    | .linux.resources={devices:[{allow:false,access:\"rwm\"},{allow:true,type:\"c\",major:1,minor:3,access:\"rwm\"}]}"
# (run -d output goes to a file: a pipe would stay open as long as the container runs)
"$BRIG" "${R[@]}" run -d -b "$T_TMP/d1" d1 >"$T_TMP/d1.out" 2>&1
check "run -d with device rules on cgroup v2" grep -q '"running"' <("$BRIG" "${R[@]}" state d1; cat "$T_TMP/d1.out")
check_out "exactly one device program (brig_devices) is attached to the container's cgroup" "^1 brig_devices$" \
    sh -c "echo \$(bpftool cgroup show /sys/fs/cgroup$CGB/d1 | grep -c device) \$(bpftool cgroup show /sys/fs/cgroup$CGB/d1 | awk '/device/ {print \$NF}')"
check_fails "inside: reading /dev/kmsg (c 1:11, denied) fails with EPERM" 1 "Operation not permitted" x d1 head -n1 /dev/kmsg
check_out "inside: /dev/null and /dev/zero work" "^4$" x d1 sh -c 'echo x > /dev/null && head -c 4 /dev/zero | wc -c'
check_out "inside: CAP_MKNOD is held and mknod c 1:11 works (runc's default rule c *:* m)" "^ok$" \
    x d1 sh -c "$HASMKNOD && mknod /dev/k c 1 11 && echo ok"
old=$(progs d1)
check "update: new rules [deny all, allow c 1:11 r]" upd d1 '{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":11,"access":"r"}]}'
check "inside after update: /dev/kmsg can be read" x d1 head -n1 /dev/kmsg
check_fails "inside after update: /dev/kmsg cannot be opened for writing" 1 "Operation not permitted" x d1 sh -c 'echo brig-devtest > /dev/kmsg'
check_fails "inside after update: O_RDWR needs both r and w, so it fails" 1 "Operation not permitted" x d1 sh -c 'exec 3<>/dev/kmsg'
new=$(progs d1)
check "update replaced the program (one attached, old id $old, new id $new)" \
    test "$(nprogs d1)" -eq 1 -a -n "$new" -a "$new" != "$old"
check "update back to deny-all" upd d1 '{"devices":[{"allow":false,"access":"rwm"}]}'
check_fails "inside: /dev/kmsg is denied again" 1 "Operation not permitted" x d1 head -n1 /dev/kmsg
check "update to allow-all ({allow:true, access:rwm})" upd d1 '{"devices":[{"allow":true,"access":"rwm"}]}'
check "allow-all detaches the program (no device program left)" test "$(nprogs d1)" -eq 0
check "inside after allow-all: /dev/kmsg can be read" x d1 head -n1 /dev/kmsg
check "update to deny-all once more" upd d1 '{"devices":[{"allow":false,"access":"rwm"}]}'
ids=$(progs d1)
check "delete removes the cgroup" sh -c "'$BRIG' ${R[*]} delete -f d1 && test ! -d /sys/fs/cgroup$CGB/d1"
gone() { for _ in $(seq 100); do bpftool prog show id "$1" >/dev/null 2>&1 || return 0; sleep 0.1; done; return 1; }
check "the program ($ids) is gone after delete" gone "${ids:-0}"

# An explicit deny after the deny-all is honoured, also against a default rule.
export S2="$HASMKNOD && echo CAP; mknod /dev/k c 1 11 || echo KDENIED; mknod /dev/n c 1 3 && echo NOK; echo x > /dev/null && echo NULL"
mk "$T_TMP/d2" ".process.args=[\"sh\",\"-c\",\$ENV.S2]
    | .linux.cgroupsPath=\"$CGB/d2\" | $KMSG | $MKNOD
    | .linux.resources={devices:[{allow:false,access:\"rwm\"},{allow:false,type:\"c\",access:\"m\"},{allow:true,type:\"c\",major:1,minor:3,access:\"rwm\"}]}"
out=$("$BRIG" "${R[@]}" run -b "$T_TMP/d2" d2 2>&1)
if grep -q "mknod: /dev/k: Operation not permitted" <<<"$out" && grep -q KDENIED <<<"$out" && grep -q CAP <<<"$out"; then
    ok "inside: mknod of a denied device fails with EPERM even with CAP_MKNOD"
else not_ok "inside: mknod of a denied device fails with EPERM even with CAP_MKNOD"; printf '%s\n' "$out" | sed 's/^/# /'; fi
if grep -q NOK <<<"$out" && grep -q NULL <<<"$out"; then ok "inside: mknod of the allowed c 1:3 works, /dev/null usable"
else not_ok "inside: mknod of the allowed c 1:3 works, /dev/null usable"; printf '%s\n' "$out" | sed 's/^/# /'; fi

# No rules, or allow-all: no program.
mk "$T_TMP/d3" ".process.args=[\"sleep\",\"60\"] | .linux.cgroupsPath=\"$CGB/d3\" | $KMSG | $MKNOD | .linux.resources={devices:[]}"
"$BRIG" "${R[@]}" run -d -b "$T_TMP/d3" d3 >/dev/null 2>&1
check "an empty rule list attaches no program" test "$(nprogs d3)" -eq 0
check_out "inside: without rules /dev/kmsg can be read" "READ" x d3 sh -c 'head -n1 /dev/kmsg >/dev/null && echo READ'
"$BRIG" "${R[@]}" delete -f d3 >/dev/null 2>&1
mk "$T_TMP/d4" ".process.args=[\"sleep\",\"60\"] | .linux.cgroupsPath=\"$CGB/d4\" | .linux.resources={devices:[{allow:true,access:\"rwm\"}]}"
"$BRIG" "${R[@]}" run -d -b "$T_TMP/d4" d4 >/dev/null 2>&1
check "a single allow-all rule attaches no program" sh -c "test -d /sys/fs/cgroup$CGB/d4 && test \$(bpftool cgroup show /sys/fs/cgroup$CGB/d4 | grep -c device) -eq 0"
"$BRIG" "${R[@]}" delete -f d4 >/dev/null 2>&1

# Malformed rules: exit 3 naming the rule, nothing left behind.
mk "$T_TMP/d5" ".process.args=[\"true\"] | .linux.cgroupsPath=\"$CGB/d5\" | .linux.resources={devices:[{allow:false,access:\"rwm\"},{allow:true,type:\"x\"}]}"
check_fails "a malformed rule is refused (exit 3) naming its index" 3 "linux.resources.devices\[1\]: type must be" "$BRIG" "${R[@]}" run -b "$T_TMP/d5" d5
check "the refused container left no cgroup" test ! -d "/sys/fs/cgroup$CGB/d5"
mk "$T_TMP/d6" ".process.args=[\"true\"] | .linux.cgroupsPath=\"$CGB/d6\" | .linux.resources={devices:[{allow:false,access:\"rwm\"},{allow:true,type:\"c\",major:\"1\"}]}"
check_fails "a non-integer major is refused (exit 3) naming its index" 3 "devices\[1\]: major must be an integer" "$BRIG" "${R[@]}" run -b "$T_TMP/d6" d6
for c in $("$BRIG" "${R[@]}" list -q 2>/dev/null); do "$BRIG" "${R[@]}" delete -f "$c" >/dev/null 2>&1; done
for d in /sys/fs/cgroup$CGB/*; do [ -d "$d" ] && rmdir "$d"; done 2>/dev/null
rmdir "/sys/fs/cgroup$CGB" 2>/dev/null
true
INNER
out=$(unshare -m --propagation private bash "$T_TMP/inner.sh" 2>&1)
printf '%s\n' "$out" | sed -E "s/^(not )?ok [0-9]+ - /\1ok - cgroup v2 devices: /"
grep -q "non-integer major is refused" <<<"$out" || not_ok "cgroup v2 devices: the namespace script stopped early"

# The same rules through the v1 devices controller (this hybrid host).
if [ "$(stat -f -c %T /sys/fs/cgroup/devices 2>/dev/null)" = cgroupfs ] || [ -f /sys/fs/cgroup/devices/devices.list ]; then
    R=(--root "$T_TMP/state1")
    CG1=/brig-devtest1-$$
    bundle_from_spec "$T_TMP/v1" ".process.args=[\"sleep\",\"60\"] | .linux.cgroupsPath=\"$CG1/v1\" | .linux.devices=[{path:\"/dev/kmsg\",type:\"c\",major:1,minor:11}]
        | .process.capabilities |= with_entries(select(.key != \"ambient\") | .value += [\"CAP_MKNOD\",\"CAP_SYSLOG\"])
        | .linux.resources={devices:[{allow:false,access:\"rwm\"},{allow:true,type:\"c\",major:1,minor:11,access:\"r\"}]}"
    "$BRIG" "${R[@]}" run -d -b "$T_TMP/v1" v1 >"$T_TMP/v1.out" 2>&1
    check "v1: run -d with the same rules" grep -q '"running"' <("$BRIG" "${R[@]}" state v1; cat "$T_TMP/v1.out")
    check "v1 inside: /dev/kmsg can be read" "$BRIG" "${R[@]}" exec v1 head -n1 /dev/kmsg
    check_fails "v1 inside: /dev/kmsg cannot be opened for writing" 1 "Operation not permitted" "$BRIG" "${R[@]}" exec v1 sh -c 'echo brig-devtest > /dev/kmsg'
    check_fails "v1 inside: a block device node (b 8:0) can be made (b *:* m) but not read" 1 "Operation not permitted" "$BRIG" "${R[@]}" exec v1 sh -c 'mknod /dev/b b 8 0 && head -c1 /dev/b'
    "$BRIG" "${R[@]}" delete -f v1 >/dev/null 2>&1
    bundle_from_spec "$T_TMP/v1b" ".process.args=[\"true\"] | .linux.cgroupsPath=\"$CG1/v1b\" | .linux.resources={devices:[{allow:false,access:\"rwm\"},{allow:false,type:\"c\",major:136,minor:2,access:\"rw\"}]}"
    check_fails "v1: a deny that v1 would silently ignore (leaving pts 2 open) is refused (exit 3)" 3 "devices\[1\]: 'deny c 136:2 rw' cannot be expressed on cgroup v1" \
        "$BRIG" "${R[@]}" run -b "$T_TMP/v1b" v1b
    # Only the mknod bit differs on v1 (Docker's own list does this for /dev/fuse): accepted,
    # the node can be made but not opened.
    bundle_from_spec "$T_TMP/v1c" ".process.args=[\"sh\",\"-c\",\"mknod /dev/f c 10 229 && ! head -c1 /dev/f 2>/dev/null && echo made-not-opened\"] | .linux.cgroupsPath=\"$CG1/v1c\"
        | .process.capabilities |= with_entries(select(.key != \"ambient\") | .value += [\"CAP_MKNOD\"])
        | .linux.resources={devices:[{allow:false,access:\"rwm\"},{allow:false,type:\"c\",major:10,minor:229,access:\"rwm\"}]}"
    check_out "v1: a deny whose only v1 gap is mknod (Docker's deny c 10:229 rwm) runs; the node cannot be opened" "^made-not-opened$" \
        "$BRIG" "${R[@]}" run -b "$T_TMP/v1c" v1c
    for d in /sys/fs/cgroup/*/"$CG1"/* /sys/fs/cgroup/*/"$CG1"; do [ -d "$d" ] && rmdir "$d"; done 2>/dev/null
else
    skip "v1 counterpart: no v1 devices controller on this host"
fi
