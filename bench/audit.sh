#!/usr/bin/env bash
# brig audit vs peer linters on this machine, same inputs, one run.
#   Dockerfiles: 2000 files (the audit corpus' bad Dockerfiles and the
#   multi-stage sample, repeated) linted in one invocation by `brig audit DIR`
#   and by dockerfilelint (npm, pure JS; hadolint has no Debian package and no
#   offline install, so it is reported as skipped when absent).
#   Kubernetes: a 3000-document Helm-style manifest; no offline peer
#   (kube-linter, kubesec, checkov) -> brig's own time is printed, no ratio.
# Prints "ratio ..." lines for bench/run-all.sh.  Env: BRIG, BENCH_RUNS (3).
set -u
here=$(cd "$(dirname "$0")" && pwd)
BRIG=${BRIG:-$here/../brig}
RUNS=${BENCH_RUNS:-3}
corpus=$here/../tests/audit-corpus
W=$(mktemp -d /tmp/brig-bench-audit.XXXXXX)
trap 'rm -rf "$W"' EXIT

mkdir -p "$W/df"
i=0
while [ "$i" -lt 2000 ]; do
    for f in "$corpus"/*/bad.Dockerfile "$corpus/samples/Dockerfile.multistage"; do
        [ "$i" -ge 2000 ] && break
        cp "$f" "$W/df/Dockerfile.$i"; i=$((i + 1))
    done
done

best() {   # best wall time in seconds over RUNS runs of "$@"
    local b= s e t
    for _ in $(seq "$RUNS"); do
        s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc -l)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
    done
    printf '%.3f' "$b"
}

n=$("$BRIG" audit --exit-code 0 --format json "$W/df" | jq '.findings | length')
echo "brig audit: $n findings in 2000 Dockerfiles"
tb=$(best "$BRIG" audit --exit-code 0 --format json "$W/df")

DFL=$(command -v dockerfilelint || true)
if [ -z "$DFL" ] && command -v npm >/dev/null; then
    # npm is reachable in CI (see DEVELOPERS.md); keep the tool out of the tree.
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/brig-bench/npm
    [ -x "$cache/node_modules/.bin/dockerfilelint" ] ||
        timeout 180 npm install --silent --no-audit --no-fund --prefix "$cache" dockerfilelint@1.8.0 >/dev/null 2>&1
    [ -x "$cache/node_modules/.bin/dockerfilelint" ] && DFL=$cache/node_modules/.bin/dockerfilelint
fi
if [ -n "$DFL" ]; then
    td=$(best "$DFL" -j "$W"/df/Dockerfile.*)
    echo "ratio dockerfile-2000: brig $tb s, dockerfilelint $td s -> brig/dockerfilelint $(echo "scale=3; $tb / $td" | bc -l)"
else
    echo "skipped: dockerfilelint not available (npm install failed); brig $tb s for 2000 Dockerfiles"
fi
if command -v hadolint >/dev/null; then
    th=$(best hadolint --no-fail -f json "$W"/df/Dockerfile.*)
    echo "ratio dockerfile-2000: brig $tb s, hadolint $th s -> brig/hadolint $(echo "scale=3; $tb / $th" | bc -l)"
else
    echo "skipped: hadolint not installed (no Debian 12 package, no offline install)"
fi

{ for k in $(seq 3000); do
    echo "---"; echo "# Source: chart/templates/deploy-$k.yaml"
    sed "s/name: release-webapp\$/name: release-webapp-$k/" "$corpus/samples/helm/rendered.yaml" | sed -n '/kind: Deployment/,/^---/p' | sed '/^---/d' | sed '1s/^/apiVersion: apps\/v1\n/'
  done; } >"$W/big.yaml"
docs=$(grep -c '^kind: Deployment' "$W/big.yaml")
tk=$(best "$BRIG" audit --exit-code 0 --format json "$W/big.yaml")
echo "skipped: no offline Kubernetes peer (kube-linter/kubesec/checkov); brig $tk s for $docs Deployments ($(du -k "$W/big.yaml" | cut -f1) KiB)"
