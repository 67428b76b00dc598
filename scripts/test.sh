#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Install dependencies, build dejfa and run the whole test suite with CTest. This is exactly what
# CI runs (.ci/run). Two builds:
#   1. build-san: clang, host code and its tests with ASan+UBSan (RTL models excluded: the
#      sanitizers add nothing to Verilator's generated code and slow it down ~10x), instrumented
#      for libFuzzer too, so the same build runs the host tests and the fuzz targets for the rule
#      parser, the image loader and the packet decoder (each for a bounded time, plus every past
#      crash replayed). One build instead of two saves CI a whole host build;
#   2. build: Release (GCC, warnings as errors), everything including the Verilated RTL tests.
# The last line printed is CTest's summary of the full build.
#   BUILD_DIR   full build directory (default: build)
#   JOBS        parallel build and test jobs (default: nproc)
# scripts/test.sh --long adds the budgets too large for every run, by hand, after the suite:
# clang-tidy with the static analyzer on every host file (the suite's check adds it to the
# parsers of untrusted input only), the whole mutation suite (tests/mutations/run.sh), a differential-fuzzing soak of both
# configurations (scripts/soak.sh, LONG_SOAK_S seconds each, default 1800), ET Open's in-subset
# rules on the real captures at 10g (all seven chunks) and Yosys' smoke flow on every
# configuration of every file list (DEJFA_YOSYS_ALL_CONFIGS=1).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
LONG=0
for a in "$@"; do
  case $a in
    --long) LONG=1 ;;
    *) echo "test.sh: unknown argument '$a' (--long or nothing)" >&2; exit 2 ;;
  esac
done
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
# Each stage's start, so a slow CI run shows where its time went.
stage() { printf '== %s (%d min %02d s into the run)\n' "$1" $((SECONDS / 60)) $((SECONDS % 60)); }

bash scripts/install-deps.sh

stage "ASan+UBSan build of the host code (clang, with the libFuzzer targets)"
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR-san" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDEJFA_SANITIZE=ON -DDEJFA_FUZZ=ON -DDEJFA_WITH_RTL=OFF
cmake --build "$BUILD_DIR-san" -j "$JOBS"
stage "host tests under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$BUILD_DIR-san" -j "$JOBS" --output-on-failure --timeout 900 -L host

stage "libFuzzer targets (bounded time each, regressions replayed)"
ctest --test-dir "$BUILD_DIR-san" -j "$JOBS" --output-on-failure -L fuzz

stage "Release configure (Verilator runs here: every model is verilated at configure time)"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
stage "Release build"
cmake --build "$BUILD_DIR" -j "$JOBS"
stage "the whole suite"
ctest --test-dir "$BUILD_DIR" -j "$JOBS" --output-on-failure --timeout 1800
stage "done"

if ((LONG)); then
  stage "--long: clang-tidy with the static analyzer on every host file"
  bash scripts/check-tidy.sh --analyze-all "$BUILD_DIR-san"
  stage "--long: the whole mutation suite"
  bash tests/mutations/run.sh --jobs "$JOBS"
  stage "--long: differential-fuzzing soak, ${LONG_SOAK_S:-1800} s per configuration"
  BUILD_DIR=$BUILD_DIR bash scripts/soak.sh "${LONG_SOAK_S:-1800}"
  stage "--long: the firewall regime at full header capacity, 8 rule sets per configuration"
  for cfg in 10g 100g; do
    "$BUILD_DIR/tests/rtl/dejfa_difffuzz" --config "$cfg" --kind firewall --sets 8 --packets 3000
  done
  stage "--long: ET Open on the real captures at 10g"
  et=$BUILD_DIR/tests/rtl/et-open.rules real=$BUILD_DIR/tests/rtl/real-pcaps
  [[ -s $et && -d $real ]] || { echo "test.sh: $et or $real missing (the suite unpacks them)" >&2; exit 1; }
  # (0.2 % of the frames overflowed in session 6, 505 of 246,186: the bound is 1 %)
  "$BUILD_DIR/tests/rtl/dejfa_difffuzz" --config 10g --rules "$et" --pcap "$real" --max-overflow 1
  stage "--long: Yosys smoke flow on every configuration"
  DEJFA_YOSYS_ALL_CONFIGS=1 bash scripts/check-rtl.sh yosys
  stage "--long: done"
fi
