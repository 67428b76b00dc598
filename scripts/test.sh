#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Install dependencies, build dejfa and run the whole test suite with CTest. This is exactly what
# CI runs (.ci/run). Two builds:
#   1. build-asan: host code and its tests with ASan+UBSan (RTL models excluded: the sanitizers
#      add nothing to Verilator's generated code and slow it down ~10x);
#   2. build-fuzz: clang libFuzzer targets for the rule parser, the image loader and the packet
#      decoder (with ASan+UBSan), each run for a bounded time, plus every past crash replayed;
#   3. build: Release (warnings as errors), everything including the Verilated RTL tests.
# The last line printed is CTest's summary of the full build.
#   BUILD_DIR   full build directory (default: build)
#   JOBS        parallel build and test jobs (default: nproc)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}

bash scripts/install-deps.sh

echo "== ASan+UBSan build of the host code"
cmake -S . -B "$BUILD_DIR-asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDEJFA_SANITIZE=ON -DDEJFA_WITH_RTL=OFF
cmake --build "$BUILD_DIR-asan" -j "$JOBS"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$BUILD_DIR-asan" -j "$JOBS" --output-on-failure --timeout 900 -L host

echo "== libFuzzer targets (clang)"
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDEJFA_FUZZ=ON -DDEJFA_SANITIZE=ON -DDEJFA_WITH_RTL=OFF
cmake --build "$BUILD_DIR-fuzz" -j "$JOBS" --target fuzz_rules fuzz_image fuzz_packet dejfa
ctest --test-dir "$BUILD_DIR-fuzz" -j "$JOBS" --output-on-failure -L fuzz

echo "== Release build and the whole suite"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD_DIR" -j "$JOBS"
ctest --test-dir "$BUILD_DIR" -j "$JOBS" --output-on-failure --timeout 1800
