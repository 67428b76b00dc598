#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The main job on the bundled default: install dependencies, build dejfa, check the default
# ruleset (rules/dejfa-default.rules), compile it into a rule image for the 100g configuration
# (utilisation report), generate a capture of realistic mixed traffic (dejfa gen, fixed seed),
# and replay it through the Verilated filter core loaded with that image (dejfa sim --engine rtl,
# the image model in lock-step): summary, per-rule table, counters JSON and Suricata EVE alerts
# under $BUILD_DIR/default/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
bash scripts/install-deps.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD_DIR" -j "$(nproc)" --target dejfa
DEJFA="$BUILD_DIR/host/dejfa"
OUT="$BUILD_DIR/default"
mkdir -p "$OUT"
echo "== dejfa check --strict rules/dejfa-default.rules"
"$DEJFA" check --strict rules/dejfa-default.rules
echo "== dejfa compile --config 100g -o $OUT/default-100g.dfi rules/dejfa-default.rules"
"$DEJFA" compile --config 100g -o "$OUT/default-100g.dfi" rules/dejfa-default.rules
echo "== dejfa gen -o $OUT/traffic.pcap -n 50000 --seed 1"
"$DEJFA" gen -o "$OUT/traffic.pcap" -n 50000 --seed 1
echo "== dejfa sim --engine rtl --config 100g --image $OUT/default-100g.dfi --pcap $OUT/traffic.pcap"
"$DEJFA" sim --engine rtl --config 100g --image "$OUT/default-100g.dfi" --pcap "$OUT/traffic.pcap" \
  --counters "$OUT/counters.json" --eve "$OUT/eve.json" --drop-pcap "$OUT/dropped.pcap"
echo "== wrote $OUT/counters.json, $OUT/eve.json ($(wc -l < "$OUT/eve.json") alerts), $OUT/dropped.pcap"
