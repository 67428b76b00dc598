#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Elaborates dejfa inside a real Corundum core: runs make-app.py on CORUNDUM_DIR (a Corundum
# checkout; it gains fpga/app/dejfa and a board variant), then has Verilator elaborate
# Corundum's own mqnic_core with the generated mqnic_app_block, with the fpga_100g/fpga_AU250
# parameters and the application enabled. Fails on any error, and on any warning that names a
# dejfa file or a port connection (PINMISSING, PINNOTFOUND, PINCONNECTEMPTY, WIDTH at the block).
# Corundum's own code is linted with -Wno-lint -Wno-style: its warnings are not ours to fix.
#   check-in-corundum.sh [CORUNDUM_DIR]   (default: $DEJFA_CORUNDUM_DIR; exit 77 when neither)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
C=${1:-${DEJFA_CORUNDUM_DIR:-}}
if [[ -z $C ]]; then
  echo "check-in-corundum: no Corundum checkout given (argument or DEJFA_CORUNDUM_DIR): skipped"
  exit 77
fi
[[ -f $C/fpga/common/rtl/mqnic_core.v ]] || { echo "check-in-corundum: $C is not a Corundum checkout" >&2; exit 1; }
python3 "$ROOT/hw/boards/corundum/make-app.py" "$C"
cd "$ROOT"
mapfile -t files < <(python3 scripts/rtlparams.py files hw/boards/corundum/dejfa_corundum_app.f)
F=$C/fpga
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --bbox-unsup: Corundum's mqnic_rx_queue_map has a part-select in a branch dead for one port
# per interface that Verilator 5.006 refuses to elaborate.
if ! verilator --lint-only --bbox-unsup -Wno-fatal -Wno-lint -Wno-style -Ihw/rtl -I"$F/app/dejfa/rtl" \
    hw/lint/dejfa.vlt "${files[@]}" "$F/app/dejfa/rtl/mqnic_app_block_dejfa.v" \
    "$F/common/rtl/mqnic_core.v" "$F/common/rtl/mqnic_tx_scheduler_block_rr.v" \
    -y "$F/common/rtl" -y "$F/lib/axi/rtl" -y "$F/lib/axis/rtl" -y "$F/lib/eth/rtl" \
    -y "$F/lib/pcie/rtl" --top-module mqnic_core -GIF_COUNT=2 -GPORTS_PER_IF=1 -GAPP_ENABLE=1 \
    -GAXIS_DATA_WIDTH=512 -GAXIL_APP_CTRL_ADDR_WIDTH=24 "-GAPP_ID=32'hDEF1A000" >"$log" 2>&1; then
  grep -E "^%Error" "$log" >&2 || tail -20 "$log" >&2
  echo "check-in-corundum: FAILED: mqnic_core with dejfa does not elaborate" >&2
  exit 1
fi
if grep -E "^%Warning" "$log" | grep -E "dejfa|mqnic_app_block_dejfa|PIN(MISSING|NOTFOUND|CONNECTEMPTY)" \
    | grep -vE "mqnic_app_block_dejfa.v:[0-9]+:[0-9]+: Operator ASSIGNW expects" >&2; then
  echo "check-in-corundum: FAILED: warnings at dejfa's block (above)" >&2
  exit 1
fi
echo "check-in-corundum: mqnic_core (AU250 parameters) elaborates with dejfa on sync RX port 0"
