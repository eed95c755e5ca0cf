#!/usr/bin/env bash
# Regression tests for the three container-escape CVEs the runtime defends
# against, each attacked from inside a real container.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
"$here/../fixtures/build-runtime.sh" || { not_ok "runtime fixture could not be built"; exit 1; }
ROOTFS=$FIXTURES/runtime/rootfs
R=(--root "$T_TMP/state")
trap 'for c in $("$BRIG" "${R[@]}" list -q 2>/dev/null); do "$BRIG" "${R[@]}" delete -f "$c" >/dev/null 2>&1; done; rm -rf "$T_TMP"' EXIT
mkbundle() { ROOTFS=${3:-$ROOTFS} bundle_from_spec "$1" "${2:-.}"; }   # mkbundle DIR [JQ [ROOTFS]]

# --- CVE-2019-5736: /proc/self/exe of the runtime must not be the host binary.
sum_before=$(sha256sum "$BRIG" | cut -d' ' -f1)
B=$T_TMP/exe
mkbundle "$B" "$(args sleep 60) | .process.capabilities={bounding:[\"CAP_SYS_PTRACE\",\"CAP_DAC_OVERRIDE\"],effective:[\"CAP_SYS_PTRACE\",\"CAP_DAC_OVERRIDE\"],permitted:[\"CAP_SYS_PTRACE\",\"CAP_DAC_OVERRIDE\"]} | del(.linux.seccomp)"
# Default: re-executed through a detached read-only clone of the binary's mount.
"$BRIG" "${R[@]}" create -b "$B" exe >"$T_TMP/exe.out" 2>&1
pid=$("$BRIG" "${R[@]}" state exe | jq .pid)
check_out "the waiting container init runs from a read-only mount of the binary" "^ro$" python3 -c "
import os; print('ro' if os.statvfs('/proc/$pid/exe').f_flag & os.ST_RDONLY else 'rw')"
check_out "that mount is a detached clone (its path is not the host binary's)" "^/$" readlink "/proc/$pid/exe"
check_fails "writing the init's /proc/PID/exe from the host fails" 2 "Read-only|denied|busy|not permitted" sh -c "echo pwned > /proc/$pid/exe"
# The original attack: root in the container opens the runtime's exe (pid 1
# while created) and writes through it.
out=$("$BRIG" "${R[@]}" exec exe sh -c 'echo pwned > /proc/1/exe && echo WROTE || echo REFUSED' 2>&1)
check "from inside, writing the runtime's exe is refused" grep -q REFUSED <<<"$out"
check_out "the waiting init holds no host directory (procfs or rootfs) descriptor" "^0$" \
    "$BRIG" "${R[@]}" exec exe sh -c 'n=0; for f in /proc/1/fd/*; do [ -d "$f" ] && [ "$(readlink "$f")" != / ] && n=$((n+1)); done; echo $n'
"$BRIG" "${R[@]}" delete -f exe
# Fallback where no mount can be cloned (no CAP_SYS_ADMIN over the mount
# namespace, old kernels): a sealed memfd copy.
_BRIG_REEXEC_MEMFD=1 "$BRIG" "${R[@]}" create -b "$B" exe >"$T_TMP/exe.out" 2>&1
pid=$("$BRIG" "${R[@]}" state exe | jq .pid)
check_out "fallback: the waiting container init runs from a memfd, not the host binary" "^/memfd:brig" readlink "/proc/$pid/exe"
check_fails "fallback: writing the init's /proc/PID/exe from the host fails" 2 "denied|busy|not permitted" sh -c "echo pwned > /proc/$pid/exe"
check_out "fallback: the memfd is sealed against writes, growth and shrinking" "^sealed$" python3 -c "
import fcntl, os, sys
fd = os.open('/proc/$pid/exe', os.O_RDONLY)
seals = fcntl.fcntl(fd, 1034)   # F_GET_SEALS
need = 0x1 | 0x2 | 0x4 | 0x8   # SEAL, SHRINK, GROW, WRITE
print('sealed' if seals & need == need else 'seals=%#x' % seals)"
out=$("$BRIG" "${R[@]}" exec exe sh -c 'readlink /proc/1/exe; echo pwned > /proc/1/exe && echo WROTE || echo REFUSED' 2>&1)
check "fallback: from inside, /proc/1/exe of the runtime is a memfd" grep -q '^/memfd:brig' <<<"$out"
check "fallback: from inside, writing the runtime's exe is refused" grep -q REFUSED <<<"$out"
"$BRIG" "${R[@]}" delete -f exe
# #!/proc/self/exe trick: the container's entry point re-executes the runtime.
R2=$T_TMP/rootfs-exe; cp -a "$ROOTFS" "$R2"; printf '#!/proc/self/exe\n' >"$R2/evil"; chmod 755 "$R2/evil"
mkbundle "$T_TMP/exe2" "$(args /evil) | .root.readonly=false" "$R2"
"$BRIG" "${R[@]}" run -b "$T_TMP/exe2" exe2 >/dev/null 2>&1
check "host binary unchanged after the attacks" test "$(sha256sum "$BRIG" | cut -d' ' -f1)" = "$sum_before"
check "refuses to run a container when the protected re-exec did not take effect" \
    sh -c "_BRIG_REEXEC=1 '$BRIG' ${R[*]} run -b '$T_TMP/exe2' loop 2>&1 | grep -q 'CVE-2019-5736'"

# --- CVE-2024-21626: no leaked host fds, cwd must stay in the container.
# ls's own directory fd (-> /proc/N/fd) is the only other entry allowed.
mkbundle "$T_TMP/fd" "$(args sh -c "ls -l /proc/self/fd | grep -- '->' | grep -v '/proc/[0-9]*/fd\$' | sed 's/.* \([0-9]*\) -> .*/\1/' | tr '\n' ' '")"
check_out "only fds 0 1 2 are open inside" "^0 1 2 $" "$BRIG" "${R[@]}" run -b "$T_TMP/fd" fd
exec 7</etc/hostname
check_out "--preserve-fds 1 passes exactly fd 3" "^0 1 2 3 $" sh -c "exec 3</etc/hostname; '$BRIG' ${R[*]} run --preserve-fds 1 -b '$T_TMP/fd' fd2"
check_out "an inherited non-preserved fd (7) is not visible" "^0 1 2 $" "$BRIG" "${R[@]}" run -b "$T_TMP/fd" fd3
exec 7<&-
for n in 3 4 5 6 7 8; do
    mkbundle "$T_TMP/cwd$n" "$(args pwd) | .process.cwd=\"/proc/self/fd/$n\""
    check_fails "process.cwd /proc/self/fd/$n is refused" 5 "CVE-2024-21626" "$BRIG" "${R[@]}" run -b "$T_TMP/cwd$n" cwd$n
done
mkbundle "$T_TMP/cwdup" "$(args pwd) | .process.cwd=\"/../../../../\""
check_out "process.cwd with .. stays at the container root" "^/$" "$BRIG" "${R[@]}" run -b "$T_TMP/cwdup" cwdup

# --- CVE-2021-30465: a symlinked mount destination must resolve inside the rootfs.
HOSTDIR=$T_TMP/hostdir; mkdir -p "$HOSTDIR"
R3=$T_TMP/rootfs-link; cp -a "$ROOTFS" "$R3"; ln -s "$HOSTDIR" "$R3/evil"
ln -s ../../../../../../../etc "$R3/evil2"
mkbundle "$T_TMP/link" "$(args sh -c "grep ' $HOSTDIR ' /proc/self/mountinfo | grep -q tmpfs && touch /evil/marker && ls /evil && grep -q ' /etc ' /proc/self/mountinfo && echo inside") | .mounts += [{destination:\"/evil\",type:\"tmpfs\",source:\"tmpfs\"},{destination:\"/evil2\",type:\"tmpfs\",source:\"tmpfs\"}]" "$R3"
check_out "tmpfs on a symlink to a host path lands inside the rootfs" "inside" "$BRIG" "${R[@]}" run -b "$T_TMP/link" link
check "the host directory was not touched" test -z "$(ls -A "$HOSTDIR")"
check "the mount point was created inside the rootfs" test -d "$R3$HOSTDIR"
check "host /etc is not a tmpfs now" sh -c "! grep -q ' /etc tmpfs' /proc/self/mounts"
mkbundle "$T_TMP/bindlink" "$(args cat /evil/hostname) | .mounts += [{destination:\"/evil\",type:\"bind\",source:\"/etc\",options:[\"bind\",\"ro\"]}]" "$R3"
check_out "bind mount onto a symlinked destination also stays inside" "$(cat /etc/hostname)" "$BRIG" "${R[@]}" run -b "$T_TMP/bindlink" bindlink
check "the host directory is still empty after the bind" test -z "$(ls -A "$HOSTDIR")"
