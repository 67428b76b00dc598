#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Line rate, latency, simulation speed and hitless-update cost of the Verilated filter core, both
# configurations (issue "Performance"). Builds the models for speed in their own tree (-O3, --x-assign fast,
# --x-initial fast, no assertions: -DDEJFA_BENCH_MODEL=ON) and prints markdown tables.
#   bench/linerate.sh [FRAMES] [RUNS] [TABLES]     (defaults 20000, 3, rate,latency,speed,load)
# FRAMES is per line-rate row (at most 2 M beats of them). The speed table times RUNS runs of each
# row's traffic over 50,000 beats (at least 200 frames: 225,000 beats of 9,000-byte frames at
# 10g), the same length for every row and configuration, where one pass of the line-rate rows
# with FRAMES 5000 took 18 min on this project's 2-vCPU VM. TABLES picks tables: bench/perf.sh
# runs "rate,latency" as its part linerate and "speed,load" as its part simspeed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
FRAMES=${1:-20000}
RUNS=${2:-3}
TABLES=",${3:-rate,latency,speed,load},"
B=${BENCH_BUILD_DIR:-build-bench}
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDEJFA_BENCH_MODEL=ON -DDEJFA_TRACE=OFF >/dev/null
cmake --build "$B" -j "$(nproc)" --target bench_linerate >/dev/null
CPU=${BENCH_CPU:-1}
run() { taskset -c "$CPU" "$B/bench/bench_linerate" "$@"; }

# table NAME TITLE HEADER SEPARATOR BENCH_ARGS...: when TABLES names NAME, prints one markdown
# table with a row block from bench_linerate per configuration.
table() {
  local name=$1 title=$2 header=$3 sep=$4 c
  shift 4
  [[ $TABLES == *",$name,"* ]] || return 0
  printf '### %s\n\n%s\n%s\n' "$title" "$header" "$sep"
  for c in 10g 100g; do run --config $c "$@" --table "$name"; done
  echo
}
table rate "Line rate (back-to-back frames, output always ready; $FRAMES frames per row)" \
  "| config | traffic | rules loaded | mean frame B | cycles | beats/cycle | input stall cycles | Gbps at the clock | Mpps at the clock | line-rate Mpps | of line rate | overflow frames |" \
  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" --frames "$FRAMES" --runs 1
table latency "Latency (idle core: first beat in to first beat out, median of 9 frames)" \
  "| config | frame B | beats | cycles, random payload | cycles, near-hit payload | ns at the clock (random / near-hit) |" \
  "|---|---:|---:|---:|---:|---|"
table speed "Simulation speed (speed build; each row's traffic over 50,000 beats, median of $RUNS runs, min–max; one core)" \
  "| config | traffic | cycles per second | frames per second |" "|---|---|---:|---:|" \
  --frames 1000000 --max-beats 50000 --runs "$RUNS"
table load "Hitless update (register writes through the core's AXI4-Lite port at the datapath clock)" \
  "| config | operation | rules | register writes | cycles | µs at the clock | frames judged meanwhile | input stall cycles |" \
  "|---|---|---:|---:|---:|---:|---:|---:|"
