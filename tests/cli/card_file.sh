#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# card_file.sh DEJFA RULES WORKDIR: the card commands on a fake sysfs tree whose BAR2 is a plain
# file (fake_card.py): dejfa devices lists the supported shells' functions; load writes the
# content tables into the window at the OpenNIC and Corundum offsets and then stops, exit 6, at
# the record port (a file has none: RT_COUNT never confirms a table), before COMMIT, IMAGE_TAG,
# CONTROL and the kept record; every refusal (memory decoding off, missing device, not a card, BAR
# too small, all-ones, wrong ID, corrupted image, other configuration, a card without rules to
# tune, a snapshot that never completes) has its message and exit code, leaving the window
# untouched where it must. Loads, tuning and the kept record on the real core: simcard.sh.
set -uo pipefail
dejfa=$1 rules=$2 w=$3
here=$(cd "$(dirname "$0")" && pwd)
fake="python3 $here/fake_card.py"
rm -rf "$w" && mkdir -p "$w"
export DEJFA_SYSFS_PCI=$w/sys DEJFA_STATE_DIR=$w/state
fail() { echo "FAIL: $*"; exit 1; }
expect() {  # expect RC REGEX CMD...: exit code and a line of its output
  local rc=$1 re=$2; shift 2
  out=$("$@" 2>&1); got=$?
  [[ $got == "$rc" ]] || fail "$* exited $got, not $rc: $out"
  grep -Eq -- "$re" <<<"$out" || fail "$* did not say /$re/: $out"
}
word() { $fake --read "$1" "$2"; }

$fake "$w/sys" 0000:3b:00.0 10ee 903f                      # OpenNIC PF0 Gen3 x16, 10g core
$fake "$w/sys" 0000:5e:00.0 1234 1001 --window 0 --bar-size $((1 << 24)) --config 100g  # Corundum
$fake "$w/sys" 0000:00:1f.0 8086 a0a3 --no-core             # not a card: not listed
$fake "$w/sys" 0000:af:00.1 10ee 913f --mem-off             # memory decoding off
$fake "$w/sys" 0000:d8:00.0 10ee 903f --bar-size 65536      # BAR too small for the window
$fake "$w/sys" 0000:d9:00.0 10ee 903f --id FFFFFFFF         # a card that reads all-ones
$fake "$w/sys" 0000:da:00.0 10ee 903f --id 12345678         # another design in the shell
"$dejfa" compile -q --config 10g -o "$w/a.dfi" "$rules" 2>/dev/null || fail compile
"$dejfa" compile -q --config 100g -o "$w/a100.dfi" "$rules" 2>/dev/null || fail compile100

# devices: the supported functions only, with what their window holds.
expect 0 "0000:3b:00.0 +10ee:903f +opennic .*dejfa [0-9]+\.[0-9]+\.[0-9]+, DATA_W 64" "$dejfa" devices
expect 0 "0000:5e:00.0 +1234:1001 +corundum .*DATA_W 512" "$dejfa" devices
expect 0 "0000:af:00.1 .* off +not readable: .*setpci -s 0000:af:00.1 COMMAND=0x02" "$dejfa" devices
expect 0 "0000:da:00.0 .*no dejfa core \(ID 12345678\)" "$dejfa" devices
"$dejfa" devices | grep -q 1f.0 && fail "a non-card function was listed"
"$dejfa" devices --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)==6, d' || fail json

bar=$w/sys/0000:3b:00.0/resource2
win=$((0x100000))
# load: the content tables land in the window (BAR2 + 0x100000 + TABLES), then the record port's
# first table is not confirmed and nothing is committed or kept.
expect 6 "the record port took 0 of [0-9]+ entries of table ADDR_BOUNDS .*not committed" \
  "$dejfa" load "$w/a.dfi" --device 3b:00.0 --malformed drop
tables=$(python3 -c "import re;print(int(re.search(r'TABLES_BASE = 0x([0-9A-F]+)', open('$here/../../host/hwdesc/include/dejfa/gen/regs.hpp').read()).group(1), 16))")
# RULE_FLAGS of rule id 0 (a content rule, enabled) at TABLES + 4 * (1 << 12 | 0)
f0=$(word "$bar" $((win + tables + 4 * (1 << 12))))
(( (0x$f0 & 0x8) == 0x8 )) || fail "RULE_FLAGS of id 0 is $f0, not an enabled rule"
[[ $(word "$bar" $((win + 0x10))) == 00000000 ]] || fail "IMAGE_TAG written by a failed load"
[[ $(word "$bar" $((win + 0x48))) == 00000000 ]] || fail "COMMIT written by a failed load"
[[ $(word "$bar" $((win + 0x40))) == 00000000 ]] || fail "CONTROL written by a failed load"
[[ -e $w/state/0000_3b_00.0.dfi ]] && fail "a record was kept for a failed load"
expect 0 "no rules loaded since the card was reset" "$dejfa" info --device 3b:00.0
# A file window: the same commands on file:PATH (no sysfs).
dd if="$bar" of="$w/plain.bar" bs=1M skip=1 count=1 status=none
expect 0 "no rules loaded since the card was reset" "$dejfa" info --device "file:$w/plain.bar"

# Refusals.
expect 6 "memory decoding is off .*setpci -s 0000:af:00.1 COMMAND=0x02" "$dejfa" info --device af:00.1
expect 6 "no PCI device 0000:07:00.0 .*rescan" "$dejfa" load "$w/a.dfi" --device 07:00.0
expect 6 "not a supported card; name its shell with --shell" "$dejfa" info --device 0000:00:1f.0
expect 6 "BAR2 is 65536 bytes, the opennic window needs 2097152" "$dejfa" info --device d8:00.0
expect 6 "reads all-ones: the card is gone" "$dejfa" info --device d9:00.0
expect 6 "ID register is 0x12345678, not dejfa's" "$dejfa" info --device da:00.0
expect 64 "is not a PCI address" "$dejfa" info --device 3b-00-0
expect 64 "'frob' is not alert, drop, reject or pass" "$dejfa" rule action 9000301 frob --device 3b:00.0
cp "$bar" "$w/before.bar"
head -c 400 "$w/a.dfi" > "$w/broken.dfi"
expect 2 "broken.dfi: .*nothing was written" "$dejfa" load "$w/broken.dfi" --device 3b:00.0
expect 6 "built for configuration 100g, the hardware is 10g: nothing was written" \
  "$dejfa" load "$w/a100.dfi" --device 3b:00.0
cmp -s "$bar" "$w/before.bar" || fail "a refused load changed the window"
# The Corundum card takes the 100g image at BAR2 + 0: its content tables land there.
expect 6 "the record port took 0 of" "$dejfa" load "$w/a100.dfi" --device 0000:5e:00.0
f0=$(word "$w/sys/0000:5e:00.0/resource2" $((tables + 4 * (1 << 12))))
(( (0x$f0 & 0x8) == 0x8 )) || fail "corundum: RULE_FLAGS of id 0 is $f0"
# A card without rules (IMAGE_TAG 0, no record): tuning is refused, not guessed.
expect 6 "rules are unknown here: no rules loaded since the card was reset" \
  "$dejfa" rule enable 9000301 --device 3b:00.0
# A file has no hardware behind it: the snapshot never completes, and says so within seconds.
expect 6 "the counter snapshot did not complete" timeout 60 "$dejfa" counters --device 3b:00.0
echo "card commands ok"
