#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# counters_watch.sh DEJFA RULES WORKDIR CONFIG: `dejfa counters --watch` while traffic flows and
# another image is loaded in the middle (the Verilated core behind dejfa simcard). Every refresh
# must be valid JSON with finite, non-negative rates (a counter that went down counts from zero,
# not as 2^64 minus a little); once the card holds the new image, the refreshes name its tag and
# its rules (the watch adopts the record again instead of reading new slots with old rules).
set -uo pipefail
dejfa=$1 rules=$2 w=$3 cfg=$4
rm -rf "$w" && mkdir -p "$w"
export DEJFA_STATE_DIR=$w/state
sock=$w/card.sock dev=sim:$w/card.sock
fail() { echo "FAIL: $*"; cat "$w/simcard.log" 2>/dev/null; exit 1; }
"$dejfa" gen -o "$w/gen.pcap" -n 2000 --seed 4 --attack-share 0.3 > /dev/null || fail gen
"$dejfa" compile -q --config "$cfg" -o "$w/a.dfi" "$rules" 2>/dev/null || fail "compile a"
grep -v "^#" "$rules" | grep -v "^$" | head -n 20 > "$w/b.rules"
"$dejfa" compile -q --config "$cfg" -o "$w/b.dfi" "$w/b.rules" 2>/dev/null || fail "compile b"
"$dejfa" simcard --config "$cfg" --socket "$sock" --pcap "$w/gen.pcap" --loops 0 --after-load \
  > "$w/simcard.log" 2>&1 &
card=$!
trap 'kill $card 2>/dev/null; wait $card 2>/dev/null' EXIT
for _ in $(seq 200); do [[ -S $sock ]] && break; sleep 0.1; done
"$dejfa" load "$w/a.dfi" --device "$dev" > "$w/load-a.txt" 2>&1 || fail "load a: $(cat "$w/load-a.txt")"
"$dejfa" counters --device "$dev" --format json --watch 0.2 -n 600 > "$w/watch.jsonl" 2> "$w/watch.err" &
watch=$!
sleep 1.5
"$dejfa" load "$w/b.dfi" --device "$dev" > "$w/load-b.txt" 2>&1 || fail "load b: $(cat "$w/load-b.txt")"
# The watch goes on: stop it once three refreshes name the new image (at most 60 s).
tag_b=$(grep -o "image [0-9a-f]*" "$w/load-b.txt" | head -1 | cut -d' ' -f2)
for _ in $(seq 300); do
  (( $(grep -c "\"image_tag\":\"$tag_b\"" "$w/watch.jsonl") >= 3 )) && break
  kill -0 $watch 2>/dev/null || break
  sleep 0.2
done
kill $watch 2>/dev/null
wait $watch 2>/dev/null
python3 - "$w" <<'PY' || fail "watch output"
import json, math, subprocess, sys
w = sys.argv[1]
lines = open(f"{w}/watch.jsonl", encoding="utf-8").read().split("\n")[:-1]  # whole lines only
docs = [json.loads(l) for l in lines if l.strip()]
assert len(docs) >= 5, len(docs)
tags = [d["image_tag"] for d in docs]
assert tags[0] != tags[-1], f"the watch never saw the second image ({len(tags)} refreshes, all {tags[0]})"
b_sids = set()
for line in open(f"{w}/b.rules"):
    for part in line.split(";"):
        if part.strip().startswith("sid:"):
            b_sids.add(int(part.split(":")[1]))
assert {r["sid"] for r in docs[-1]["rules"]} == b_sids, "the last refresh lists the new image's rules"
rates = [r["pps"] for d in docs for r in d["rules"] if "pps" in r]
assert rates and all(math.isfinite(x) and 0 <= x < 1e9 for x in rates), max(rates)
print(f"watch ok: {len(docs)} refreshes, tags {tags[0]} -> {tags[-1]}, {len(rates)} rates, max {max(rates):.0f}/s")
PY
