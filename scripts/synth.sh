#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Full Yosys synthesis for AMD UltraScale+ (synth_xilinx -family xcup) of one top, for each
# configuration, with a resource summary and the longest LUT path (FFs excluded: plain `ltp -noff`
# walks through Xilinx FD* cells and reports nonsense).
#   synth.sh [LIST.f] [CONFIG...]     default: hw/rtl/dejfa_core.f if present, else dejfa_csr.f
# Logs go to build/synth/<top>-<config>.log.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
list=${1:-}
if [[ -z $list ]]; then
  if [[ -f hw/rtl/dejfa_core.f ]]; then list=hw/rtl/dejfa_core.f; else list=hw/rtl/dejfa_csr.f; fi
else
  shift
fi
top=$(basename "$list" .f)
if (($#)); then configs=("$@"); else mapfile -t configs < <(python3 scripts/rtlparams.py configs); fi
mapfile -t files < <(python3 scripts/rtlparams.py files "$list")
mkdir -p build/synth
printf '%-16s %-6s %9s %9s %7s %7s %6s %5s %8s\n' top config LUT FF BRAM36 BRAM18 URAM DSP "LUT path"
for cfg in "${configs[@]}"; do
  log=build/synth/$top-$cfg.log
  params=$(python3 scripts/rtlparams.py params "$list" "$cfg" yosys)
  yosys -q -l "$log" -p "read_verilog -sv -DSYNTHESIS -Ihw/rtl ${files[*]}; \
    ${params:+chparam $params $top;} hierarchy -check -top $top; synth_xilinx -family xcup -noiopad -top $top; \
    tee -o /dev/stdout stat -tech xilinx; tee -o /dev/stdout ltp -noff t:FD* %n" >/dev/null
  n() { grep -E "^ +$1 +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
  lut=$(grep -E "^ +LUT[1-6] +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
  ff=$(grep -E "^ +FD[CPRSE]+ +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
  path=$(grep -E "Longest topological path" "$log" | tail -1 | sed -E 's/.*length=([0-9]+).*/\1/')
  printf '%-16s %-6s %9s %9s %7s %7s %6s %5s %8s\n' "$top" "$cfg" "$lut" "$ff" "$(n RAMB36E2)" \
    "$(n RAMB18E2)" "$(n URAM288)" "$(n DSP48E2)" "${path:-?}"
done
