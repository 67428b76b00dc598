#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# clang-format check of dejfa's C++ (generated files excluded). With file arguments, checks those.
# Fix with: scripts/check-format.sh --fix
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
fix=0
if [[ ${1:-} == --fix ]]; then fix=1; shift; fi
if (($#)); then files=("$@"); else
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- \
    'host/*.cpp' 'host/*.hpp' 'sim/*.cpp' 'sim/*.hpp' 'tests/*.cpp' 'tests/*.hpp' \
    'bench/*.cpp' 'bench/*.hpp' 'fuzz/*.cpp' | grep -v '/gen/' | grep -v '^tests/checks/fixtures/' \
    | while read -r f; do [[ -f $f ]] && echo "$f"; done)
fi
((${#files[@]})) || { echo "check-format: no files" >&2; exit 1; }
if ((fix)); then clang-format -i "${files[@]}"; echo "check-format: formatted ${#files[@]} files"; exit 0; fi
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "check-format: FAILED; run scripts/check-format.sh --fix" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files clean"
