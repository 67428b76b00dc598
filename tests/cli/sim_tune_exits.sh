#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# sim_tune_exits.sh DEJFA RULES WORKDIR: `dejfa sim --tune` exits as README's table says: a script
# that cannot be read 4, a `load` of an image that cannot be read 4, of a refused (corrupted)
# image 2, a line that is not an operation or a sid not loaded when it runs 64 (after the last
# packet too); a script with CRLF line ends is read as with LF.
set -u
dejfa=$1 rules=$2 w=$3
rm -rf "$w" && mkdir -p "$w"
"$dejfa" gen -o "$w/gen.pcap" -n 50 --seed 3 > /dev/null || { echo "FAIL: gen"; exit 1; }
"$dejfa" compile -q --config 10g -o "$w/a.dfi" "$rules" 2> /dev/null || { echo "FAIL: compile"; exit 1; }
head -c 300 "$w/a.dfi" > "$w/broken.dfi"
sim() { "$dejfa" sim -q --config 10g --rules "$rules" --pcap "$w/gen.pcap" --tune "$@" > /dev/null 2> "$w/err"; }
expect() {  # expect CODE PATTERN SCRIPT
  sim "$3"; local rc=$?
  [[ $rc == "$1" ]] || { echo "FAIL: --tune $3 exited $rc, not $1:"; cat "$w/err"; exit 1; }
  grep -q -- "$2" "$w/err" || { echo "FAIL: --tune $3: no '$2' in:"; cat "$w/err"; exit 1; }
}
expect 4 "cannot open" "$w/missing.txt"
echo "5 load $w/missing.dfi" > "$w/t-missing-image.txt"
expect 4 "t-missing-image.txt:1: .*missing.dfi" "$w/t-missing-image.txt"
echo "5 load $w/broken.dfi" > "$w/t-broken-image.txt"
expect 2 "t-broken-image.txt:1: .*broken.dfi" "$w/t-broken-image.txt"
echo "five disable 9000301" > "$w/t-bad-line.txt"
expect 64 "t-bad-line.txt:1: 'five' is not a packet number" "$w/t-bad-line.txt"
echo "5 disable 123456789" > "$w/t-no-sid.txt"
expect 64 "t-no-sid.txt:1: no rule with sid 123456789 is loaded" "$w/t-no-sid.txt"
echo "999999 enable 123456789" > "$w/t-late-sid.txt"  # after the last packet: checked all the same
expect 64 "t-late-sid.txt:1: no rule with sid 123456789" "$w/t-late-sid.txt"
printf '5 disable 9000301\r\n10 action 9000301 drop\r\n' > "$w/t-crlf.txt"
sim "$w/t-crlf.txt" || { echo "FAIL: a CRLF script was refused:"; cat "$w/err"; exit 1; }
echo "tune exits ok"
