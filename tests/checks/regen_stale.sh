#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Self-test of the regeneration check: a description that differs from the committed outputs must
# make `gen_regs.py --check` fail. Exits 0 when the check correctly failed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/^version_patch = .*/version_patch = 999/' "$ROOT/hw/dejfa_regs.toml" > "$tmp/regs.toml"
if python3 "$ROOT/scripts/gen_regs.py" --check --desc "$tmp/regs.toml"; then
  echo "regen_stale: the check passed on a changed description" >&2
  exit 1
fi
# And an invalid description (overlapping registers) is refused with a message.
sed 's/^offset = 0x00C/offset = 0x008/' "$ROOT/hw/dejfa_regs.toml" > "$tmp/bad.toml"
if python3 "$ROOT/scripts/gen_regs.py" --check --desc "$tmp/bad.toml" 2> "$tmp/err"; then
  echo "regen_stale: an overlapping map was accepted" >&2
  exit 1
fi
grep -q "overlap" "$tmp/err" || { echo "regen_stale: no overlap message: $(cat "$tmp/err")" >&2; exit 1; }
# Datapath constants: a packet buffer that is not a power of two, or too small for the largest
# frame at the narrowest configuration, is refused.
sed 's/^pkt_depth = .*/pkt_depth = 2000/' "$ROOT/hw/dejfa_regs.toml" > "$tmp/depth.toml"
if python3 "$ROOT/scripts/gen_regs.py" --check --desc "$tmp/depth.toml" 2> "$tmp/err"; then
  echo "regen_stale: a pkt_depth that is not a power of two was accepted" >&2
  exit 1
fi
grep -q "power of two" "$tmp/err" || { echo "regen_stale: no power-of-two message: $(cat "$tmp/err")" >&2; exit 1; }
sed 's/^pkt_depth = .*/pkt_depth = 1024/' "$ROOT/hw/dejfa_regs.toml" > "$tmp/small.toml"
if python3 "$ROOT/scripts/gen_regs.py" --check --desc "$tmp/small.toml" 2> "$tmp/err"; then
  echo "regen_stale: a packet buffer smaller than a jumbo frame was accepted" >&2
  exit 1
fi
grep -q "must hold a 9216-byte frame" "$tmp/err" || { echo "regen_stale: no frame-size message: $(cat "$tmp/err")" >&2; exit 1; }
# The matcher builds keys of FP_KEY_MIN..4 bytes: 0 or 5 is refused.
for bad in 0 5; do
  sed "s/^FP_KEY_MIN = 4/FP_KEY_MIN = $bad/" "$ROOT/hw/dejfa_regs.toml" > "$tmp/fpk.toml"
  if python3 "$ROOT/scripts/gen_regs.py" --check --desc "$tmp/fpk.toml" 2> "$tmp/err"; then
    echo "regen_stale: FP_KEY_MIN = $bad was accepted" >&2
    exit 1
  fi
  grep -q "FP_KEY_MIN must be" "$tmp/err" || { echo "regen_stale: no FP_KEY_MIN message: $(cat "$tmp/err")" >&2; exit 1; }
done
echo "regen_stale: stale and invalid descriptions are refused"
