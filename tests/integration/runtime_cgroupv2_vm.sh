#!/usr/bin/env bash
# cgroup v2 limits enforced by the kernel.  This host binds every controller to
# cgroup v1, so the limits are checked in a VM: Debian's kernel under QEMU (TCG)
# booted with cgroup_no_v1=all, an initramfs holding brig (with its shared
# libraries), busybox and bundles made here; tests/vm/cgroupv2-guest.sh runs
# the checks there and prints them on the serial console.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
trap 'rm -rf "$T_TMP"' EXIT
kernel=$(ls -v /boot/vmlinuz-* 2>/dev/null | tail -1)
if ! command -v qemu-system-x86_64 >/dev/null || [ -z "$kernel" ]; then
    skip "cgroup v2 VM: needs qemu-system-x86 and a Debian kernel in /boot (scripts/install-deps.sh installs qemu-system-x86 linux-image-cloud-amd64)"
    exit 0
fi
kver=${kernel#/boot/vmlinuz-}
"$here/../fixtures/build-runtime.sh" || { not_ok "runtime fixture could not be built"; exit 1; }
S=$T_TMP/stage
mkdir -p "$S/bundles" "$S/modules"
# brig and every shared library it links (ASan's runtime too), at the same paths.
cp "$BRIG" "$S/brig"
for lib in $(ldd "$BRIG" | grep -oE '/[^ ]+'); do
    mkdir -p "$S$(dirname "$lib")" && cp -L "$lib" "$S$lib"
done
# The libraries brig loads only on first use (image unpacking, digests) go to
# /lazylib, given to `brig run IMAGE` alone: the OCI runtime commands must work
# without them.
mkdir -p "$S/lazylib"
for so in libarchive.so.13 libcrypto.so.3; do
    p=$(ldconfig -p | awk -v s="$so" '$1 == s && /x86-64/ { print $NF; exit }')
    [ -n "$p" ] || { not_ok "$so not found (scripts/install-deps.sh installs it)"; exit 1; }
    for lib in "$p" $(ldd "$p" | grep -oE '/[^ ]+'); do
        [ -e "$S$lib" ] || cp -L "$lib" "$S/lazylib/$(basename "$lib")"
    done
done
cp -a "$FIXTURES/runtime/rootfs" "$S/rootfs"
need_fixtures
mkdir -p "$S/images" && cp -a "$FIXTURES/busybox-oci" "$S/images/busybox-oci"
brd=$(find "/lib/modules/$kver" -name 'brd.ko*' | head -1)
case $brd in *.ko) cp "$brd" "$S/modules/brd.ko" ;; *.xz) xz -dc "$brd" >"$S/modules/brd.ko" ;; *.zst) zstd -qdc "$brd" >"$S/modules/brd.ko" ;; esac
cp "$here/../vm/cgroupv2-guest.sh" "$S/stage2"

# bundle NAME JQ_FILTER: brig's default spec, the busybox rootfs, cgroupsPath /brigvm/NAME.
bundle() { ROOTFS=/rootfs bundle_from_spec "$S/bundles/$1" ".linux.cgroupsPath = \"/brigvm/\" + \$n | $2" --arg n "$1"; }
bundle lim '.process.args = ["sleep", "600"] | .linux.resources = {
    memory: {limit: 67108864, reservation: 33554432, swap: 100663296},
    cpu: {shares: 512, quota: 50000, period: 100000, cpus: "1", mems: "0"},
    pids: {limit: 20},
    blockIO: {weight: 500, throttleReadBpsDevice: [{major: 1, minor: 0, rate: 1048576}]},
    unified: {"memory.high": "62914560"}}'
# ash gives up on the first fork that fails, so the burst runs in a child shell
# and the counts are read with builtins only (no fork left to spare).
bundle pids '.process.args = ["sh", "-c", "sh -c '"'"'i=0; while [ $i -lt 30 ]; do sleep 5 & i=$((i+1)); done'"'"' 2>/dev/null;
    read c </sys/fs/cgroup/pids.current; echo current $c; while read k v; do [ $k = max ] && echo max $v; done </sys/fs/cgroup/pids.events; true"]
    | .linux.resources = {pids: {limit: 10}}'
mem='.linux.resources = {memory: {limit: 33554432, swap: 33554432}} | .process.args = ["tail", "/dev/zero"]'
bundle mem "$mem"
bundle memrun "$mem"
bundle cpu '.process.args = ["sh", "-c", "timeout 2 sh -c \"while :; do :; done\"; cat /sys/fs/cgroup/cpu.stat"]
    | .linux.resources = {cpu: {quota: 10000, period: 100000}}'
# The read is timed inside the container (/proc/uptime before and after dd), so
# brig's own start-up, slow under emulation and ASan, is not counted.
io='.process.args = ["sh", "-c", "read a x </proc/uptime; dd if=/dev/ram0 of=/dev/null bs=64k count=48 iflag=direct || exit 1; read b x </proc/uptime; echo elapsed $a $b"]
    | .linux.devices = [{path: "/dev/ram0", type: "b", major: 1, minor: 0, fileMode: 438, uid: 0, gid: 0}]
    | .linux.resources.devices = [{allow: false, access: "rwm"}, {allow: true, type: "b", major: 1, minor: 0, access: "r"}]'
bundle io "$io | .linux.resources.blockIO = {throttleReadBpsDevice: [{major: 1, minor: 0, rate: 1048576}]}"
bundle iofree "$io"

"$here/../vm/boot.sh" "$S" "$kernel" "$T_TMP/console.log" 300; rc=$?
grep -E '^(ok|not ok) - |^# ' "$T_TMP/console.log"
if ! grep -q '^GUEST DONE$' "$T_TMP/console.log"; then
    not_ok "the cgroup v2 VM ran to the end (qemu exit $rc)"
    tail -30 "$T_TMP/console.log" | sed 's/^/# /'
fi
