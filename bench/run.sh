#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Host-side benchmarks (issue 3): rule parse+compile time, image capacity and reference-model
# throughput.
# Prints markdown tables; figures are medians of RUNS runs with min–max, pinned to one core.
#   bench/run.sh [RUNS]          (needs ../shared/data for the third-party rules and captures)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RUNS=${1:-5}
BUILD_DIR=${BUILD_DIR:-build}
DATA=${DEJFA_SHARED_DATA:-$ROOT/../shared/data}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target bench_compile bench_refmodel >/dev/null
WORK="$BUILD_DIR/bench-data"
mkdir -p "$WORK/sv"
[[ -f $WORK/et.rules ]] || xz -dc "$DATA/rules/et-open-suricata4-2019.rules.xz" > "$WORK/et.rules"
[[ -n $(ls -A "$WORK/sv") ]] || tar -xJf "$DATA/pcaps/suricata-verify-pcaps-lt300k.tar.xz" -C "$WORK/sv"
mapfile -t PCAPS < <(find "$WORK/sv" -name '*.pcap*' | sort)
PCAPS+=("$DATA/pcaps/tcpreplay-test.pcap")
CPU=${BENCH_CPU:-1}

echo "### Parse and compile (one core)"
echo
taskset -c "$CPU" "$BUILD_DIR/bench/bench_compile" "$RUNS" "$WORK/et.rules" "$DATA/rules/snort3-community.rules"
echo
echo "### Capacity (one image per configuration)"
echo
"$BUILD_DIR/bench/bench_compile" --capacity "$WORK/et.rules" "$DATA/rules/snort3-community.rules"
echo
echo "### Reference model over the captures (one core; ${#PCAPS[@]} files)"
echo
echo "| rules | rules loaded | pcap files | frames | Mpps | Gbps (wire) | alerts |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for r in rules/dejfa-default.rules "$DATA/rules/snort3-community.rules" "$WORK/et.rules"; do
  taskset -c "$CPU" "$BUILD_DIR/bench/bench_refmodel" "$RUNS" "$r" "${PCAPS[@]}"
done
