#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Simulation speed of `dejfa sim --engine rtl` against an earlier commit, side by side in one run
# (issue "Simulation 20x faster"): both builds replay the same capture with the same seeds, and
# their outputs -- summary, counters JSON, EVE alerts, and a second run with random input bubbles
# and output back-pressure -- must be identical (the speed-up must not change behaviour).
#
#   bench/simspeed_vs.sh [--ref COMMIT] [--runs N] [--frames N] [--build DIR]
#
# The workload is the issue's: the bundled default rules, `dejfa gen --seed 3` frames (20,000),
# the model in lock-step, wall-clock time including start-up and the table load. The earlier
# commit (default cbe9c70, the last before the speed work) is built once into build-ref/COMMIT
# from a `git worktree` (only its `dejfa` target); the current tree's `dejfa` comes from --build
# (default build/). Each timed run is pinned to one vCPU (taskset) when there is more than one.
# Prints one row per configuration: median wall time of each build (min-max), simulated cycles
# per second, and the speed-up; exits non-zero if any output differs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
REF=cbe9c70 RUNS=3 FRAMES=20000 BUILD=build
while (($#)); do
  case $1 in
    --ref) REF=${2:?--ref COMMIT}; shift ;;
    --runs) RUNS=${2:?--runs N}; shift ;;
    --frames) FRAMES=${2:?--frames N}; shift ;;
    --build) BUILD=${2:?--build DIR}; shift ;;
    *) echo "simspeed_vs.sh: unknown argument '$1' (see the header)" >&2; exit 2 ;;
  esac
  shift
done
ref_full=$(git rev-parse --verify "$REF^{commit}")
ref_short=$(git rev-parse --short "$ref_full")
RB=build-ref/$ref_short
OUT=${PERF_OUT:-build/perf}/simvs
mkdir -p "$OUT"

# The earlier commit's CLI, built once.
if [[ ! -x $RB/build/host/dejfa ]]; then
  echo "simspeed_vs: building dejfa at $ref_short into $RB (once)" >&2
  rm -rf "$RB"
  git worktree prune
  mkdir -p build-ref
  git worktree add --detach "$RB/src" "$ref_full" >&2
  cmake -S "$RB/src" -B "$RB/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$OUT/ref-configure.log" 2>&1 ||
    { echo "simspeed_vs: configuring $ref_short failed ($OUT/ref-configure.log)" >&2; exit 1; }
  cmake --build "$RB/build" --target dejfa >"$OUT/ref-build.log" 2>&1 ||
    { echo "simspeed_vs: building $ref_short failed ($OUT/ref-build.log)" >&2; exit 1; }
fi
cmake --build "$BUILD" --target dejfa >"$OUT/new-build.log" 2>&1 ||
  { echo "simspeed_vs: building $BUILD failed ($OUT/new-build.log)" >&2; exit 1; }
OLD=$RB/build/host/dejfa NEW=$BUILD/host/dejfa
cur=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- hw host sim || cur+=" with uncommitted changes"

pin=()
if (($(nproc) > 1)) && command -v taskset >/dev/null; then pin=(taskset -c 1); fi
"$NEW" gen -o "$OUT/traffic.pcap" -n "$FRAMES" --seed 3 >/dev/null
rules=rules/dejfa-default.rules

# run BIN TAG CFG [extra sim args]: one replay; prints its wall seconds; keeps its outputs.
run() {
  local bin=$1 tag=$2 cfg=$3
  shift 3
  local t0 t1
  t0=$(date +%s.%N)
  "${pin[@]}" "$bin" sim -q --engine rtl --config "$cfg" --rules "$rules" --pcap "$OUT/traffic.pcap" \
    --counters "$OUT/$tag-$cfg.json" --eve "$OUT/$tag-$cfg.eve" "$@" >"$OUT/$tag-$cfg.txt" 2>"$OUT/$tag-$cfg.err" ||
    { echo "simspeed_vs: $tag ($bin) failed at $cfg:" >&2; cat "$OUT/$tag-$cfg.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}'
}
# same TAG_A TAG_B CFG: the two runs' outputs are identical (wall time aside).
same() {
  local a=$1 b=$2 cfg=$3
  cmp -s <(grep -v '^  time \|^dejfa sim: engine' "$OUT/$a-$cfg.txt") \
    <(grep -v '^  time \|^dejfa sim: engine' "$OUT/$b-$cfg.txt") &&
    python3 - "$OUT/$a-$cfg.json" "$OUT/$b-$cfg.json" <<'PY' &&
import json, sys
x, y = (json.load(open(p)) for p in sys.argv[1:3])
for d in (x, y):
    d["sim"].pop("seconds", None)
    d["sim"].pop("overflow_policy_checked", None)  # a field the earlier build does not write
sys.exit(0 if x == y else 1)
PY
    cmp -s "$OUT/$a-$cfg.eve" "$OUT/$b-$cfg.eve"
}
median() { sort -n | awk '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f (%.2f-%.2f)", m, v[1], v[NR]}'; }
med() { sort -n | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "dejfa sim --engine rtl, $FRAMES frames of \`dejfa gen --seed 3\`, rules/dejfa-default.rules," \
  "model in lock-step; $ref_short against $cur; $RUNS runs each, medians (min-max) of wall seconds"
echo
echo "| config | cycles (traffic + load) | $ref_short s | now s | $ref_short cycles/s | now cycles/s | speed-up |"
echo "|---|---:|---:|---:|---:|---:|---:|"
fail=0
for cfg in 10g 100g; do
  old=() new=()
  for ((i = 0; i < RUNS; i++)); do
    old+=("$(run "$OLD" old "$cfg")")
    new+=("$(run "$NEW" new "$cfg")")
  done
  if ! same old new "$cfg"; then
    echo "simspeed_vs: $cfg: the outputs of $ref_short and now differ ($OUT/{old,new}-$cfg.*)" >&2
    fail=1
  fi
  # The same with bubbles and back-pressure (the harness's random choices): still identical.
  run "$OLD" oldb "$cfg" --seed 5 --in-bubbles 10 --out-busy 20 >/dev/null
  run "$NEW" newb "$cfg" --seed 5 --in-bubbles 10 --out-busy 20 >/dev/null
  if ! same oldb newb "$cfg"; then
    echo "simspeed_vs: $cfg with bubbles: the outputs of $ref_short and now differ" >&2
    fail=1
  fi
  cyc=$(sed -n 's/^  cycles *\([0-9]*\) .*table load \([0-9]*\) cycles.*/\1 \2/p' "$OUT/new-$cfg.txt")
  total=$(awk '{print $1 + $2}' <<<"$cyc")
  mo=$(printf '%s\n' "${old[@]}" | med) mn=$(printf '%s\n' "${new[@]}" | med)
  printf '| %s | %s + %s | %s | %s | %s | %s | %s |\n' "$cfg" "${cyc% *}" "${cyc#* }" \
    "$(printf '%s\n' "${old[@]}" | median)" "$(printf '%s\n' "${new[@]}" | median)" \
    "$(awk -v c="$total" -v t="$mo" 'BEGIN {printf "%.0f", c / t}')" \
    "$(awk -v c="$total" -v t="$mn" 'BEGIN {printf "%.0f", c / t}')" \
    "$(awk -v a="$mo" -v b="$mn" 'BEGIN {printf "%.1fx", a / b}')"
done
echo
if ((fail)); then
  echo "simspeed_vs: outputs differ: the speed-up changed behaviour" >&2
  exit 1
fi
echo "Outputs identical in every run (summary, counters JSON, EVE; and with --seed 5 --in-bubbles 10 --out-busy 20)."
