#!/usr/bin/env bash
# npm version order: brig's SemVer 2.0 comparator against the npm `semver` package
# (installed once into a cache from the npm registry) on thousands of generated pairs.
. "$(dirname "$0")/../lib.sh"
N=${BRIG_VERSION_PAIRS:-3000}
trap 'rm -rf "$T_TMP"' EXIT
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then skip "node/npm not installed"; exit 0; fi
cache=${BRIG_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/brig-test-npm}
if [ ! -f "$cache/node_modules/semver/package.json" ]; then
    mkdir -p "$cache"
    if ! timeout 120 npm install --silent --no-audit --no-fund --prefix "$cache" semver >/dev/null 2>&1; then
        skip "npm semver package could not be installed (no registry access)"; exit 0
    fi
fi
/usr/bin/python3 - "$N" >"$T_TMP/pairs" <<'PY'
import random, sys
r = random.Random(2020)
def num(): return r.choice(['0', '1', '2', '10', '11', '100'])
def ident(): return r.choice(['alpha', 'beta', 'rc', '0', '1', '2', '10', 'x-y', 'Alpha', 'a1', '1a', '-', 'beta-2'])
def ver():
    s = f"{num()}.{num()}.{num()}"
    if r.random() < 0.5: s += '-' + '.'.join(ident() for _ in range(r.randint(1, 3)))
    if r.random() < 0.2: s += '+' + r.choice(['build', '001', 'exp.sha.5114f85', 'x-1'])
    if r.random() < 0.1: s = 'v' + s
    return s
def mutate(s):
    return r.choice([s + '.1' if '-' in s else s + '-0', s + '+b', s.replace('1', '2', 1), s + '.alpha' if '-' in s else s + '-alpha'])
for i in range(int(sys.argv[1])):
    a = ver(); b = mutate(a) if i % 2 else ver()
    if i % 9 == 0: b = a
    print(a, b)
PY
NODE_PATH="$cache/node_modules" node -e '
const semver = require("semver");
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
let out = [];
for (const l of lines) {
  const [a, b] = l.split(" ");
  if (!semver.valid(a) || !semver.valid(b)) continue;
  const c = semver.compare(a, b);
  out.push(a + " " + b + " " + (c < 0 ? "<" : c > 0 ? ">" : "="));
}
process.stdout.write(out.join("\n") + "\n");' "$T_TMP/pairs" >"$T_TMP/ref"
n=$(wc -l <"$T_TMP/ref")
check "at least 2000 valid semver pairs ($n)" test "$n" -ge 2000
cut -d' ' -f1,2 "$T_TMP/ref" | "$BRIG" db vercmp --batch npm >"$T_TMP/got"
paste -d' ' <(cut -d' ' -f1,2 "$T_TMP/ref") "$T_TMP/got" >"$T_TMP/mine"
if diff -q "$T_TMP/ref" "$T_TMP/mine" >/dev/null; then ok "brig agrees with npm semver on all $n pairs"
else not_ok "brig disagrees with npm semver"; diff "$T_TMP/ref" "$T_TMP/mine" | head -10 | sed 's/^/# /'; fi
check_out "semver: numeric identifiers below alphanumeric" '^<$' "$BRIG" db vercmp npm 1.0.0-1 1.0.0-alpha
check_out "semver: build metadata ignored" '^=$' "$BRIG" db vercmp npm 1.0.0+a 1.0.0+b
check_out "go: pseudo-version is a prerelease of v0.0.0" '^<$' "$BRIG" db vercmp go v0.0.0-20191109021931-daa7c04131f5 v0.0.1
check_out "go: +incompatible is build metadata" '^=$' "$BRIG" db vercmp go v2.0.0+incompatible 2.0.0
check_out "go: shorthand v1.2 = v1.2.0" '^=$' "$BRIG" db vercmp go v1.2 v1.2.0
