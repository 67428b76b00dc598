#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# sim_progress.sh DEJFA RULES WORKDIR: `dejfa sim` prints its progress line only where a person
# watches: on a terminal (`script` gives the command one) and not with -q; with standard error in
# a file (a log, a CI transcript) it prints none. DEJFA_PROGRESS_MS=1 brings the first line
# forward from 2 s, so that a short run would print one.
set -euo pipefail
dejfa=$1 rules=$2 w=$3
mkdir -p "$w"
"$dejfa" gen -o "$w/p.pcap" -n 3000 --seed 4 >/dev/null
export DEJFA_PROGRESS_MS=1
sim="$dejfa sim --engine rtl --config 10g --rules $rules --pcap $w/p.pcap"
count() { grep -c '/3000 packets' "$1" || true; }
script -qec "$sim >/dev/null" "$w/tty.txt" >/dev/null
script -qec "$sim -q >/dev/null" "$w/tty-q.txt" >/dev/null
$sim >/dev/null 2>"$w/file.txt"
a=$(count "$w/tty.txt") b=$(count "$w/tty-q.txt") c=$(count "$w/file.txt")
echo "progress lines: terminal $a, terminal with -q $b, into a file $c"
[[ $a -ge 1 && $b -eq 0 && $c -eq 0 ]] && echo "progress-ok"
