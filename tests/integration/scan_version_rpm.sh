#!/usr/bin/env bash
# RPM version order: brig's rpmvercmp/EVR comparator against python3-rpm's
# rpm.labelCompare (librpm itself) on thousands of generated pairs ('~', '^', epochs).
. "$(dirname "$0")/../lib.sh"
N=${BRIG_VERSION_PAIRS:-3000}
trap 'rm -rf "$T_TMP"' EXIT
if ! /usr/bin/python3 -c 'import rpm' 2>/dev/null; then skip "python3-rpm not installed (scripts/install-deps.sh)"; exit 0; fi
/usr/bin/python3 - "$N" >"$T_TMP/ref" <<'PY'
import random, sys, rpm
r = random.Random(4180)
def seg():
    return ''.join(r.choice(['0', '1', '2', '10', '01', 'a', 'b', 'rc', 'Z', '.', '.', '_', '+', '~', '^', 'git', 'el8']) for _ in range(r.randint(1, 5)))
def vr():
    v = r.choice(['0', '1', '2', '10']) + seg()
    rel = r.choice(['1', '2', '1.el8', '0.1.rc1', '3.fc38', '1~rc', '1^post', '10'])
    e = r.choice([None, None, None, '0', '1', '2'])
    return e, v, rel
def fmt(e, v, rel): return (e + ':' if e is not None else '') + v + '-' + rel
def mutate(t):
    e, v, rel = t
    return r.choice([(e, v + '~1', rel), (e, v + '^1', rel), (e, v + '.0', rel), (e, v, rel + '.1'), ('1', v, rel), (e, v.replace('1', '01', 1), rel)])
for i in range(int(sys.argv[1])):
    a = vr(); b = mutate(a) if i % 2 else vr()
    if i % 9 == 0: b = a
    c = rpm.labelCompare(a, b)
    print(fmt(*a), fmt(*b), '<' if c < 0 else '>' if c > 0 else '=')
PY
n=$(wc -l <"$T_TMP/ref")
check "at least 2000 rpm pairs ($n)" test "$n" -ge 2000
cut -d' ' -f1,2 "$T_TMP/ref" | "$BRIG" db vercmp --batch rpm >"$T_TMP/got"
paste -d' ' <(cut -d' ' -f1,2 "$T_TMP/ref") "$T_TMP/got" >"$T_TMP/mine"
if diff -q "$T_TMP/ref" "$T_TMP/mine" >/dev/null; then ok "brig agrees with rpm.labelCompare on all $n pairs"
else not_ok "brig disagrees with rpm.labelCompare"; diff "$T_TMP/ref" "$T_TMP/mine" | head -10 | sed 's/^/# /'; fi
check_out "rpm: ~ before release" '^<$' "$BRIG" db vercmp rpm 1.0~rc1-1 1.0-1
check_out "rpm: ^ after base, before next" '^>$' "$BRIG" db vercmp rpm 1.0^git1-1 1.0-1
check_out "rpm: epoch" '^>$' "$BRIG" db vercmp rpm 1:1.0-1 2.0-1
