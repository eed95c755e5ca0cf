#!/usr/bin/env bash
# Version comparison and vulnerability-database speed.
#  - comparator throughput: `brig db vercmp --batch` against the reference
#    implementations run in-process on the same pairs (python packaging,
#    npm semver under node, librpm via python3-rpm; dpkg only per process, so
#    its ratio includes process start-up and says so);
#  - `brig db import` of the shared OSV/Alpine data and query latency (no peer
#    database tool is installed here, reported as skipped).
# Each timing is the best of $RUNS runs (wall clock).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BRIG=${BRIG:-$here/../brig}
RUNS=${RUNS:-3}
N=${PAIRS:-200000}
VD=${VULNDATA:-$here/../../shared/vulndata}
tmp=$(mktemp -d /tmp/brig-bench-vulndb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

best() {  # best wall time (s) of RUNS runs of "$@" with stdin from $IN
    local b= t
    for _ in $(seq "$RUNS"); do
        t=$( { TIMEFORMAT=%R; time "$@" <"$IN" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
        b=$(awk -v a="${b:-1e9}" -v c="$t" 'BEGIN { print (c < a) ? c : a }')
    done
    echo "$b"
}
ratio() {  # name brig_s peer peer_s
    awk -v n="$1" -v b="$2" -v p="$3" -v t="$4" 'BEGIN { printf "ratio %s: brig %.3f s, %s %.3f s -> brig/%s %.2f\n", n, b, p, t, p, (t > 0 ? b / t : 0) }'
}

/usr/bin/python3 - "$N" "$tmp" <<'PY'
import random, sys
n, d = int(sys.argv[1]), sys.argv[2]
r = random.Random(7)
def pep():
    s = '.'.join(str(r.randint(0, 20)) for _ in range(r.randint(1, 4)))
    if r.random() < .3: s += r.choice(['a', 'b', 'rc']) + str(r.randint(0, 5))
    if r.random() < .2: s += '.post' + str(r.randint(0, 3))
    if r.random() < .2: s += '.dev' + str(r.randint(0, 3))
    return s
def sem():
    s = f"{r.randint(0,20)}.{r.randint(0,20)}.{r.randint(0,20)}"
    if r.random() < .3: s += '-' + r.choice(['alpha', 'beta.1', 'rc.2', '0'])
    return s
def rpmv():
    return f"{r.randint(0,3)}:{r.randint(0,20)}.{r.randint(0,20)}{r.choice(['', '~rc1', '^git1', 'a'])}-{r.randint(1,9)}.el{r.randint(7,9)}"
def deb():
    return f"{r.randint(0,2)}:{r.randint(0,20)}.{r.randint(0,20)}{r.choice(['', '~rc1', '+dfsg', 'a'])}-{r.randint(1,9)}{r.choice(['', '+deb12u1', '~bpo1'])}"
for name, g, k in (('pypi', pep, n), ('npm', sem, n), ('rpm', rpmv, n), ('debian', deb, 3000)):
    with open(f"{d}/{name}.pairs", 'w') as f:
        for _ in range(k): f.write(f"{g()} {g()}\n")
PY

IN=$tmp/pypi.pairs; b=$(best "$BRIG" db vercmp --batch pypi)
p=$(best /usr/bin/python3 -c '
import sys
from packaging.version import Version
for l in sys.stdin:
    a, b = l.split(); x, y = Version(a), Version(b); print("<" if x < y else ">" if x > y else "=")')
ratio "vercmp-pypi-$N" "$b" "python-packaging" "$p"

cache=${XDG_CACHE_HOME:-$HOME/.cache}/brig-test-npm
IN=$tmp/npm.pairs; b=$(best "$BRIG" db vercmp --batch npm)
if [ -f "$cache/node_modules/semver/package.json" ] && command -v node >/dev/null; then
    p=$(NODE_PATH=$cache/node_modules best node -e '
const semver = require("semver"); const out = [];
for (const l of require("fs").readFileSync(0, "utf8").trim().split("\n")) { const [a, b] = l.split(" "); const c = semver.compare(a, b); out.push(c < 0 ? "<" : c > 0 ? ">" : "="); }
process.stdout.write(out.join("\n"));')
    ratio "vercmp-npm-$N" "$b" "node-semver" "$p"
else echo "skipped: node semver not cached (run tests/integration/scan_version_npm.sh once)"; fi

IN=$tmp/rpm.pairs; b=$(best "$BRIG" db vercmp --batch rpm)
if /usr/bin/python3 -c 'import rpm' 2>/dev/null; then
    p=$(best /usr/bin/python3 -c '
import sys, rpm
def evr(s):
    e, rest = s.split(":", 1); v, r = rest.rsplit("-", 1); return (e, v, r)
for l in sys.stdin:
    a, b = l.split(); c = rpm.labelCompare(evr(a), evr(b)); print("<" if c < 0 else ">" if c > 0 else "=")')
    ratio "vercmp-rpm-$N" "$b" "librpm-python" "$p"
else echo "skipped: python3-rpm not installed"; fi

IN=$tmp/debian.pairs; b=$(best "$BRIG" db vercmp --batch debian)
p=$(RUNS=1 best sh -c 'while read -r a b; do dpkg --compare-versions "$a" lt "$b"; done')
ratio "vercmp-debian-3000 (dpkg: one process per pair)" "$b" "dpkg" "$p"

if [ -d "$VD/osv-go" ]; then
    IN=/dev/null
    t=$(best sh -c "rm -f '$tmp/v.db'; '$BRIG' db import --db '$tmp/v.db' '$VD/osv-go' '$VD/osv-pypi' '$VD/alpine-secdb'")
    sz=$(stat -c %s "$tmp/v.db")
    echo "db import osv-go+osv-pypi+alpine-secdb (6952 OSV records + secdb): ${t} s, database ${sz} bytes"
    IN=/dev/null
    q=$(best sh -c "for i in \$(seq 200); do '$BRIG' db query --db '$tmp/v.db' pypi django 3.2.\$((i % 20)) >/dev/null; done")
    v=$(RUNS=1 IN=/dev/null best sh -c "for i in \$(seq 200); do '$BRIG' --version >/dev/null; done")
    echo "db query: 200 process-per-query lookups (django, ~100 records each) in ${q} s; 200 bare 'brig --version' runs take ${v} s (start-up)"
    echo "skipped: trivy/grype not installed on this machine (no database import/query ratio)"
else
    echo "skipped: shared vulndata not found at $VD"
fi
