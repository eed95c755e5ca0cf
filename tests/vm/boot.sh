#!/usr/bin/env bash
# boot.sh STAGE_DIR KERNEL SERIAL_LOG [TIMEOUT_S]: packs STAGE_DIR (which must
# hold /stage2, run after switch_root into a tmpfs) with busybox and this
# directory's init into an initramfs, boots it under QEMU and writes the serial
# console to SERIAL_LOG
# (SERIAL_LOG.raw is written as it happens).  Software emulation (TCG) only: nested KVM is absent
# on some CI machines and hangs on others.  Exit status: QEMU's, or 124 on timeout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
stage=$1 kernel=$2 log=$3 limit=${4:-300}
bb=$(command -v busybox)
file -L "$bb" | grep -q 'statically linked' || { echo "boot.sh: $bb is not static (apt-get install busybox-static)" >&2; exit 1; }
mkdir -p "$stage/bin" "$stage/proc" "$stage/sys" "$stage/dev"
cp "$bb" "$stage/bin/busybox"
cp "$here/init" "$stage/init"
chmod 0755 "$stage/init" "$stage/stage2"
cpio=${stage%/}.cpio
(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) >"$cpio"
# panic=-1 and -no-reboot: a kernel panic ends QEMU instead of hanging it.
rc=0
timeout "$limit" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1024 -display none -monitor none -no-reboot -net none \
    -serial "file:$log.raw" -kernel "$kernel" -initrd "$cpio" \
    -append "console=ttyS0 quiet loglevel=1 panic=-1 rdinit=/init cgroup_no_v1=all" </dev/null || rc=$?
tr -d '\r' <"$log.raw" >"$log"
exit "$rc"
