#!/usr/bin/env bash
# `brig db update`: download over http:// (a local python http.server on
# 127.0.0.1) and file://, import atomically; HTTP errors, size limit and
# unsupported schemes fail with clear messages and the right exit codes.
. "$(dirname "$0")/../lib.sh"
export BRIG_DB="$T_TMP/db/vuln.db"
srv=$T_TMP/www
mkdir -p "$srv/osv/Go"
/usr/bin/python3 - "$srv" <<'PY'
import json, sys, zipfile, os
root = sys.argv[1]
recs = [{"id": f"GO-TEST-{i}", "modified": "2025-06-01T00:00:00Z", "aliases": [f"CVE-2025-{1000+i}"],
         "summary": f"test vuln {i}",
         "database_specific": {"severity": "HIGH"},
         "affected": [{"package": {"ecosystem": "Go", "name": "example.com/mod"},
                       "ranges": [{"type": "SEMVER", "events": [{"introduced": f"1.{i}.0"}, {"fixed": f"1.{i}.5"}]}]}]}
        for i in range(20)]
with zipfile.ZipFile(os.path.join(root, "osv/Go/all.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for r in recs: z.writestr(r["id"] + ".json", json.dumps(r))
json.dump({"distroversion": "v3.19", "reponame": "main", "packages": [
    {"pkg": {"name": "busybox", "secfixes": {"1.36.1-r16": ["CVE-2023-42363 CVE-2023-42364"], "0": ["CVE-2021-1"]}}}]},
    open(os.path.join(root, "main.json"), "w"))
open(os.path.join(root, "big.json"), "w").write('{"id":"BIG","x":"' + "y" * 200000 + '"}')
PY
# Find a free port and start the server in the background (killed on exit).
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$srv" && exec /usr/bin/python3 -m http.server --bind 127.0.0.1 "$port") >"$T_TMP/http.log" 2>&1 &
srv_pid=$!
trap 'kill $srv_pid 2>/dev/null; rm -rf "$T_TMP"' EXIT
for _ in $(seq 50); do /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"

check_out "update from http:// (OSV all.zip)" "imported all .*20 records" "$BRIG" db update "$base/osv/Go/all.zip"
check_out "downloaded records are queryable" "GO-TEST-3 +HIGH +1\.3\.5" "$BRIG" db query go example.com/mod v1.3.2
check "origin URL recorded" sh -c "'$BRIG' db info --format json 2>/dev/null | jq -e '.sources[] | select(.name==\"all\") | .origin == \"$base/osv/Go/all.zip\"'"
check_out "update from file:// (Alpine secdb)" "imported main" "$BRIG" db update "file://$srv/main.json"
check_out "Alpine secdb line with two IDs gives both" "CVE-2023-42363.*" "$BRIG" db query alpine:3.19 busybox 1.36.1-r15
check_out "second ID of the same line" "CVE-2023-42364" "$BRIG" db query alpine:3.19 busybox 1.36.1-r15
check_out "first source kept after the second update" "GO-TEST-3" "$BRIG" db query go example.com/mod v1.3.2
cp "$BRIG_DB" "$T_TMP/before.db"
check_fails "HTTP 404 is a clear input error" 3 "HTTP 404" "$BRIG" db update "$base/nope.zip"
check_fails "missing file:// path" 3 "cannot read file" "$BRIG" db update "file://$srv/missing.json"
check_fails "download over --max-size refused" 5 "limit" "$BRIG" db update --max-size 1000 "$base/big.json"
check_fails "unsupported scheme refused" 2 "unsupported URL scheme" "$BRIG" db update "ftp://127.0.0.1/x.zip"
check_fails "a plain path is not a URL" 2 "not a URL" "$BRIG" db update "$srv/main.json"
check_fails "connection refused is a system error" 6 "download failed" "$BRIG" db update "http://127.0.0.1:1/x.zip"
check "failed updates left the database unchanged" cmp -s "$BRIG_DB" "$T_TMP/before.db"
check "no download temp files left behind" sh -c "! ls -A '$T_TMP/db' | grep -q download"
