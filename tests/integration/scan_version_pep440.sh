#!/usr/bin/env bash
# PyPI version order: brig's PEP 440 comparator against Python's packaging.version
# (the reference pip uses) on thousands of generated pairs, including alternate
# spellings that normalise to the same version.
. "$(dirname "$0")/../lib.sh"
N=${BRIG_VERSION_PAIRS:-3000}
trap 'rm -rf "$T_TMP"' EXIT
if ! /usr/bin/python3 -c 'import packaging.version' 2>/dev/null; then skip "python3-packaging not installed"; exit 0; fi
/usr/bin/python3 - "$N" >"$T_TMP/ref" <<'PY'
import random, sys
from packaging.version import Version, InvalidVersion
r = random.Random(440)
def release():
    return '.'.join(r.choice(['0', '1', '2', '10', '00', '01', '3']) for _ in range(r.randint(1, 4)))
def ver():
    s = release()
    if r.random() < 0.1: s = r.choice(['1!', '0!', '2!']) + s
    if r.random() < 0.1: s = r.choice(['v', 'V']) + s
    if r.random() < 0.4:
        s += r.choice(['', '.', '-', '_']) + r.choice(['a', 'b', 'rc', 'c', 'alpha', 'beta', 'pre', 'preview', 'A', 'RC']) + r.choice(['', '0', '1', '2', '.1', '-3', '10'])
    if r.random() < 0.3:
        s += r.choice(['.post', 'post', '-post', '.rev', '-r', '_post', '.POST']) + r.choice(['', '0', '1', '2', '.1'])
    elif r.random() < 0.1:
        s += '-' + r.choice(['1', '2', '0'])
    if r.random() < 0.3:
        s += r.choice(['.dev', 'dev', '-dev', '_dev']) + r.choice(['', '0', '1', '3'])
    if r.random() < 0.2:
        s += '+' + r.choice(['ubuntu', '1', 'abc.5', '5.abc', 'a-b_c', 'ubuntu.1', 'Ubuntu1', '00'])
    return s
def mutate(s):
    return r.choice([s + '.0', s.replace('.', '.0', 1) if '.' in s else s + '.0', s + 'a1', s + '.post1', s + '.dev0',
                     s + '+local', s.upper(), s.replace('a', 'alpha', 1), s.replace('rc', 'c', 1), '0!' + s if '!' not in s else s])
out = 0
while out < int(sys.argv[1]):
    a = ver(); b = mutate(a) if out % 2 else ver()
    if out % 11 == 0: b = a
    try:
        va, vb = Version(a), Version(b)
    except InvalidVersion:
        continue
    res = '<' if va < vb else '>' if va > vb else '='
    print(a, b, res)
    out += 1
PY
n=$(wc -l <"$T_TMP/ref")
check "at least 2000 valid PEP 440 pairs ($n)" test "$n" -ge 2000
cut -d' ' -f1,2 "$T_TMP/ref" | "$BRIG" db vercmp --batch pypi >"$T_TMP/got"
paste -d' ' <(cut -d' ' -f1,2 "$T_TMP/ref") "$T_TMP/got" >"$T_TMP/mine"
if diff -q "$T_TMP/ref" "$T_TMP/mine" >/dev/null; then ok "brig agrees with packaging.version on all $n pairs"
else not_ok "brig disagrees with packaging.version"; diff "$T_TMP/ref" "$T_TMP/mine" | head -10 | sed 's/^/# /'; fi
check_out "pep440: 1.0a1 == 1.0.0a1" '^=$' "$BRIG" db vercmp pypi 1.0a1 1.0.0a1
check_out "pep440: 1.0-post1 == 1.0.post1" '^=$' "$BRIG" db vercmp pypi 1.0-post1 1.0.post1
check_out "pep440: dev before pre" '^<$' "$BRIG" db vercmp pypi 1.0.dev0 1.0a0
check_out "pep440: local sorts after public" '^>$' "$BRIG" db vercmp pypi 1.0+local 1.0
