#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# json_any_bytes.sh DEJFA WORKDIR CONFIG: a rule whose msg holds Latin-1 text, well-formed UTF-8
# (2- and 4-byte), a UTF-16 surrogate and a truncated sequence (both ill-formed UTF-8) and a
# quote; the EVE and counters files must be strict UTF-8 JSON (Python's decoder, not grep), the
# well-formed UTF-8 kept, every other byte read as the code point of its value (docs/SEMANTICS.md
# "Output encoding").
set -euo pipefail
dejfa=$1 w=$2 cfg=$3
mkdir -p "$w"
printf 'alert ip any any -> any any (msg:"caf\xe9 \xc3\xa9 \xf0\x9f\x98\x80 \xed\xa0\x80 \xe2\x82 \\"q\\""; sid:1;)\n' > "$w/bytes.rules"
"$dejfa" gen -o "$w/gen.pcap" -n 50 --seed 3
"$dejfa" sim -q --config "$cfg" --rules "$w/bytes.rules" --pcap "$w/gen.pcap" \
  --eve "$w/eve.json" --counters "$w/counters.json" > /dev/null
python3 - "$w" <<'PY'
import json, sys
w = sys.argv[1]
want = "caf\u00e9 \u00e9 \U0001F600 \u00ed\u00a0\u0080 \u00e2\u0082 \"q\""
eve = [json.loads(l.decode("utf-8", errors="strict")) for l in open(f"{w}/eve.json", "rb")]
assert eve, "no alerts"
for e in eve:
    assert e["alert"]["signature"] == want, ascii(e["alert"]["signature"])
c = json.loads(open(f"{w}/counters.json", "rb").read().decode("utf-8", errors="strict"))
msgs = [r.get("msg") for r in c["rules"]]
assert msgs == [want], ascii(msgs)
print(f"valid: {len(eve)} EVE records and the counters decode as strict UTF-8 JSON")
PY
