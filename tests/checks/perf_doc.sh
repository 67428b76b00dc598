#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/perf_doc.py, the writer behind `bench/perf.sh --write`: a part replaces exactly what stands
# between its markers and nothing else, a second write replaces the first, and a document with a
# missing, repeated or reversed marker is refused with the part named and left unchanged. Last,
# docs/PERFORMANCE.md itself has the markers of every part bench/perf.sh writes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W="python3 $ROOT/bench/perf_doc.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "perf_doc: $*" >&2; exit 1; }

printf '# doc\nprose before\n<!-- perf:a begin -->\nold a\n<!-- perf:a end -->\nprose between\n<!-- perf:b begin -->\n<!-- perf:b end -->\nprose after\n' >"$tmp/doc.md"
printf '| new | a |\n|---|---|\n' >"$tmp/a.md"
printf 'new b\n' >"$tmp/b.md"
$W "$tmp/doc.md" "$tmp" a b >/dev/null
want=$'# doc\nprose before\n<!-- perf:a begin -->\n| new | a |\n|---|---|\n<!-- perf:a end -->\nprose between\n<!-- perf:b begin -->\nnew b\n<!-- perf:b end -->\nprose after'
[[ $(cat "$tmp/doc.md") == "$want" ]] || fail "first write gave: $(cat "$tmp/doc.md")"
printf 'newer a\n' >"$tmp/a.md"
$W "$tmp/doc.md" "$tmp" a >/dev/null
[[ $(cat "$tmp/doc.md") == "${want/$'| new | a |\n|---|---|'/newer a}" ]] || fail "second write gave: $(cat "$tmp/doc.md")"

for bad in missing repeated reversed; do
  case $bad in
    missing) printf 'x\n<!-- perf:a begin -->\ny\n' >"$tmp/bad.md" ;;
    repeated) printf '<!-- perf:a begin -->\n<!-- perf:a end -->\n<!-- perf:a begin -->\n<!-- perf:a end -->\n' >"$tmp/bad.md" ;;
    reversed) printf '<!-- perf:a end -->\nx\n<!-- perf:a begin -->\n' >"$tmp/bad.md" ;;
  esac
  cp "$tmp/bad.md" "$tmp/bad.orig"
  if $W "$tmp/bad.md" "$tmp" a 2>"$tmp/err"; then fail "a $bad marker was accepted"; fi
  grep -q "part 'a'" "$tmp/err" || fail "no part named for a $bad marker: $(cat "$tmp/err")"
  cmp -s "$tmp/bad.md" "$tmp/bad.orig" || fail "the document was changed despite a $bad marker"
done

cp "$ROOT/docs/PERFORMANCE.md" "$tmp/perf.md"
mapfile -t parts < <(bash "$ROOT/bench/perf.sh" --parts)
((${#parts[@]} >= 5)) || fail "bench/perf.sh --parts named ${#parts[@]} parts: ${parts[*]}"
for p in "${parts[@]}"; do echo "generated $p" >"$tmp/$p.md"; done
$W "$tmp/perf.md" "$tmp" "${parts[@]}" >/dev/null ||
  fail "docs/PERFORMANCE.md lacks the markers of a part bench/perf.sh writes"
echo "perf_doc: parts replace their regions only; bad markers are refused"
