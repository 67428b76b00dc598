#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# dejfa against the software peers on the same frames and rules, in one run per row
# (bench/bench_peers.cpp): the Verilated core's throughput implied at the clock, Hyperscan
# (content literals, block mode), libpcap BPF (the rules' headers) and dejfa's reference model.
# Prints a markdown table; figures are medians of RUNS runs with min–max, pinned to one core.
#   bench/peers.sh [RUNS]
# Workloads: the default ruleset over `dejfa gen` traffic (always); over the real captures (when
# ../shared/data is there) the in-subset Snort 3 community rules (header rules: Snort 3's own
# content syntax is outside the subset) and ET Open's in-subset rules cut to what one image of
# the configuration holds (content-heavy).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RUNS=${1:-5}
BUILD_DIR=${BUILD_DIR:-build}
DATA=${DEJFA_SHARED_DATA:-$ROOT/../shared/data}
CPU=${BENCH_CPU:-1}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target bench_peers dejfa >/dev/null
WORK="$BUILD_DIR/bench-data"
mkdir -p "$WORK/sv"
[[ -f $WORK/gen.pcap ]] || "$BUILD_DIR/host/dejfa" gen -o "$WORK/gen.pcap" -n 50000 --seed 1 >/dev/null

echo "| rules | config | frames | engine | Mpps | Gbps (frame bytes) | dejfa ÷ peer | notes |"
echo "|---|---|---:|---|---:|---:|---:|---|"
for cfg in 10g 100g; do
  taskset -c "$CPU" "$BUILD_DIR/bench/bench_peers" "$RUNS" "$cfg" rules/dejfa-default.rules "$WORK/gen.pcap"
done
if [[ -d $DATA/pcaps ]]; then
  [[ -n $(ls -A "$WORK/sv") ]] || tar -xJf "$DATA/pcaps/suricata-verify-pcaps-lt300k.tar.xz" -C "$WORK/sv"
  mapfile -t PCAPS < <(find "$WORK/sv" -name '*.pcap*' | sort)
  PCAPS+=("$DATA/pcaps/tcpreplay-test.pcap")
  [[ -f $WORK/et.rules ]] || xz -dc "$DATA/rules/et-open-suricata4-2019.rules.xz" > "$WORK/et.rules"
  for rules in "$DATA/rules/snort3-community.rules" "$WORK/et.rules"; do
    for cfg in 10g 100g; do
      taskset -c "$CPU" "$BUILD_DIR/bench/bench_peers" "$RUNS" "$cfg" "$rules" "${PCAPS[@]}"
    done
  done
else
  echo "peers: $DATA not found: the real-capture rows are skipped" >&2
fi
