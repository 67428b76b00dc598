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

want() { [[ $TABLES == *",$1,"* ]]; }
if want rate; then
  echo "### Line rate (back-to-back frames, output always ready; $FRAMES frames per row)"
  echo
  echo "| config | traffic | rules loaded | mean frame B | cycles | beats/cycle | input stall cycles | Gbps at the clock | Mpps at the clock | line-rate Mpps | of line rate | overflow frames |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in 10g 100g; do run --config $c --frames "$FRAMES" --runs 1 --table rate; done
  echo
fi
if want latency; then
  echo "### Latency (idle core: first beat in to first beat out, median of 9 frames)"
  echo
  echo "| config | frame B | beats | cycles, random payload | cycles, near-hit payload | ns at the clock (random / near-hit) |"
  echo "|---|---:|---:|---:|---:|---|"
  for c in 10g 100g; do run --config $c --table latency; done
  echo
fi
if want speed; then
  echo "### Simulation speed (speed build; each row's traffic over 50,000 beats, median of $RUNS runs, min–max; one core)"
  echo
  echo "| config | traffic | cycles per second | frames per second |"
  echo "|---|---|---:|---:|"
  for c in 10g 100g; do run --config $c --frames 1000000 --max-beats 50000 --runs "$RUNS" --table speed; done
  echo
fi
if want load; then
  echo "### Hitless update (register writes through the core's AXI4-Lite port at the datapath clock)"
  echo
  echo "| config | operation | rules | register writes | cycles | µs at the clock | frames judged meanwhile | input stall cycles |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  for c in 10g 100g; do run --config $c --table load; done
fi
