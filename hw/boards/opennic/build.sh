#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the OpenNIC shell with dejfa as its box_250mhz user plugin (docs/CARDS.md):
#   build.sh OPEN_NIC_SHELL_DIR [--board au250] [--ports 1|2] [--jobs N] [--tag T] [-- more args]
# Runs, in OPEN_NIC_SHELL_DIR/script:
#   vivado -mode batch -source build.tcl -tclargs -board B -user_plugin hw/boards/opennic/plugin
#          -num_cmac_port P -num_phys_func P -max_pkt_len 9216 [-jobs N] [-tag T] ...
# (9,216 bytes: the core's largest frame; port 0's receive path is filtered, others pass).
# The plugin reads dejfa's sources from this checkout (plugin/build_box_250mhz.tcl). Without
# Vivado on PATH, or without the shell checkout, it says what is missing and exits 2; nothing
# else here needs Vivado (lint, Yosys and the Verilated plugin test run in ctest).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
usage() { sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//'; exit 64; }
(($#)) || usage
shell=$1
shift
board=au250 ports=1 jobs=$(nproc) tag=dejfa extra=()
while (($#)); do
  case $1 in
    --board) board=$2; shift 2 ;;
    --ports) ports=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "build.sh: unknown option $1" >&2; usage ;;
  esac
done
case $board in
  au50|au55c|au55n|au200|au250|au280) ;;
  *) echo "build.sh: board '$board' is not one OpenNIC supports (au50 au55c au55n au200 au250 au280)" >&2; exit 64 ;;
esac
[[ $ports == 1 || $ports == 2 ]] || { echo "build.sh: --ports is 1 or 2 (CMAC ports)" >&2; exit 64; }
missing=0
if [[ ! -f $shell/script/build.tcl ]]; then
  echo "build.sh: $shell/script/build.tcl not found: clone https://github.com/Xilinx/open-nic-shell" >&2
  missing=1
fi
if ! command -v vivado >/dev/null; then
  echo "build.sh: vivado is not on PATH: install Vivado (the shell's README names the supported" \
       "versions) and source its settings64.sh; the CMAC and QDMA IP need their (free) licences" >&2
  missing=1
fi
((missing == 0)) || exit 2
# The plugin list must be current: the generated register package is part of the sources.
python3 "$ROOT/scripts/gen_regs.py" --check >/dev/null 2>&1 || {
  echo "build.sh: hw/rtl/gen is stale: run python3 scripts/gen_regs.py" >&2; exit 1; }
cd "$shell/script"
set -x
exec vivado -mode batch -source build.tcl -tclargs -board "$board" \
  -user_plugin "$ROOT/hw/boards/opennic/plugin" -num_cmac_port "$ports" \
  -num_phys_func "$ports" -max_pkt_len 9216 -jobs "$jobs" -tag "$tag" "${extra[@]}"
