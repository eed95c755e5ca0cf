#!/bin/bash
# brig pull: from a local docker-registry (plain http) into an OCI layout, with
# digest checks, trust policy (reject / accept / sigstoreSigned) and a server
# that serves a corrupted layer.
. "$(dirname "$0")/../lib.sh"
need_fixtures
SRC="$FIXTURES/busybox-oci"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$T_TMP"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/v2/" && return 0; sleep 0.1; done; return 1; }

PORT=$(free_port)
mkdir -p "$T_TMP/reg"
cat > "$T_TMP/reg.yml" <<YML
version: 0.1
log: { level: error }
storage: { filesystem: { rootdirectory: $T_TMP/reg } }
http: { addr: 127.0.0.1:$PORT }
YML
/usr/bin/docker-registry serve "$T_TMP/reg.yml" >"$T_TMP/reg.log" 2>&1 &
PIDS+=($!)
wait_port "$PORT" || { not_ok "registry did not start"; cat "$T_TMP/reg.log"; exit 1; }
R=127.0.0.1:$PORT/brig/busybox
skopeo copy -q --dest-tls-verify=false "oci:$SRC:latest" "docker://$R:latest" >/dev/null 2>&1 \
    || { not_ok "skopeo push"; exit 1; }
export BRIG_POLICY=   # no default policy from the environment
WANT_CFG=$(jq -r '.config.digest' "$SRC/blobs/sha256/$(jq -r '.manifests[0].digest' "$SRC/index.json" | cut -d: -f2)")

D=$T_TMP/l1
check "pull by tag" "$BRIG" pull --insecure-http "$R:latest" "oci:$D"
check "pulled image verifies" "$BRIG" inspect --verify "oci:$D:latest"
check_out "config digest matches the fixture" "$WANT_CFG" "$BRIG" inspect --format json "oci:$D:latest"
check "no temp dir left" bash -c "! ls -d '$D'/.brig-pull-* 2>/dev/null"
MD=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"]=="latest") | .digest' "$D/index.json")
check "pull by digest" "$BRIG" pull --insecure-http "$R@$MD" "oci:$T_TMP/l2:pinned"
check_out "by-digest tag recorded" "$MD" jq -r '.manifests[].digest' "$T_TMP/l2/index.json"
check_fails "unknown tag" 3 "not found" "$BRIG" pull --insecure-http "$R:nope" "oci:$T_TMP/l3"
check_fails "unknown digest" 3 "not found" "$BRIG" pull --insecure-http "$R@sha256:$(printf %064d 0)" "oci:$T_TMP/l3"
check_fails "https by default" 6 "" "$BRIG" pull "$R:latest" "oci:$T_TMP/l3"
check_fails "usage" 2 "oci:DIR" "$BRIG" pull "$R:latest" "$T_TMP/l3"
check_out "help" "Exit codes" "$BRIG" pull --help

echo '{"default":[{"type":"reject"}]}' > "$T_TMP/reject.json"
check_fails "reject policy" 4 "" "$BRIG" pull --insecure-http --policy "$T_TMP/reject.json" "$R:latest" "oci:$T_TMP/l4"
check "rejected tag not in index" bash -c "! jq -e '.manifests[] | select(.annotations[\"org.opencontainers.image.ref.name\"]==\"latest\")' '$T_TMP/l4/index.json'"
cat > "$T_TMP/accept.json" <<J
{"default":[{"type":"reject"}],"transports":{"docker":{"$R":[{"type":"insecureAcceptAnything"}]}}}
J
check "policy accepting the scope" "$BRIG" pull --insecure-http --policy "$T_TMP/accept.json" "$R:latest" "oci:$T_TMP/l5"

# Signed image: sign a copy, push image and its .sig tag, pull with sigstoreSigned.
cd "$T_TMP" && BRIG_PASSWORD=x "$BRIG" key generate >/dev/null 2>&1; cd - >/dev/null
mkdir -p "$T_TMP/k2" && (cd "$T_TMP/k2" && BRIG_PASSWORD=x "$BRIG" key generate >/dev/null 2>&1)
cp -a "$SRC" "$T_TMP/signed"
BRIG_PASSWORD=x "$BRIG" sign --key "$T_TMP/cosign.key" --identity "$R:signed" "oci:$T_TMP/signed:latest" >/dev/null 2>&1
SIG=$(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$T_TMP/signed/index.json" | grep '\.sig$')
skopeo copy -q --all --dest-tls-verify=false "oci:$T_TMP/signed:latest" "docker://$R:signed" >/dev/null 2>&1
skopeo copy -q --all --dest-tls-verify=false "oci:$T_TMP/signed:$SIG" "docker://$R:$SIG" >/dev/null 2>&1
check "signature tag pushed" test -n "$SIG"
sigpol() { echo "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"$R\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"$1\"}]}}}"; }
sigpol "$T_TMP/cosign.pub" > "$T_TMP/sig.json"
sigpol "$T_TMP/k2/cosign.pub" > "$T_TMP/sig2.json"
check "sigstoreSigned pull" "$BRIG" pull --insecure-http --policy "$T_TMP/sig.json" "$R:signed" "oci:$T_TMP/l6"
check "signed pull verifies offline" "$BRIG" verify --key "$T_TMP/cosign.pub" "oci:$T_TMP/l6:signed"
check_fails "wrong key rejected" 4 "" "$BRIG" pull --insecure-http --policy "$T_TMP/sig2.json" "$R:signed" "oci:$T_TMP/l7"
check "wrong-key pull left no index entries" bash -c "[ \"\$(jq '.manifests | length' '$T_TMP/l7/index.json')\" = 0 ]"

# A server that serves a layout where one layer's bytes were altered.
cp -a "$SRC" "$T_TMP/bad"
M=$(jq -r '.manifests[0].digest' "$T_TMP/bad/index.json" | cut -d: -f2)
L=$(jq -r '.layers[0].digest' "$T_TMP/bad/blobs/sha256/$M" | cut -d: -f2)
python3 - "$T_TMP/bad/blobs/sha256/$L" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[len(b) // 2] ^= 0xff
import os; os.chmod(p, 0o644); open(p, 'wb').write(b)
PY
cat > "$T_TMP/srv.py" <<'PY'
import http.server, json, os, sys
root, port = sys.argv[1], int(sys.argv[2])
auth = len(sys.argv) > 3   # require the Bearer-token flow
idx = json.load(open(os.path.join(root, 'index.json')))
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        if auth and self.path.startswith('/token'):
            ok = 'scope=repository%3Abrig%2Fbusybox%3Apull' in self.path and 'service=reg' in self.path
            body = b'{"token":"tok123"}' if ok else b'{}'
            self.send_response(200 if ok else 400); self.send_header('Content-Length', str(len(body))); self.end_headers()
            self.wfile.write(body); return
        if auth and self.headers.get('Authorization') != 'Bearer tok123':
            self.send_response(401)
            self.send_header('WWW-Authenticate', 'Bearer realm="http://127.0.0.1:%d/token",service="reg",scope="repository:brig/busybox:pull"' % port)
            self.send_header('Content-Length', '0'); self.end_headers(); return
        parts = self.path.split('/')
        ref = parts[-1]
        if '/manifests/' in self.path:
            d = next((m for m in idx['manifests'] if m.get('annotations', {}).get('org.opencontainers.image.ref.name') == ref or m['digest'] == ref), None)
            if not d: self.send_error(404); return
            ct, dg = d['mediaType'], d['digest']
        elif '/blobs/' in self.path:
            ct, dg = 'application/octet-stream', ref
        else:
            self.send_response(200); self.end_headers(); return
        p = os.path.join(root, 'blobs', 'sha256', dg.split(':')[-1])
        if not os.path.isfile(p): self.send_error(404); return
        data = open(p, 'rb').read()
        self.send_response(200); self.send_header('Content-Type', ct)
        self.send_header('Content-Length', str(len(data))); self.end_headers(); self.wfile.write(data)
http.server.HTTPServer(('127.0.0.1', port), H).serve_forever()
PY
P2=$(free_port)
python3 "$T_TMP/srv.py" "$T_TMP/bad" "$P2" &
PIDS+=($!)
wait_port "$P2" || not_ok "python server did not start"
check_fails "corrupted layer blob refused" 4 "sha256:$L" "$BRIG" pull --insecure-http "127.0.0.1:$P2/brig/busybox:latest" "oci:$T_TMP/l8"
check "corrupt pull left no index entry" bash -c "[ \"\$(jq '.manifests | length' '$T_TMP/l8/index.json')\" = 0 ]"
check "corrupt pull left no blobs" bash -c "[ -z \"\$(ls -A '$T_TMP/l8/blobs/sha256')\" ] && ! ls -d '$T_TMP/l8'/.brig-pull-* 2>/dev/null"

# An image index (multi-platform): linux/amd64 is picked by default.
cp -a "$SRC" "$T_TMP/multi"
MDESC=$(jq -c '.manifests[0] | del(.annotations)' "$T_TMP/multi/index.json")
IDX=$(jq -cn --argjson m "$MDESC" '{schemaVersion:2, mediaType:"application/vnd.oci.image.index.v1+json",
  manifests:[($m + {digest:"sha256:'"$(printf %064d 1)"'", platform:{os:"linux",architecture:"arm64"}}),
             ($m + {platform:{os:"linux",architecture:"amd64"}})]}')
IH=$(printf '%s' "$IDX" | sha256sum | cut -d' ' -f1)
printf '%s' "$IDX" > "$T_TMP/multi/blobs/sha256/$IH"
jq --arg d "sha256:$IH" --argjson s "${#IDX}" '.manifests += [{mediaType:"application/vnd.oci.image.index.v1+json",digest:$d,size:$s,annotations:{"org.opencontainers.image.ref.name":"multi"}}]' \
    "$SRC/index.json" > "$T_TMP/multi/index.json"
P3=$(free_port)
python3 "$T_TMP/srv.py" "$T_TMP/multi" "$P3" &
PIDS+=($!)
wait_port "$P3" || not_ok "python server did not start"
check "pull from an image index (linux/amd64)" "$BRIG" pull --insecure-http "127.0.0.1:$P3/brig/busybox:multi" "oci:$T_TMP/l9"
check "index pull verifies" "$BRIG" inspect --verify "oci:$T_TMP/l9:multi"
check_fails "platform missing from the index" 3 "platform" "$BRIG" pull --insecure-http --platform linux/s390x "127.0.0.1:$P3/brig/busybox:multi" "oci:$T_TMP/l9"

# Bearer-token challenge (anonymous token from the realm).
P4=$(free_port)
python3 "$T_TMP/srv.py" "$SRC" "$P4" auth &
PIDS+=($!)
wait_port "$P4" || not_ok "python server did not start"
check "pull through a Bearer-token challenge" "$BRIG" pull --insecure-http "127.0.0.1:$P4/brig/busybox:latest" "oci:$T_TMP/l10"
check "token pull verifies" "$BRIG" inspect --verify "oci:$T_TMP/l10:latest"
