#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/synth.sh end to end on a small block (dejfa_first_k at N = 8, K = 4; seconds): it must
# print the summary row and write a .result with every figure bench/perf.sh reads, a LUT path
# and resources above zero, and the hash of the sources as they are; --summarize must give the
# same figures again from the log.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
fail() { echo "synth_script: $*" >&2; exit 1; }
r=build/synth/dejfa_first_k-n8k4.result
rm -f "$r"
out=$(bash scripts/synth.sh hw/rtl/dejfa_first_k.f n8k4)
echo "$out"
grep -qE "^dejfa_first_k +n8k4 +[1-9]" <<<"$out" || fail "no summary row"
[[ -f $r ]] || fail "no $r"
for k in top config lut lutram ff bram36 bram18 uram dsp path date seconds sources; do
  grep -qE "^$k=." "$r" || fail "$r has no $k"
done
grep -qE "^lut=[1-9][0-9]*$" "$r" || fail "no LUTs counted: $(cat "$r")"
grep -qE "^ff=[1-9][0-9]*$" "$r" || fail "no flip-flops counted: $(cat "$r")"
grep -qE "^path=[1-9][0-9]*$" "$r" || fail "no LUT path: $(cat "$r")"
[[ $(grep ^sources= "$r") == "sources=$(bash scripts/synth.sh --hash hw/rtl/dejfa_first_k.f n8k4)" ]] ||
  fail "the sources hash differs from --hash"
first=$(grep -vE "^(date|seconds)=" "$r")
bash scripts/synth.sh --summarize hw/rtl/dejfa_first_k.f n8k4 >/dev/null
[[ $(grep -vE "^(date|seconds)=" "$r") == "$first" ]] || fail "--summarize gave other figures"
echo "synth_script: summary, .result and --summarize agree"
