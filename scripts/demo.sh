#!/usr/bin/env bash
# brig's main job, end to end, on real images this project builds from Debian
# (and npm) packages: inspect, scan for vulnerabilities/secrets/misconfiguration,
# SBOM, audit a Dockerfile, sign and verify, then run the image hardened.
# Usage: scripts/demo.sh   (after ./scripts/install-deps.sh && make)
set -eu
cd "$(dirname "$0")/.."
BRIG=${BRIG:-./brig}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
tests/fixtures/build-images.sh busybox debian >/dev/null
tests/fixtures/build-scan.sh >/dev/null
img=tests/fixtures/out/scan/app-oci

say "inspect: digest, platform, layers and history of a Debian-based image"
$BRIG inspect --verify "$img"

say "vulnerability database"
export BRIG_DB=${BRIG_DB:-/tmp/brig-demo-vuln.db}
shared=$(cd .. && pwd)/shared/vulndata
if [ -d "$shared" ]; then
    $BRIG db import --db "$BRIG_DB" "$shared/osv-go" "$shared/osv-pypi" "$shared/alpine-secdb" >/dev/null
    $BRIG db info --db "$BRIG_DB"
    scanners=vuln,secret,misconfig
else
    echo "no vulnerability data at $shared: import OSV/Alpine/Debian data with 'brig db import' or 'brig db update URL'"
    scanners=secret,misconfig
fi

say "scan: packages, known vulnerabilities, secrets, misconfiguration"
$BRIG scan --scanners "$scanners" "$img" || true

say "SBOM (CycloneDX 1.5), first lines"
$BRIG sbom --format cyclonedx "$img" | head -20

say "audit a Dockerfile (CIS Docker Benchmark / hadolint rules)"
df=$(mktemp /tmp/brig-demo.XXXXXX.Dockerfile)
printf 'FROM debian:latest\nRUN apt-get update && apt-get install -y curl\nADD https://example.com/x.sh /x.sh\nRUN curl -s https://example.com/i.sh | sh\nEXPOSE 22\n' >"$df"
$BRIG audit --type dockerfile "$df" || true
rm -f "$df"

say "sign and verify the image (cosign-compatible)"
tmp=$(mktemp -d /tmp/brig-demo.XXXXXX)
cp -a tests/fixtures/out/busybox-oci "$tmp/img"
BRIG_PASSWORD=demo $BRIG key generate --output-key-prefix "$tmp/k" >/dev/null
BRIG_PASSWORD=demo $BRIG sign --key "$tmp/k.key" "oci:$tmp/img:latest"
$BRIG verify --key "$tmp/k.pub" "oci:$tmp/img:latest"

say "run it hardened: no capabilities, seccomp, read-only root, user namespace, limits"
$BRIG run --entrypoint "" "oci:$tmp/img:latest" sh -c 'id; grep -E "^(CapEff|Seccomp|NoNewPrivs):" /proc/self/status; touch /etc/x 2>&1 | head -1' || true
rm -rf "$tmp"
