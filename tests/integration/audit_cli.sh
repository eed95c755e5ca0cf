#!/usr/bin/env bash
# `brig audit` command line: output formats (SARIF 2.1.0 shape), filters,
# exit-code policy, -o, type detection/override, and hostile or malformed
# input (exact FILE:LINE:COL messages, limits -> exit 5, never a crash).
. "$(dirname "$0")/../lib.sh"
C=$(cd "$(dirname "$0")/../audit-corpus" && pwd)
T=$T_TMP

# ---- formats ----
"$BRIG" audit --format sarif "$C/CIS-5.5/bad.compose.yaml" >"$T/s.sarif"; rc=$?
check "sarif: exit 1 when findings exist" test "$rc" -eq 1
check "sarif: version 2.1.0 and \$schema" jq -e '.version == "2.1.0" and (."$schema" | test("sarif-2.1.0"))' "$T/s.sarif"
check "sarif: tool.driver.rules lists CIS-5.5 with its CIS title" \
    jq -e '[.runs[0].tool.driver.rules[] | select(.id == "CIS-5.5")] | length == 1' "$T/s.sarif"
check "sarif: CIS-5.5 result has physicalLocation region startLine 4" \
    jq -e '[.runs[0].results[] | select(.ruleId == "CIS-5.5") | .locations[0].physicalLocation.region.startLine] == [4]' "$T/s.sarif"
check "sarif: every result has an artifactLocation uri" \
    jq -e '[.runs[0].results[] | .locations[0].physicalLocation.artifactLocation.uri | length > 0] | all' "$T/s.sarif"
check_out "json: rationale, fix and column present" '"column": 17' \
    "$BRIG" audit --exit-code 0 --format json "$C/CIS-5.5/bad.compose.yaml"
check_out "table: default output names rule and location" 'CIS-5\.5 +.*bad\.compose\.yaml:4:17' \
    "$BRIG" audit --exit-code 0 "$C/CIS-5.5/bad.compose.yaml"
check_out "no findings: table says so, exit 0" '^No findings\.' "$BRIG" audit "$C/CIS-5.5/good.compose.yaml"

# ---- filters and exit policy ----
check_fails "--exit-code 9 is used when findings remain" 9 'CIS-5.5' "$BRIG" audit --exit-code 9 "$C/CIS-5.5/bad.compose.yaml"
check_out "--fail-on CRITICAL ignores lower findings (exit 0)" 'DL3008' "$BRIG" audit --fail-on CRITICAL "$C/DL3008/bad.Dockerfile"
n=$("$BRIG" audit --exit-code 0 --severity HIGH --format json "$C/CIS-5.32/bad.compose.yaml" | jq '[.findings[] | select(.severity != "HIGH" and .severity != "CRITICAL")] | length')
check "--severity HIGH drops MEDIUM/LOW findings" test "$n" = 0
n=$("$BRIG" audit --exit-code 0 --ignore CIS-5.32,cis-5.5 --format json "$C/CIS-5.32/bad.compose.yaml" | jq '[.findings[] | select(.rule_id == "CIS-5.32")] | length')
check "--ignore drops listed IDs (case-insensitive)" test "$n" = 0
"$BRIG" audit --exit-code 0 --format json -o "$T/out.json" "$C/DL3006/bad.Dockerfile" >"$T/stdout"
check "-o writes the report to the file, not stdout" jq -e '.findings | length > 0' "$T/out.json"
check "-o leaves stdout empty" test ! -s "$T/stdout"
n=$("$BRIG" audit --exit-code 0 --format json "$C/DL3006/bad.Dockerfile" "$C/CIS-5.5/bad.compose.yaml" | jq '[.findings[].file] | unique | length')
check "several inputs in one run" test "$n" = 2

# ---- type detection and override ----
cp "$C/CIS-5.5/bad.compose.yaml" "$T/services.yml"
check_out "compose detected by content (services:)" 'CIS-5\.5' "$BRIG" audit --exit-code 0 "$T/services.yml"
cp "$C/DL3006/bad.Dockerfile" "$T/build.txt"
check_out "Dockerfile detected by content (FROM)" 'DL3006' "$BRIG" audit --exit-code 0 "$T/build.txt"
printf 'a: 1\n' >"$T/other.yaml"
check_fails "unknown file kind: exit 3 and a hint to use --type" 3 'other.yaml: cannot tell.*--type' "$BRIG" audit "$T/other.yaml"
check_fails "--type forces a parser (YAML text as Dockerfile fails loudly)" 3 'other.yaml:1:1: unknown instruction' \
    "$BRIG" audit --type dockerfile "$T/other.yaml"
check_fails "unknown --type is a usage error" 2 "unknown --type" "$BRIG" audit --type nope "$T/other.yaml"
check_fails "unknown option is a usage error" 2 "unknown option '--bogus'" "$BRIG" audit --bogus x
check_fails "no input is a usage error" 2 "no input" "$BRIG" audit
check_fails "missing file: exit 3 naming it" 3 "nonexistent.yaml" "$BRIG" audit "$T/nonexistent.yaml"
check_out "--help documents options and exit codes" '--exit-code N.*' "$BRIG" audit --help
check_out "--help lists exit code 5 for limits" '^  5 ' "$BRIG" audit --help
check_out "--list-rules includes CIS, DL and PSS IDs" 'PSS-run-as-user' "$BRIG" audit --list-rules

# ---- malformed and hostile input ----
printf 'services:\n  web:\n    image: [unclosed\n' >"$T/bad-compose.yaml"
check_fails "malformed YAML: exit 3 with FILE:LINE:COL" 3 'bad-compose\.yaml:[0-9]+:[0-9]+: invalid YAML' "$BRIG" audit "$T/bad-compose.yaml"
printf '{"icc": true,\n "hosts": [}\n' >"$T/daemon.json"
check_fails "malformed JSON: exit 3 with line 2" 3 'daemon\.json:2:[0-9]+: invalid JSON' "$BRIG" audit "$T/daemon.json"
printf 'FROM debian:12\nRUN <<EOF\necho hi\n' >"$T/Dockerfile"
check_fails "unterminated heredoc: exit 3 at the RUN line" 3 'Dockerfile:2:5: heredoc is not terminated' "$BRIG" audit "$T/Dockerfile"
printf 'FROM debian:12\nRUNN echo\n' >"$T/Dockerfile.typo"
check_fails "unknown instruction: exit 3 with its position" 3 'Dockerfile\.typo:2:1: unknown instruction RUNN' "$BRIG" audit "$T/Dockerfile.typo"
prev=a
{ echo 'services:'; echo '  a: &a {x: [1,1,1,1,1,1,1,1,1,1]}'
  for i in b c d e f g h; do echo "  $i: &$i [*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev]"; prev=$i; done; } >"$T/laughs-compose.yaml"
check_fails "billion laughs: alias expansion refused with exit 5" 5 'laughs-compose\.yaml:[0-9]+:[0-9]+: document expands to more than' "$BRIG" audit "$T/laughs-compose.yaml"
python3 -c 'print("services: " + "[" * 100 + "]" * 100)' >"$T/deep-compose.yaml"
check_fails "nesting deeper than 64: exit 5" 5 'deep-compose\.yaml:1:[0-9]+: nesting deeper than 64' "$BRIG" audit "$T/deep-compose.yaml"
head -c 5000000 /dev/zero | tr '\0' 'a' >"$T/huge-compose.yaml"
check_fails "file over 4 MiB refused with exit 5" 5 'huge-compose\.yaml.*(limit|larger|exceeds)' "$BRIG" audit "$T/huge-compose.yaml"
printf 'a: 1\na: 2\nservices: {}\n' >"$T/dup-compose.yaml"
check_fails "duplicate keys refused at the second key" 3 'dup-compose\.yaml:2:1: duplicate key' "$BRIG" audit "$T/dup-compose.yaml"
printf 'services:\n  web: *nope\n' >"$T/alias-compose.yaml"
check_fails "undefined alias: exit 3" 3 "alias-compose\.yaml:2:8: alias '\*nope'" "$BRIG" audit "$T/alias-compose.yaml"
{ echo 'FROM debian:12'; for i in $(seq 10001); do echo 'LABEL a=b'; done; } >"$T/Dockerfile.many"
check_fails "more than 10000 instructions: exit 5" 5 'more than 10000 instructions' "$BRIG" audit "$T/Dockerfile.many"

# Wrong shapes where lists belong (found by fuzz_yaml): checked, never a crash.
printf 'services:\n  a:\n    ports: {x: 1}\n    volumes: {y: 2}\n    cap_add: SYS_ADMIN\n    security_opt: 7\n' >"$T/shape-compose.yaml"
out=$("$BRIG" audit --exit-code 0 "$T/shape-compose.yaml" 2>&1); rc=$?
check "maps where compose expects lists: exit 0, no crash" test "$rc" -eq 0
printf 'kind: Pod\napiVersion: v1\nspec:\n  containers: {a: 1}\n  volumes: [1, [2]]\n' >"$T/shape.yaml"
out=$("$BRIG" audit --exit-code 0 "$T/shape.yaml" 2>&1); rc=$?
check "odd Kubernetes shapes: exit 0, no crash" test "$rc" -eq 0

# Directory mode: a malformed file is reported and skipped, the rest still audited, exit 3.
mkdir -p "$T/tree/sub"
cp "$C/CIS-5.5/bad.compose.yaml" "$T/tree/sub/docker-compose.yml"
printf 'services:\n  x: [\n' >"$T/tree/broken-compose.yaml"
"$BRIG" audit --format json "$T/tree" >"$T/tree.json" 2>"$T/tree.err"; rc=$?
check "directory with a malformed file: exit 3" test "$rc" -eq 3
check "directory with a malformed file: error names it with line:col" grep -qE 'broken-compose\.yaml:[0-9]+:[0-9]+: invalid YAML' "$T/tree.err"
check "directory with a malformed file: other files still reported" jq -e '[.findings[] | select(.rule_id == "CIS-5.5")] | length == 1' "$T/tree.json"

# JSON that libyaml cannot take (surrogate-pair escapes) is still audited via jansson (line 1, no column).
printf '[{"Name": "/emoji\\ud83d\\ude00", "HostConfig": {"Privileged": true}, "Config": {"User": "app"}}]\n' >"$T/inspect.json"
n=$("$BRIG" audit --exit-code 0 --format json "$T/inspect.json" | jq '[.findings[] | select(.rule_id == "CIS-5.5" and .line == 1)] | length')
check "docker inspect JSON with surrogate escapes: audited (fallback loader)" test "$n" -eq 1
# A Kubernetes List on stdin.
n=$(printf '{"kind":"List","apiVersion":"v1","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"hostPID":true,"containers":[{"name":"c","image":"x"}]}}]}' |
    "$BRIG" audit --exit-code 0 --format json - | jq '[.findings[] | select(.rule_id == "PSS-host-namespaces")] | length')
check "kind: List from stdin: items audited" test "$n" -eq 1

# Directory walk: Helm templates are skipped with a warning (not an error); other JSON is not read.
mkdir -p "$T/chart/templates"
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  hostPID: {{ .Values.hostPID }}\n  containers:\n  {{- range .Values.c }}\n  - name: {{ . }}\n  {{- end }}\n' >"$T/chart/templates/pod.yaml"
printf '{"name": "x", "lockfileVersion": 3}\n' >"$T/chart/package-lock.json"
cp "$C/PSS-privileged/bad.k8s.yaml" "$T/chart/rendered.yaml"
"$BRIG" audit --format json "$T/chart" >"$T/chart.json" 2>"$T/chart.err"; rc=$?
check "chart dir: exit 1 (findings in rendered.yaml, template skipped, not exit 3)" test "$rc" -eq 1
check "chart dir: warning names the template" grep -q 'templates/pod.yaml: skipped: a template' "$T/chart.err"
check "chart dir: rendered manifest audited" jq -e '[.findings[] | select(.rule_id == "PSS-privileged")] | length == 1' "$T/chart.json"
