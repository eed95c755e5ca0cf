#!/usr/bin/env bash
# Podman as a real client of brig (`podman --runtime brig`), rootful, cgroupfs.
# The image is loaded from the busybox fixture into a private storage so the
# host's images are untouched.
. "$(dirname "$0")/../lib.sh"
need_fixtures
command -v podman >/dev/null || { skip "podman not installed"; exit 0; }
ST=$(mktemp -d /tmp/bpod.XXXXXX)   # podman limits the runroot path to 50 bytes
P=(podman --root "$ST/root" --runroot "$ST/run" --runtime "$BRIG" --cgroup-manager cgroupfs --events-backend file)
# nproc: podman asks for 1048576, above this host's hard limit (brig says so).
U=(--ulimit nofile=1024:20000 --ulimit nproc=4096:4096)
cleanup() {
    "${P[@]}" rm -af -t 0 >/dev/null 2>&1
    # Runtime state of containers from this private storage (podman uses brig's default root).
    for c in $("$BRIG" list --format json 2>/dev/null | jq -r --arg s "$ST" '.[] | select(.bundle | startswith($s)) | .id'); do
        "$BRIG" delete -f "$c" >/dev/null 2>&1
    done
    "${P[@]}" system reset -f >/dev/null 2>&1; rm -rf "$T_TMP" "$ST"
}
trap cleanup EXIT
check "load the busybox fixture" "${P[@]}" load -q -i "$FIXTURES/busybox.docker.tar"
IMG=docker.io/brig/busybox:latest
run() { "${P[@]}" run --rm "${U[@]}" --entrypoint "" "$IMG" "$@"; }

check_out "podman run through brig: image entrypoint" "hello from brig" "${P[@]}" run --rm "${U[@]}" "$IMG"
check_out "env" "^bar$" "${P[@]}" run --rm "${U[@]}" -e FOO=bar --entrypoint "" "$IMG" sh -c 'echo $FOO'
check_out "image USER by default" "^uid=1000" run id
check_out "--user" "^uid=4321.* gid=4321" "${P[@]}" run --rm "${U[@]}" --user 4321:4321 --entrypoint "" "$IMG" id
mkdir -p "$T_TMP/vol"; echo data >"$T_TMP/vol/f"
check_out "volume" "^data$" "${P[@]}" run --rm "${U[@]}" -v "$T_TMP/vol:/v:ro" --entrypoint "" "$IMG" cat /v/f
check_fails "exit code" 5 "" run sh -c 'exit 5'
check_fails "a missing command is podman's 127 (brig says 'no such file or directory', as runc)" 127 "'/nonexistent': no such file or directory" \
    "${P[@]}" run --rm "${U[@]}" --entrypoint /nonexistent "$IMG"
check_out "podman's capability set applied, seccomp on" "Seccomp:.*2" run grep Seccomp: /proc/self/status
check_out "/dev/null usable (default device rules)" "^ok$" run sh -c 'echo x > /dev/null && echo ok'
check_fails "rlimit beyond the host limit is explained" 126 "RLIMIT_NPROC hard limit 1048576 is above" "${P[@]}" run --rm --ulimit nofile=1024:20000 --entrypoint "" "$IMG" true
check "run -d" "${P[@]}" run -d "${U[@]}" --name pt --entrypoint "" "$IMG" sleep 300
check_out "podman exec" "^in-exec$" "${P[@]}" exec pt echo in-exec
check_out "podman exec -t gets a terminal" "/dev/pts/" "${P[@]}" exec -t pt tty
check_out "podman inspect says running" "running" "${P[@]}" inspect -f '{{.State.Status}}' pt
check "podman stop" "${P[@]}" stop -t 1 pt
check_out "stopped" "exited" "${P[@]}" inspect -f '{{.State.Status}}' pt
check "podman start again" "${P[@]}" start pt
check "podman rm -f" "${P[@]}" rm -f -t 0 pt
check_fails "gone" 125 "no such (container|object)" "${P[@]}" inspect pt
check_out "run -t allocates a pty through --console-socket" "/dev/pts/0" "${P[@]}" run --rm -t "${U[@]}" --entrypoint "" "$IMG" tty
