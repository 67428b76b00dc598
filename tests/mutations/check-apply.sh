#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Every kept mutation still applies to the source tree: a patch whose context has moved (a
# reformat, an edit near it) no longer injects its fault, and run.sh would report it as broken
# only when someone runs the whole suite. The test command runs this on every patch in seconds.
#
#   tests/mutations/check-apply.sh [DIR]    DIR: the patches (default tests/mutations)
# Exits 0 when every patch applies (git apply --check against the repository root), else 1
# with each stale patch named.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-$ROOT/tests/mutations}
n=0 stale=0
for p in "$DIR"/*.patch; do
  [ -e "$p" ] || continue
  n=$((n + 1))
  if ! git -C "$ROOT" apply --check "$p" 2>/dev/null; then
    echo "stale: $p does not apply to the current source; write it again against the tree (tests/mutations/README.md)"
    stale=$((stale + 1))
  fi
done
echo "mutations: $n patches, $stale stale"
[ "$n" -gt 0 ] && [ "$stale" -eq 0 ]
