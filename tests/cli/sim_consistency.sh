#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# sim_consistency.sh DEJFA RULES WORKDIR CONFIG: generate traffic, replay it with the reference
# model (rules) and with the image model (the compiled image); the counters must be identical,
# the EVE file must hold one record per alert, and the pass and drop captures every frame.
set -euo pipefail
dejfa=$1 rules=$2 w=$3 cfg=$4
mkdir -p "$w"
"$dejfa" gen -o "$w/gen.pcap" -n 6000 --seed 5 --attack-share 0.1
"$dejfa" sim -q --config "$cfg" --rules "$rules" --pcap "$w/gen.pcap" --counters "$w/ref.json" \
  --eve "$w/eve.json" --pass-pcap "$w/pass.pcap" --drop-pcap "$w/drop.pcap" > "$w/ref.txt"
"$dejfa" compile -q --config "$cfg" -o "$w/rules.dfi" "$rules" 2>/dev/null
"$dejfa" sim --config "$cfg" --image "$w/rules.dfi" --pcap "$w/gen.pcap" --counters "$w/img.json" > "$w/img.txt"
"$dejfa" sim -q --config "$cfg" --rules "$rules" --pcap "$w/pass.pcap" > "$w/pass.txt"
"$dejfa" sim -q --config "$cfg" --rules "$rules" --pcap "$w/drop.pcap" > "$w/drop.txt"
python3 - "$w" <<'PY'
import json, sys
w = sys.argv[1]
ref = json.load(open(f"{w}/ref.json")); img = json.load(open(f"{w}/img.json"))
# The image lists its rules by rule id (format 3: content rules first), the rules by file order.
key = lambda r: (r["gid"], r["sid"])
assert sorted(ref["rules"], key=key) == sorted(img["rules"], key=key), "per-rule counters differ between reference and image model"
assert ref["global"] == img["global"], f"global counters differ: {ref['global']} vs {img['global']}"
g = ref["global"]
assert g["rx_pkts"] == 6000, g
alerts = sum(r["alerts"] for r in ref["rules"])
eve = [json.loads(l) for l in open(f"{w}/eve.json")]
assert len(eve) == alerts > 0, (len(eve), alerts)
assert all(e["event_type"] == "alert" and "signature_id" in e["alert"] for e in eve)
def pkts(name):
    for line in open(f"{w}/{name}.txt"):
        if line.strip().startswith("packets"):
            return int(line.split()[1])
assert pkts("pass") == g["pass_pkts"] and pkts("drop") == g["drop_pkts"], (pkts("pass"), pkts("drop"), g)
assert g["pass_pkts"] + g["drop_pkts"] == 6000 and g["drop_pkts"] > 0
print(f"consistent: {alerts} alerts, {g['drop_pkts']} dropped, {g['malformed_pkts']} malformed")
PY
