#!/usr/bin/env bash
# Real-world style inputs (tests/audit-corpus/samples): a multi-stage Dockerfile
# with heredocs and the backtick escape directive, a compose file built from
# anchors/merge keys with a debug profile, Helm-rendered multi-document
# manifests with "# Source:" comments, and a CronJob.  Asserts exact rule/line
# pairs and that clean parts of the files stay clean.
. "$(dirname "$0")/../lib.sh"
S=$(cd "$(dirname "$0")/../audit-corpus/samples" && pwd)

findings() { "$BRIG" audit --exit-code 0 --format json "$@" | jq -r '.findings[] | "\(.rule_id) \(.line):\(.column) \(.message)"'; }
# expect NAME FILE REGEX: some finding line of FILE matches REGEX
expect() { local n=$1 f=$2 re=$3 out; out=$(findings "$f" 2>&1)
    if printf '%s\n' "$out" | grep -qE -- "$re"; then ok "$n"; else not_ok "$n"; printf '%s\n' "$out" | head -20 | sed 's/^/# /'; fi; }
expect_not() { local n=$1 f=$2 re=$3 out; out=$(findings "$f" 2>&1); local rc=$?
    if [ $rc -eq 0 ] && ! printf '%s\n' "$out" | grep -qE -- "$re"; then ok "$n"; else not_ok "$n"; printf '%s\n' "$out" | grep -E -- "$re" | head -5 | sed 's/^/# /'; fi; }

D=$S/Dockerfile.multistage
expect "dockerfile: curl|bash inside a RUN heredoc found at its physical line" "$D" '^BRIG-AUD-002 17:1 '
expect "dockerfile: secret on a backtick-continued ENV line" "$D" '^CIS-4.10 31:5 .*API_TOKEN'
expect "dockerfile: COPY --from a misspelt stage" "$D" "^DL3022 26:6 .*tset"
expect_not "dockerfile: final base from a global ARG (distroless :nonroot) counts as a USER" "$D" '^CIS-4.1 '
expect_not "dockerfile: ARG-resolved base image tags are not 'untagged'" "$D" '^DL300[67] '
expect_not "dockerfile: pinned, --no-install-recommends apt in a heredoc is clean" "$D" '^DL30(08|15) '
expect_not "dockerfile: the <<-EOT heredoc body is not parsed as instructions" "$D" 'listen'
n=$(findings "$D" | wc -l)
[ "$n" -eq 4 ] && ok "dockerfile: exactly 4 findings" || not_ok "dockerfile: exactly 4 findings (got $n)"
expect "dockerfile: final stage without HEALTHCHECK reported at its FROM" "$D" '^CIS-4.6 24:1 '

C=$S/compose.profiles.yaml
expect_not "compose: service built from merged anchors has no findings" "$C" "service 'api'"
expect "compose: merge key brings hardening, restart policy still checked" "$C" "^CIS-5.15 31:14 service 'worker'"
expect_not "compose: merged read_only/cap_drop/pids/ulimits count for 'worker'" "$C" "service 'worker' (has a writable|does not drop|has no PIDs|sets no ulimits)"
expect "compose: profile named in the message" "$C" "^CIS-5.10 36:19 service 'debug-shell' \(profile debug\)"
expect "compose: long-syntax bind of docker.sock" "$C" '^CIS-5.32 42:17 '
expect "compose: short-syntax bind of /" "$C" '^CIS-5.6 40:9 .*path /$'
expect "compose: each added capability at its column" "$C" '^CIS-5.4 38:26 .*SYS_PTRACE'

H=$S/helm/rendered.yaml
expect "helm: hostPort in the Deployment" "$H" '^PSS-host-ports 48:25 Deployment/release-webapp'
expect "helm: NET_ADMIN is outside the baseline set" "$H" '^PSS-capabilities 53:21 '
expect "helm: privileged DaemonSet container" "$H" '^PSS-privileged 76:25 DaemonSet/release-webapp-logs'
expect "helm: hostPID" "$H" '^PSS-host-namespaces 71:16 '
expect "helm: hostPath volume" "$H" '^PSS-hostpath-volumes 81:11 '
expect_not "helm: the hardened init container is clean" "$H" "init container 'migrate'"
expect_not "helm: ServiceAccount and empty trailing document ignored" "$H" 'ServiceAccount'
out=$("$BRIG" audit --exit-code 0 --pss baseline --format json "$H" | jq -r '[.findings[].rule_id] | unique | join(" ")')
if [ "$out" = "BRIG-AUD-020 PSS-capabilities PSS-host-namespaces PSS-host-ports PSS-hostpath-volumes PSS-privileged" ]; then ok "helm: --pss baseline drops restricted-only controls"
else not_ok "helm: --pss baseline drops restricted-only controls (got: $out)"; fi

K=$S/cronjob.yaml
expect "cronjob: jobTemplate pod template is audited (runAsUser 0)" "$K" '^PSS-run-as-user 16:28 CronJob/nightly-backup'
expect "cronjob: missing CPU limit" "$K" '^BRIG-AUD-020 17:15 .*no CPU limit'

# A directory run finds all four samples (and nothing else there).
files=$("$BRIG" audit --exit-code 0 --format json "$S" | jq -r '[.findings[].file] | unique | join(" ")')
if [ "$files" = "$S/Dockerfile.multistage $S/compose.profiles.yaml $S/cronjob.yaml $S/helm/rendered.yaml" ]; then ok "directory recursion picks Dockerfile*, *compose*.yaml and k8s yaml"
else not_ok "directory recursion picks Dockerfile*, *compose*.yaml and k8s yaml (got: $files)"; fi

# Rule edge cases (inline Dockerfiles).
E=$T_TMP/edge; mkdir -p "$E"
printf 'FROM gcr.io/distroless/static:nonroot\nRUN curl -fsSL https://x | tee /tmp/l | sudo -E bash -s\nRUN bash -c "$(curl -fsSL https://x/i.sh)"\nHEALTHCHECK CMD ["/x"]\n' >"$E/Dockerfile.pipe"
expect "pipe to shell through tee and sudo" "$E/Dockerfile.pipe" '^BRIG-AUD-002 2:5 .*piped into bash'
expect "sh -c \"\$(curl ...)\" is pipe-to-shell too" "$E/Dockerfile.pipe" '^BRIG-AUD-002 3:5 .*command substitution'
expect_not "distroless :nonroot base counts as a USER" "$E/Dockerfile.pipe" '^CIS-4.1 '
printf 'FROM alpine:3.19 AS base\nUSER 1000\nHEALTHCHECK CMD true\nFROM base\nENV PWD=/app GPG_KEY=ABCDEF0123 NPM_TOKEN=${NPM_TOKEN} HOME=/home/app\nARG GITHUB_TOKEN\nCMD ["x"]\n' >"$E/Dockerfile.inherit"
expect_not "USER and HEALTHCHECK inherited from the parent stage" "$E/Dockerfile.inherit" '^(CIS-4.1|CIS-4.6|DL3002) '
expect_not "no secret for PWD, GPG_KEY, \${VAR} values or ARG without value" "$E/Dockerfile.inherit" '^CIS-4.10 '
printf 'FROM alpine:3.19\nONBUILD RUN apk add curl\nUSER 0:0\nHEALTHCHECK NONE\n' >"$E/Dockerfile.onbuild"
expect "ONBUILD triggers are checked at their own column" "$E/Dockerfile.onbuild" '^DL3019 2:13 '
expect "USER 0:0 is root" "$E/Dockerfile.onbuild" '^DL3002 3:1 '
expect "HEALTHCHECK NONE counts as missing" "$E/Dockerfile.onbuild" '^CIS-4.6 4:1 .*NONE'

# hadolint-style inline suppressions.
printf '# hadolint global ignore=DL3006\nFROM debian\n# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y \\\n  curl\n# brig ignore=CIS-4.10\nENV API_TOKEN=abcdef\nENV DB_PASSWORD=x\nUSER 1000\nHEALTHCHECK CMD true\n' >"$E/Dockerfile.ignore"
expect_not "# hadolint global ignore=DL3006 suppresses it everywhere" "$E/Dockerfile.ignore" '^DL3006 '
expect_not "# hadolint ignore= covers the continued RUN below it" "$E/Dockerfile.ignore" '^DL30(08|15) '
expect "unlisted rules on a suppressed RUN are still reported" "$E/Dockerfile.ignore" '^DL3009 4:'
expect_not "# brig ignore=CIS-4.10 suppresses the next instruction" "$E/Dockerfile.ignore" '^CIS-4.10 7:'
expect "... and only that instruction" "$E/Dockerfile.ignore" '^CIS-4.10 8:5 '

# Heredoc bodies are shell only when they are the script or fed to a shell.
printf 'FROM a:1\nRUN cat <<EOF >/etc/sudoers.d/app\napp ALL=(ALL) NOPASSWD: ALL\nsudo rm x\nEOF\nRUN <<EOF python3\nimport os\nos.system("sudo x")\nEOF\nRUN bash -e <<EOF\nsudo ls\nEOF\nRUN <<EOF bash -ex\ncd /tmp\nEOF\nUSER 1\n' >"$E/Dockerfile.heredoc"
expect_not "heredoc written by cat is data, not shell" "$E/Dockerfile.heredoc" '^DL3004 (3|4):'
expect_not "RUN <<EOF python3: the body is Python" "$E/Dockerfile.heredoc" '^DL3004 8:'
expect "RUN bash <<EOF: the body is shell" "$E/Dockerfile.heredoc" '^DL3004 11:1 '
expect "RUN <<EOF bash -ex: the body is shell" "$E/Dockerfile.heredoc" '^DL3003 14:1 '

# Compose long syntax and deploy: section (swarm / compose spec).
cat >"$E/swarm-compose.yaml" <<'YAML'
services:
  web:
    image: nginx:1.25
    read_only: true
    cap_drop: [ALL]
    security_opt: [no-new-privileges:true]
    ulimits: {nproc: 100}
    user: "101"
    ports:
      - target: 80
        published: 80
        host_ip: 127.0.0.1
    deploy:
      resources:
        limits: {cpus: "0.5", memory: 128M, pids: 50}
      restart_policy:
        condition: on-failure
YAML
out=$("$BRIG" audit --exit-code 0 --format json "$E/swarm-compose.yaml" | jq -r '[.findings[] | "\(.rule_id):\(.line)"] | join(" ")')
if [ "$out" = "CIS-5.8:10 CIS-5.15:16" ]; then ok "compose deploy limits/pids count; long-syntax port with host_ip; restart_policy without max_attempts"
else not_ok "compose deploy limits/pids count; long-syntax port with host_ip; restart_policy without max_attempts (got: $out)"; fi
