#!/usr/bin/env bash
# Debian version order: brig's comparator against the reference `dpkg --compare-versions`
# on thousands of generated pairs (epochs, '~', '+', letters, revisions, leading zeros).
. "$(dirname "$0")/../lib.sh"
N=${BRIG_VERSION_PAIRS:-2500}
trap 'rm -rf "$T_TMP"' EXIT
if ! command -v dpkg >/dev/null; then skip "dpkg not installed"; exit 0; fi
/usr/bin/python3 - "$N" >"$T_TMP/pairs" <<'PY'
import random, sys
r = random.Random(20261126)
def up():
    parts = [str(r.choice([0, 1, 2, 9, 10, 99, 100]))]
    for _ in range(r.randint(0, 3)):
        sep = r.choice(['.', '.', '.', '+', '~', ''])
        tok = r.choice(['0', '1', '2', '10', '01', '007', 'a', 'b', 'rc1', 'beta', 'dfsg', 'git20200101', 'Z', 'z', '~', '~~', '+b1'])
        parts.append(sep + tok)
    s = ''.join(parts)
    return s if s[0].isdigit() else '0' + s
def ver():
    s = up()
    if r.random() < 0.15: s = f"{r.choice([0, 1, 2, 10])}:{s}"
    if r.random() < 0.6: s += '-' + r.choice(['1', '2', '0', '1ubuntu1', '1+deb12u1', '1~bpo1', '10', '1.1', '0~rc1', 'a'])
    return s
def mutate(s):
    ops = [lambda x: x + '~', lambda x: x + '+1', lambda x: x + '.0', lambda x: x.replace('1', '01', 1),
           lambda x: x + 'a', lambda x: x[:-1] if len(x) > 1 and x[-2:] != '-' else x]
    m = r.choice(ops)(s)
    return m if m and m[-1] != '-' and m[0].isdigit() or ':' in m[:3] else s
for i in range(int(sys.argv[1])):
    a = ver()
    b = mutate(a) if i % 2 else ver()
    if i % 7 == 0: b = a
    print(a, b)
PY
# Reference results: dpkg decides lt/eq/gt; pairs dpkg rejects are dropped.
/usr/bin/python3 - "$T_TMP/pairs" >"$T_TMP/ref" 2>"$T_TMP/ref.err" <<'PY'
import subprocess, sys
from concurrent.futures import ThreadPoolExecutor
pairs = [l.split() for l in open(sys.argv[1])]
def ref(p):
    a, b = p
    lt = subprocess.run(['dpkg', '--compare-versions', a, 'lt', b], stderr=subprocess.PIPE)
    if lt.stderr: return None
    if lt.returncode == 0: return '<'
    eq = subprocess.run(['dpkg', '--compare-versions', a, 'eq', b])
    return '=' if eq.returncode == 0 else '>'
with ThreadPoolExecutor(4) as ex:
    for p, res in zip(pairs, ex.map(ref, pairs)):
        if res: print(p[0], p[1], res)
PY
cut -d' ' -f1,2 "$T_TMP/ref" >"$T_TMP/valid"
n=$(wc -l <"$T_TMP/valid")
check "at least 2000 dpkg-valid pairs generated ($n)" test "$n" -ge 2000
"$BRIG" db vercmp --batch debian <"$T_TMP/valid" >"$T_TMP/got"
paste -d' ' "$T_TMP/valid" "$T_TMP/got" >"$T_TMP/mine"
if diff -q "$T_TMP/ref" "$T_TMP/mine" >/dev/null; then ok "brig agrees with dpkg on all $n pairs"
else not_ok "brig disagrees with dpkg"; diff "$T_TMP/ref" "$T_TMP/mine" | head -10 | sed 's/^/# /'; fi
# Spot checks of the rules that matter most.
check_out "dpkg: ~ sorts before the end" '^<$' "$BRIG" db vercmp debian 1.0~rc1 1.0
check_out "dpkg: epoch wins" '^>$' "$BRIG" db vercmp debian 1:0.1 9.9
check_out "dpkg: letters before non-letters" '^<$' "$BRIG" db vercmp debian 1.0a 1.0+
check_out "dpkg: absent revision equals -0" '^=$' "$BRIG" db vercmp debian 1.0 1.0-0
