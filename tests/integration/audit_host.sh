#!/usr/bin/env bash
# `brig audit host`: on this machine every check ends as PASS/FAIL/N/A without
# a crash; on a fabricated root (--host-root) each status is the expected one.
. "$(dirname "$0")/../lib.sh"
T=$T_TMP

out=$("$BRIG" audit host 2>&1); rc=$?
check "host: exit 0 or 1 on this machine (no crash)" test "$rc" -le 1
n=$(printf '%s\n' "$out" | grep -cE '^(PASS|FAIL|N/A) ')
check "host: 24 checks reported with a status" test "$n" -eq 24
check "host: summary line counts pass/fail/n-a" grep -qE '^host checks: [0-9]+ pass, [0-9]+ fail, [0-9]+ not applicable' <<<"$out"
# Facts about this machine that the checks must see.
if [ -e /sys/fs/cgroup/unified/cgroup.controllers ] && [ ! -e /sys/fs/cgroup/cgroup.controllers ]; then
    check "host: hybrid cgroups reported as FAIL BRIG-AUD-033" grep -qE '^FAIL +BRIG-AUD-033' <<<"$out"
else skip "host: hybrid cgroup machine only"; fi
if [ ! -e /var/run/docker.sock ]; then
    check "host: absent docker.sock is N/A, not PASS" grep -qE '^N/A +CIS-3.16' <<<"$out"
else skip "host: docker.sock present"; fi
"$BRIG" audit host --format json --exit-code 0 >"$T/host.json"
check "host: json lists all 24 checks under host_checks" jq -e '.host_checks | length == 24' "$T/host.json"
check "host: every host_checks status is pass, fail or not-applicable" \
    jq -e '[.host_checks[].status] | all(. == "pass" or . == "fail" or . == "not-applicable")' "$T/host.json"
check "host: json failures match the findings" \
    jq -e '([.host_checks[] | select(.status == "fail")] | length) == ([.findings[] | select(.rule_id | test("^(CIS-3[.]|BRIG-AUD-03)"))] | length)' "$T/host.json"

# ---- fabricated root ----
R=$T/root
mkdir -p "$R/proc/sys/user" "$R/proc/self" "$R/sys/fs/cgroup" "$R/etc/docker" "$R/var/run" "$R/lib/systemd/system" "$R/run/containerd"
echo 0 >"$R/proc/sys/user/max_user_namespaces"
printf 'Name:\tx\nUid:\t0\n' >"$R/proc/self/status"
touch "$R/sys/fs/cgroup/cgroup.controllers"
cat >"$R/etc/docker/daemon.json" <<JSON
{
  "icc": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/cert.pem",
  "tlskey": "/etc/docker/key.pem"
}
JSON
chmod 0666 "$R/etc/docker/daemon.json"; chmod 0777 "$R/etc/docker"
echo ca >"$R/etc/docker/ca.pem"; chmod 0644 "$R/etc/docker/ca.pem"; chown 1000:1000 "$R/etc/docker/ca.pem"
echo cert >"$R/etc/docker/cert.pem"; chmod 0444 "$R/etc/docker/cert.pem"
echo key >"$R/etc/docker/key.pem"; chmod 0400 "$R/etc/docker/key.pem"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$R/var/run/docker.sock"; chmod 0666 "$R/var/run/docker.sock"
printf '[Service]\n' >"$R/lib/systemd/system/docker.service"; chmod 0644 "$R/lib/systemd/system/docker.service"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$R/run/containerd/containerd.sock"; chmod 0600 "$R/run/containerd/containerd.sock"

out=$("$BRIG" audit --host-root "$R" host 2>&1); rc=$?
check "fake root: exit 1 (failures found)" test "$rc" -eq 1
status() { printf '%s\n' "$out" | awk -v id="$1" '$2 == id { print $1; exit }'; }
for pair in BRIG-AUD-030:FAIL BRIG-AUD-031:FAIL BRIG-AUD-032:FAIL BRIG-AUD-033:PASS \
            CIS-3.1:PASS CIS-3.2:PASS CIS-3.3:N/A CIS-3.4:N/A CIS-3.5:PASS CIS-3.6:FAIL \
            CIS-3.9:FAIL CIS-3.10:FAIL CIS-3.11:PASS CIS-3.12:PASS CIS-3.13:PASS CIS-3.14:PASS \
            CIS-3.15:PASS CIS-3.16:FAIL CIS-3.17:PASS CIS-3.18:FAIL CIS-3.19:N/A CIS-3.20:N/A \
            CIS-3.23:PASS CIS-3.24:PASS; do
    id=${pair%%:*} want=${pair#*:}
    got=$(status "$id")
    if [ "$got" = "$want" ]; then ok "fake root: $id is $want"; else not_ok "fake root: $id is $want (got '$got')"; fi
done
check "fake root: daemon.json under the root is audited too (icc)" grep -qE 'CIS-2\.2 +.*etc/docker/daemon\.json:2' <<<"$out"
check "fake root: mode detail names the file and mode" grep -q '/var/run/docker.sock has mode 0666 (want 0660 or stricter)' <<<"$out"
n=$("$BRIG" audit --host-root "$R" --format json --exit-code 0 host | jq '[.findings[] | select(.rule_id == "CIS-3.16" and .file == "/var/run/docker.sock")] | length')
check "fake root: failing checks are findings in JSON" test "$n" -eq 1
