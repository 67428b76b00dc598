#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The OpenNIC plugin's build_box_250mhz.tcl, sourced by tclsh with Vivado's read_verilog and
# set_property stubbed: it must read exactly the sources of dejfa_opennic_250mhz.f, in order.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
t=$(mktemp)
trap 'rm -f "$t"' EXIT
cat > "$t" <<TCL
proc read_verilog {args} { puts "SRC [lindex \$args end]" }
proc set_property {args} {}
proc current_fileset {} { return sources_1 }
source $ROOT/hw/boards/opennic/plugin/build_box_250mhz.tcl
TCL
got=$(tclsh "$t" | sed -n 's/^SRC //p')
want=$(python3 "$ROOT/scripts/rtlparams.py" files "$ROOT/hw/boards/opennic/dejfa_opennic_250mhz.f" --abs)
if [[ "$got" != "$want" ]]; then
  diff <(echo "$want") <(echo "$got") >&2 || true
  echo "plugin_tcl: the Vivado plugin script reads other sources than the file list" >&2
  exit 1
fi
grep -q "dejfa_opennic_250mhz.sv$" <<<"$got"
echo "plugin_tcl: build_box_250mhz.tcl reads the $(wc -l <<<"$got") sources of the list"
