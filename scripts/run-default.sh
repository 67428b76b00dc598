#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The main job on the bundled default: install dependencies, build dejfa, check the default
# ruleset (rules/dejfa-default.rules), compile it into a rule image for the 100g configuration
# (utilisation report) and show the tables that went into it. Replaying a generated capture
# through the cycle-accurate model (dejfa gen, dejfa sim) joins when the RTL core and the
# simulator land.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
bash scripts/install-deps.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD_DIR" -j "$(nproc)" --target dejfa
DEJFA="$BUILD_DIR/host/dejfa"
echo "== dejfa check --strict rules/dejfa-default.rules"
"$DEJFA" check --strict rules/dejfa-default.rules
echo "== dejfa compile --config 100g -o $BUILD_DIR/default-100g.dfi rules/dejfa-default.rules"
"$DEJFA" compile --config 100g -o "$BUILD_DIR/default-100g.dfi" rules/dejfa-default.rules
echo "== dejfa compile --dump (first 40 lines of the tables)"
"$DEJFA" compile -q --config 100g --dump rules/dejfa-default.rules 2>/dev/null | head -40
