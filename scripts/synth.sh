#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Full Yosys synthesis for AMD UltraScale+ (synth_xilinx -family xcup) of one top, for each
# configuration, with a resource summary (LUT: logic; LUTRAM: LUTs used as memory or shift
# registers) and the longest LUT path (flip-flops and block RAMs cut the
# paths: plain `ltp -noff` walks through Xilinx FD* and RAMB*/URAM cells, whose outputs are
# registered, and reports nonsense). LUTRAM and SRL primitives are cut too: ltp sees their write
# data as combinational to their output, and a path through a memory's write and then its read
# (the 10g core's 84 in session 9, through the engine's per-level registers) is two paths; the
# asynchronous read from the address is then not counted, so a LUTRAM read adds about one LUT
# to the path that ends at its address.
#   synth.sh [LIST.f] [CONFIG...]     default: hw/rtl/dejfa_core.f if present, else dejfa_csr.f
# Logs go to build/synth/<top>-<config>.log; each result also to build/synth/<top>-<config>.result
# (key=value: the figures, the date, the wall time and a hash of the sources and parameters, by
# which bench/perf.sh tells a result of the current RTL from an older one).
#   synth.sh --hash LIST.f CONFIG     prints that hash for the sources as they are now
#   synth.sh --summarize LIST.f CONFIG [SECONDS]
#                                     the summary and .result again from an existing log (for a
#                                     run started by an older copy of this script; the sources
#                                     must be those the log was made from)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
src_hash() {  # LIST CONFIG
  local -a fs
  mapfile -t fs < <(python3 scripts/rtlparams.py files "$1")
  { cat "${fs[@]}"; python3 scripts/rtlparams.py params "$1" "$2" yosys; } | sha256sum | cut -c1-16
}
header() {
  printf '%-16s %-6s %9s %9s %9s %7s %7s %6s %5s %8s\n' top config LUT "LUTRAM" FF BRAM36 BRAM18 URAM DSP \
    "LUT path"
}
summarize() {  # LIST TOP CONFIG SECONDS: reads build/synth/TOP-CONFIG.log
  local list=$1 top=$2 cfg=$3 secs=$4 log=build/synth/$2-$3.log start last lut lutram ff path
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
  cat > "build/synth/$top-$cfg.result" <<EOR
top=$top
config=$cfg
lut=$lut
lutram=$lutram
ff=$ff
bram36=$(n RAMB36E2)
bram18=$(n RAMB18E2)
uram=$(n URAM288)
dsp=$(n DSP48E2)
path=${path:-?}
date=$(date -u -r "$log" +%Y-%m-%d)
seconds=$secs
sources=$(src_hash "$list" "$cfg")
EOR
}
case ${1:-} in
  --hash) src_hash "$2" "$3"; exit 0 ;;
  --summarize)
    header
    summarize "$2" "$(basename "$2" .f)" "$3" "${4:-?}"
    exit 0 ;;
esac
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
header
for cfg in "${configs[@]}"; do
  log=build/synth/$top-$cfg.log
  params=$(python3 scripts/rtlparams.py params "$list" "$cfg" yosys)
  t0=$(date +%s)
  # warnings go to the log only; on an error, its end is shown. rename -top: when the top itself
  # instantiates a parameterised module (dejfa_core's dejfa_first_set/dejfa_ones), hierarchy
  # re-derives the top under a $paramod name and synth_xilinx's own hierarchy pass would not find
  # it ("Module `dejfa_core' not found", the session-8 whole-core runs).
  if ! yosys -q -l "$log" -p "read_verilog -sv -DSYNTHESIS -Ihw/rtl ${files[*]}; \
    ${params:+chparam $params $top;} hierarchy -check -top $top; rename -top $top; synth_xilinx -family xcup -noiopad -top $top; \
    flatten; tee -o /dev/stdout stat -tech xilinx; tee -o /dev/stdout ltp -noff t:FD* t:RAMB* %u t:URAM* %u t:RAM32M* %u t:RAM64M* %u t:RAM*X1* %u t:SRL* %u %n" >/dev/null 2>&1; then
    tail -n 20 "$log" >&2
    exit 1
  fi
  summarize "$list" "$top" "$cfg" $(($(date +%s) - t0))
done
