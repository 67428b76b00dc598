#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# card_state.sh DEJFA RULES WORKDIR: the record `dejfa load` keeps (the image and the rule flags in
# the state directory) on a fake card whose BAR2 is a file (fake_card.py):
#  - a state directory that cannot be written makes load fail with exit 4 before the card
#    changes (IMAGE_TAG still 0), not after;
#  - the record's probe is written through an exclusive temporary file: a symlink planted where
#    the old code put its temporary file (<record>.tmp<pid>; the pid is 1 in a new PID
#    namespace) is not followed, so the file it points to is untouched (a file has no record
#    port, so the load itself then stops with exit 6 and keeps no record; the kept record of a
#    real load: simcard.sh);
#  - a damaged flags file is reported as a record that cannot be adopted, not a crash.
set -uo pipefail
dejfa=$1 rules=$2 w=$3
here=$(cd "$(dirname "$0")" && pwd)
fake="python3 $here/fake_card.py"
rm -rf "$w" && mkdir -p "$w"
export DEJFA_SYSFS_PCI=$w/sys
fail() { echo "FAIL: $*"; exit 1; }
$fake "$w/sys" 0000:3b:00.0 10ee 903f
bar=$w/sys/0000:3b:00.0/resource2 win=$((0x100000))
"$dejfa" compile -q --config 10g -o "$w/a.dfi" "$rules" 2>/dev/null || fail compile

# 1. No room for the record: refused before the card is touched.
echo "a file, not a directory" > "$w/not-a-dir"
out=$(DEJFA_STATE_DIR=$w/not-a-dir/state "$dejfa" load "$w/a.dfi" --device 3b:00.0 2>&1); rc=$?
[[ $rc == 4 ]] || fail "load with an unwritable state directory exited $rc: $out"
grep -q "state directory" <<<"$out" || fail "no reason given: $out"
[[ $($fake --read "$bar" $((win + 0x10))) == 00000000 ]] || fail "the card changed (IMAGE_TAG set)"

# 2. A planted symlink is not followed.
export DEJFA_STATE_DIR=$w/state
mkdir -p "$w/state"
echo "precious" > "$w/victim"
for f in 0000_3b_00.0.dfi 0000_3b_00.0.flags 0000_3b_00.0.probe.dfi 0000_3b_00.0.probe.flags; do
  for pid in 1 2 3; do ln -s "$w/victim" "$w/state/$f.tmp$pid"; done
done
if unshare --pid --fork --mount-proc true 2>/dev/null; then
  out=$(unshare --pid --fork --mount-proc "$dejfa" load "$w/a.dfi" --device 3b:00.0 2>&1); rc=$?
else
  # Not root (unshare needs it): the check still runs, with the usual pid.
  out=$("$dejfa" load "$w/a.dfi" --device 3b:00.0 2>&1); rc=$?
fi
[[ $rc == 6 ]] && grep -q "the record port took 0 of" <<<"$out" ||
  fail "load on a file should stop at the record port (exit 6), exited $rc: $out"
[[ $(cat "$w/victim") == precious ]] || fail "a symlink in the state directory was followed"
[[ -e $w/state/0000_3b_00.0.dfi ]] && fail "a record was kept for a load that failed"

# 3. A damaged flags file: the record is not adopted, and the command says why. (The record as
# a load leaves it: the image and one "id flags" line per rule id.)
cp "$w/a.dfi" "$w/state/0000_3b_00.0.dfi"
printf '0 00000008\n' > "$w/state/0000_3b_00.0.flags"
sed -i '1s/ .*/ zz/' "$w/state/0000_3b_00.0.flags"
tag=$("$dejfa" info --image "$w/a.dfi" | sed -n 's/.*CRC-32 \([0-9a-f]*\).*/\1/p')
python3 - "$bar" $((win + 0x10)) "$tag" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:  # IMAGE_TAG as the load that left the record would
    f.seek(int(sys.argv[2]))
    f.write(int(sys.argv[3], 16).to_bytes(4, "little"))
PY
out=$("$dejfa" info --device 3b:00.0 2>&1); rc=$?
[[ $rc == 0 ]] || fail "info with a damaged record exited $rc: $out"
grep -q "is not a hex word" <<<"$out" || fail "info did not say why: $out"
echo "card state ok"
