#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Full Yosys synthesis for AMD UltraScale+ (synth_xilinx -family xcup) of one top, for each
# configuration, with a resource summary (LUT: logic; LUTRAM: LUTs used as memory or shift
# registers) and the longest LUT path (flip-flops and block RAMs cut the
# paths: plain `ltp -noff` walks through Xilinx FD* and RAMB*/URAM cells, whose outputs are
# registered, and reports nonsense).
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
printf '%-16s %-6s %9s %9s %9s %7s %7s %6s %5s %8s\n' top config LUT "LUTRAM" FF BRAM36 BRAM18 URAM DSP \
  "LUT path"
for cfg in "${configs[@]}"; do
  log=build/synth/$top-$cfg.log
  params=$(python3 scripts/rtlparams.py params "$list" "$cfg" yosys)
  # warnings go to the log only; on an error, its end is shown
  if ! yosys -q -l "$log" -p "read_verilog -sv -DSYNTHESIS -Ihw/rtl ${files[*]}; \
    ${params:+chparam $params $top;} hierarchy -check -top $top; synth_xilinx -family xcup -noiopad -top $top; \
    flatten; tee -o /dev/stdout stat -tech xilinx; tee -o /dev/stdout ltp -noff t:FD* t:RAMB* %u t:URAM* %u %n" >/dev/null 2>&1; then
    tail -n 20 "$log" >&2
    exit 1
  fi
  # synth_xilinx prints statistics too (per module): read the last section only, ours, taken
  # after a flatten so that it is one module and the LUT path crosses the module boundaries
  start=$(grep -a -n "Printing statistics" "$log" | tail -n 1 | cut -d: -f1)
  last=$(tail -n +"${start:-1}" "$log")
  cells() { grep -a -E "^ +$1 +[0-9]+" <<<"$last" || true; }  # no such cell: no line
  n() { cells "$1" | awk '{s+=$2} END {print s+0}'; }
  lut=$(cells "LUT[1-6]" | awk '{s+=$2} END {print s+0}')
  # LUTs used as distributed RAM and shift registers (LUTs per primitive, UltraScale+)
  lutram=$(cells "(RAM(32|64)M(8|16)?|RAM(32|64|128|256)X1[SD]|SRL16E|SRLC32E)" |
    awk '{w = 1; if ($1 ~ /M16$|M8$|RAM256X1D/) w = 8; else if ($1 ~ /M$|RAM128X1D|RAM256X1S/) w = 4;
          else if ($1 ~ /X1D$|RAM128X1S/) w = 2; s += w * $2} END {print s + 0}')
  ff=$(cells "FD[CPRSE]+" | awk '{s+=$2} END {print s+0}')
  path=$({ grep -a -E "Longest topological path" <<<"$last" || true; } | tail -1 | sed -E 's/.*length=([0-9]+).*/\1/')
  printf '%-16s %-6s %9s %9s %9s %7s %7s %6s %5s %8s\n' "$top" "$cfg" "$lut" "$lutram" "$ff" "$(n RAMB36E2)" \
    "$(n RAMB18E2)" "$(n URAM288)" "$(n DSP48E2)" "${path:-?}"
done
