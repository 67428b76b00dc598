#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# clang-tidy with the repository's .clang-tidy on every host/ source a clang build compiles (its
# compile_commands.json), in parallel; any finding fails the check (the test suite runs it in the
# sanitizer build: check.clang_tidy).
#   check-tidy.sh BUILD_DIR             host/ sources of BUILD_DIR's compile_commands.json
#   check-tidy.sh --file FILE           one file with plain C++20 flags (the self-test's fixture)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v clang-tidy > /dev/null || { echo "check-tidy: clang-tidy not installed" >&2; exit 2; }
if [[ ${1:-} == --file ]]; then
  incs=()
  for d in "$ROOT"/host/*/include; do incs+=("-I$d"); done
  out=$(cd "$ROOT" && clang-tidy --quiet "${2:?--file FILE}" -- -std=c++20 "${incs[@]}" 2>/dev/null) || true
  files=1
else
  build=$(cd "${1:?check-tidy.sh BUILD_DIR}" && pwd)
  mapfile -t list < <(python3 - "$build/compile_commands.json" "$ROOT/host/" <<'PY'
import json, sys
cc, root = json.load(open(sys.argv[1])), sys.argv[2]
print("\n".join(sorted({c["file"] for c in cc if c["file"].startswith(root)})))
PY
)
  ((${#list[@]})) || { echo "check-tidy: no host/ sources in $build/compile_commands.json" >&2; exit 2; }
  files=${#list[@]}
  out=$(cd "$ROOT" && printf '%s\n' "${list[@]}" |
        xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet 2>/dev/null) || true
fi
findings=$(grep -E "(warning|error): " <<<"$out" | sort -u || true)
if [[ -n $findings ]]; then
  printf '%s\n' "$findings"
  echo "check-tidy: $(wc -l <<<"$findings") finding(s) in $files file(s)"
  exit 1
fi
echo "check-tidy: $files files clean"
