#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Differential fuzzing soak: the Verilated core against the reference model on random rule sets
# and traffic (tests/rtl/difffuzz.cpp), for as long as asked, both configurations side by side.
#   scripts/soak.sh [SECONDS] [SEED]        default: 3600 s, a random seed (printed)
#   BUILD_DIR (default build), PACKETS per rule set (default 4000)
# Each configuration writes build/soak/<config>.log; the first difference stops that
# configuration with a report and the command that reproduces it; exit status 1 if any differed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
secs=${1:-3600}
seed=${2:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
BUILD_DIR=${BUILD_DIR:-build}
PACKETS=${PACKETS:-4000}
bin=$BUILD_DIR/tests/rtl/dejfa_difffuzz
if [[ ! -x $bin ]]; then
  echo "soak: $bin is missing; build first: cmake --build $BUILD_DIR --target dejfa_difffuzz" >&2
  exit 2
fi
mkdir -p "$BUILD_DIR/soak"
echo "soak: ${secs} s per configuration, seed $seed, $PACKETS frames per rule set"
cfgs=(10g 100g)
pids=()
for cfg in "${cfgs[@]}"; do
  "$bin" --config "$cfg" --seed "$seed" --seconds "$secs" --packets "$PACKETS" \
    >"$BUILD_DIR/soak/$cfg.log" 2>&1 &
  pids+=($!)
done
rc=0
for i in "${!pids[@]}"; do
  cfg=${cfgs[$i]}
  if wait "${pids[$i]}"; then
    tail -1 "$BUILD_DIR/soak/$cfg.log"
  else
    rc=1
    echo "soak: $cfg found a difference or failed:" >&2
    grep -A12 -E "DIFFERENCE|dejfa_difffuzz: .*seed" "$BUILD_DIR/soak/$cfg.log" >&2 || tail -20 "$BUILD_DIR/soak/$cfg.log" >&2
  fi
done
exit $rc
