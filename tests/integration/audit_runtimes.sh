#!/usr/bin/env bash
# Real runtime output, not hand-written JSON: `podman inspect` of containers
# created with risky and with hardened flags, and the OCI config written by
# `runc spec`.  Findings must appear at the line of the offending key.
. "$(dirname "$0")/../lib.sh"
T=$T_TMP

line_of() { grep -n -- "$2" "$1" | tail -n 1 | cut -d: -f1; }   # last line of FILE matching PATTERN (after CreateCommand)
has() { "$BRIG" audit --exit-code 0 --format json "$1" | jq -e --arg id "$2" --argjson l "$3" '[.findings[] | select(.rule_id == $id and .line == $l)] | length >= 1' >/dev/null; }
lacks() { "$BRIG" audit --exit-code 0 --format json "$1" | jq -e --arg id "$2" '[.findings[] | select(.rule_id == $id)] | length == 0' >/dev/null; }

if command -v runc >/dev/null; then
    mkdir -p "$T/bundle" && (cd "$T/bundle" && runc spec)
    f=$T/bundle/config.json
    check "runc spec: uid 0 at process.user.uid" has "$f" BRIG-AUD-010 "$(line_of "$f" '"uid"')"
    check "runc spec: no seccomp section (CIS-5.22 at \"linux\")" has "$f" CIS-5.22 "$(line_of "$f" '"linux"')"
    check "runc spec: no pids limit" has "$f" CIS-5.29 "$(line_of "$f" '"resources"')"
    check "runc spec: read-only root and noNewPrivileges are recognised" bash -c '! "$0" audit --exit-code 0 --format json "$1" | jq -e "[.findings[] | select(.rule_id == \"CIS-5.13\" or .rule_id == \"CIS-5.26\")] | length > 0"' "$BRIG" "$f"
else
    skip "runc not installed"
fi

IMG=$FIXTURES/busybox.oci.tar
if ! command -v podman >/dev/null; then skip "podman not installed"; exit 0; fi
[ -f "$IMG" ] || need_fixtures
[ -f "$IMG" ] || { skip "busybox fixture missing"; exit 0; }
P=(podman --root "$T/p/root" --runroot "$T/p/run" --cgroup-manager cgroupfs --storage-driver vfs --events-backend none)
cleanup() { "${P[@]}" rm -af >/dev/null 2>&1; "${P[@]}" system reset -f >/dev/null 2>&1; rm -rf "$T/p" 2>/dev/null; }
trap cleanup EXIT
if ! "${P[@]}" create --name risky --privileged --network host --pid host -v /etc:/host-etc:ro \
        --security-opt seccomp=unconfined --restart always "oci-archive:$IMG" sleep 1 >"$T/create.log" 2>&1; then
    skip "podman create failed here: $(tail -1 "$T/create.log")"; exit 0
fi
"${P[@]}" create --name hardened --read-only --cap-drop ALL --security-opt no-new-privileges --memory 64m --cpus 0.5 \
    --pids-limit 100 --user 1000:1000 --network none --ulimit nofile=1024:1024 --restart on-failure:3 \
    "oci-archive:$IMG" sleep 1 >/dev/null 2>&1
"${P[@]}" inspect risky >"$T/risky.json"; "${P[@]}" inspect hardened >"$T/hardened.json"
f=$T/risky.json
check "podman inspect: privileged" has "$f" CIS-5.5 "$(line_of "$f" '"Privileged": true')"
check "podman inspect: host network" has "$f" CIS-5.10 "$(line_of "$f" '"NetworkMode": "host"')"
check "podman inspect: host PID" has "$f" CIS-5.16 "$(line_of "$f" '"PidMode": "host"')"
check "podman inspect: /etc bind mount" has "$f" CIS-5.6 "$(line_of "$f" '"Source": "/etc"')"
check "podman inspect: seccomp=unconfined" has "$f" CIS-5.22 "$(line_of "$f" '"seccomp=unconfined"')"
check "podman inspect: restart always" has "$f" CIS-5.15 "$(line_of "$f" '"Name": "always"')"
f=$T/hardened.json
for id in CIS-5.5 CIS-5.10 CIS-5.13 CIS-5.26 CIS-5.11 CIS-5.12 CIS-5.29 CIS-5.4 CIS-5.15 CIS-5.19 BRIG-AUD-010; do
    check "podman inspect: hardened container has no $id" lacks "$f" "$id"
done
check "podman inspect: --cap-drop ALL (expanded by podman to each capability) counts as ALL" jq -e '.[0].HostConfig.CapDrop | length > 10' "$f"
