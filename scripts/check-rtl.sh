#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# RTL checks over every top (a file list hw/**/*.f names its top), for every configuration:
#   check-rtl.sh lint  [LIST.f ...]   verilator --lint-only -Wall (waivers: hw/lint/dejfa.vlt)
#   check-rtl.sh yosys [LIST.f ...]   Yosys 0.23 reads the sources and runs a generic `synth`
# Without lists it checks every file list under hw/ except those marked `#@checked-by OTHER.f`
# (a wrapper's own source list, checked inside the shell stub that includes it). A list without
# #@params is checked once ("fixed"), not once per configuration. Exits non-zero on a failure.
# Yosys runs a list's smoke flow on its first configuration and elaborates the others (read,
# parameters, `hierarchy -check`): the constructs are the same, only widths and generate counts
# differ, and the 100g flows cost CI minutes; DEJFA_YOSYS_ALL_CONFIGS=1 runs the flow on every
# configuration (scripts/synth.sh runs the full synth_xilinx on both).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mode=${1:?usage: check-rtl.sh lint|yosys [LIST.f ...]}
shift
py() { python3 scripts/rtlparams.py "$@"; }
if (($#)); then
  lists=("$@")
else
  lists=()
  while read -r l; do
    by=$(py checked-by "$l")
    if [[ -n $by ]]; then echo "check-rtl: $l is checked through $by"; else lists+=("$l"); fi
  done < <(find hw -name '*.f' | sort)
fi
((${#lists[@]})) || { echo "check-rtl: no file lists found" >&2; exit 1; }
# Parameters are set with `chparam` before `hierarchy`: Yosys 0.23's `hierarchy -chparam` derives
# a submodule instantiated in a generate loop twice and fails an internal assertion.
chparams() {
  local p
  p=$(py params "$1" "$2" yosys)
  [[ -z $p ]] || echo "chparam $p $3;"
}
fail=0
for list in "${lists[@]}"; do
  top=$(basename "$list" .f)
  mapfile -t files < <(py files "$list")
  for cfg in $(py configs "$list"); do
    case $mode in
      lint)
        # shellcheck disable=SC2046
        # Twice: with assertions (the test models) and without (the benchmark models,
        # -DDEJFA_BENCH_MODEL=ON: DEJFA_ASSERT_OFF), which are verilated with -Wall too.
        for amode in "--assert" "--no-assert +define+DEJFA_ASSERT_OFF"; do
          # shellcheck disable=SC2046,SC2086
          if ! verilator --lint-only -Wall $amode $(py incdirs "$list") hw/lint/dejfa.vlt "${files[@]}" \
              --top-module "$top" $(py params "$list" "$cfg" verilator); then
            echo "check-rtl: lint FAILED: $top ($cfg, $amode)" >&2; fail=1; continue 2
          fi
        done
        echo "check-rtl: lint clean: $top ($cfg, with and without assertions)" ;;
      yosys)
        # One Yosys process per list: the sources are read once and kept (design -save), and
        # each configuration is elaborated from that copy (design -load); reading was a third
        # to a half of a large list's time when each configuration read them again.
        log=$(mktemp)
        # A list may name a lighter smoke flow (#@yosys), e.g. to keep large memories as
        # memory cells instead of mapping them to flip-flops; scripts/synth.sh runs the full flow.
        flow=$(py yosys "$list")
        [[ -n $flow ]] || flow="synth -top $top; tee -o /dev/stdout stat"
        # A shell stub reads the core as a blackbox (#@yosys-blackbox): the core is checked on
        # its own, the stub checks the wrapper and its connections.
        inc=$(py incdirs "$list")
        mapfile -t lib < <(py yosys-lib "$list" | sed '/^$/d')
        read="read_verilog -sv -DSYNTHESIS $inc ${files[*]};"
        if ((${#lib[@]})); then
          pkgs=() rest=()
          for f in "${files[@]}"; do
            if [[ $f == *_pkg.sv ]]; then pkgs+=("$f")
            elif [[ " ${lib[*]} " != *" $f "* ]]; then rest+=("$f"); fi
          done
          read=""
          ((${#pkgs[@]} == 0)) || read="read_verilog -sv -DSYNTHESIS $inc ${pkgs[*]};"
          read="$read read_verilog -sv -DSYNTHESIS -lib $inc ${lib[*]}; \
                read_verilog -sv -DSYNTHESIS $inc ${rest[*]};"
        fi
        mapfile -t cfgs < <(py configs "$list")
        script="$read design -save dejfa_src;"
        for c in "${cfgs[@]}"; do
          # The smoke flow on the first configuration; the others are elaborated (the same
          # constructs at other widths), unless DEJFA_YOSYS_ALL_CONFIGS=1.
          f=$flow
          if [[ $c != "${cfgs[0]}" ]]; then
            script+=" design -load dejfa_src;"
            [[ ${DEJFA_YOSYS_ALL_CONFIGS:-0} == 1 ]] || f="tee -o /dev/stdout stat"
          fi
          script+=" log check-rtl-config $c; $(chparams "$list" "$c" "$top") hierarchy -check -top $top; $f;"
        done
        if ! yosys -q -l "$log" -p "$script" >/dev/null; then
          grep -E "ERROR|Error" "$log" >&2 || tail -5 "$log" >&2
          c=$(awk '/^check-rtl-config /{c = $2} END {print c}' "$log")
          echo "check-rtl: yosys FAILED: $top (${c:-reading the sources})" >&2; fail=1; rm -f "$log"
          continue 2
        fi
        for c in "${cfgs[@]}"; do
          cells=$(awk -v c="$c" '/^check-rtl-config /{on = ($2 == c)} on && /Number of cells:/{n = $NF} END {print n}' "$log")
          echo "check-rtl: yosys synth ok: $top ($c), $cells cells"
        done
        rm -f "$log"
        continue 2 ;;
      *) echo "check-rtl: unknown mode $mode" >&2; exit 2 ;;
    esac
  done
done
exit $fail
