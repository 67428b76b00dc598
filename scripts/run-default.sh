#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The main job on the bundled default: install dependencies, build, and run dejfa.
# Today (rule compiler and simulator not landed yet) this lists the hardware configurations that
# the build derived from hw/dejfa_regs.toml; it grows into `dejfa sim` on the default ruleset.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
bash scripts/install-deps.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD_DIR" -j "$(nproc)" --target dejfa
"$BUILD_DIR/host/dejfa" --version
"$BUILD_DIR/host/dejfa" configs
