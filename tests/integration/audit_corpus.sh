#!/usr/bin/env bash
# Drives tests/audit-corpus: every rule directory holds bad.* files that must
# raise exactly that rule ID at the line listed in `expect`, and good.* files
# that must not raise it.  Also checks the corpus covers every file-based rule.
. "$(dirname "$0")/../lib.sh"
corpus=$(cd "$(dirname "$0")/../audit-corpus" && pwd)

ids_at() {  # FILE -> "ID:LINE" per finding (exit code must be 0: --exit-code 0)
    (cd "$(dirname "$1")" && "$BRIG" audit --exit-code 0 --format json "$(basename "$1")") | jq -r '.findings[] | "\(.rule_id):\(.line)"'
}

for d in "$corpus"/*/; do
    id=$(basename "$d")
    [ -f "$d/expect" ] || continue
    while read -r f want; do
        [ -n "$f" ] || continue
        if got=$(ids_at "$d/$f" 2>&1) && printf '%s\n' "$got" | grep -qx -- "$id:$want"; then ok "$id: $f raises $id at line $want"
        else not_ok "$id: $f raises $id at line $want"; printf '%s\n' "$got" | grep -- "$id" | head -5 | sed 's/^/# got /'; fi
    done <"$d/expect"
    for g in "$d"/good.*; do
        if got=$(ids_at "$g" 2>&1) && ! printf '%s\n' "$got" | grep -q -- "^$id:"; then ok "$id: $(basename "$g") does not raise $id"
        else not_ok "$id: $(basename "$g") does not raise $id"; printf '%s\n' "$got" | head -5 | sed 's/^/# /'; fi
    done
done

# Every rule that applies to files has a corpus directory (host rules are in audit_host.sh).
missing=$("$BRIG" audit --list-rules | awk '{print $1}' | grep -vE '^(CIS-3\.|BRIG-AUD-03)' | while read -r id; do [ -d "$corpus/$id" ] || echo "$id"; done)
if [ -z "$missing" ]; then ok "corpus covers every file-based rule"; else not_ok "corpus covers every file-based rule (missing: $(echo $missing))"; fi
