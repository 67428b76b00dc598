#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# sim_rtl_equal.sh DEJFA RULES EXAMPLES WORKDIR CONFIG: the Verilated core (lock-step with the
# reference model) and the reference model alone give the same counters on generated traffic,
# while a --tune script disables, re-enables and re-actions rules and swaps in another image
# (hitless updates: the input runs back to back and pauses only between packets N-1 and N for
# the operation, while earlier frames are still being judged and released); a corrupted image in
# a tune script is refused with its reason.
set -euo pipefail
dejfa=$1 rules=$2 examples=$3 w=$4 cfg=$5
mkdir -p "$w"
"$dejfa" gen -o "$w/gen.pcap" -n 6000 --seed 5 --attack-share 0.1 > /dev/null
"$dejfa" compile -q --config "$cfg" -o "$w/examples.dfi" "$examples" 2>/dev/null
cat > "$w/tune.txt" <<TUNE
# packet  operation
1500 disable 9000301
2500 action 9000103 alert
3500 enable 9000301
4500 load $w/examples.dfi
TUNE
"$dejfa" sim -q --config "$cfg" --rules "$rules" --pcap "$w/gen.pcap" --tune "$w/tune.txt" \
  --counters "$w/ref.json" --eve "$w/ref-eve.json" > "$w/ref.txt"
"$dejfa" sim -q --engine rtl --seed 9 --in-bubbles 0 --out-busy 5 --config "$cfg" \
  --rules "$rules" --pcap "$w/gen.pcap" --tune "$w/tune.txt" --counters "$w/rtl.json" \
  --eve "$w/rtl-eve.json" > "$w/rtl.txt"
python3 - "$w" <<'PY'
import json, sys
w = sys.argv[1]
ref = json.load(open(f"{w}/ref.json")); rtl = json.load(open(f"{w}/rtl.json"))
assert rtl["sim"]["checked"] is True
assert rtl["global"]["overflow_pkts"] == 0, rtl["global"]
assert ref["rules"] == rtl["rules"], "per-rule counters differ between the core and the reference model"
assert ref["global"] == rtl["global"], f"global counters differ: {ref['global']} vs {rtl['global']}"
assert open(f"{w}/ref-eve.json").read() == open(f"{w}/rtl-eve.json").read(), "EVE records differ"
by = {r["sid"]: r for r in ref["rules"]}
assert by[9000301]["packets"] > 0 and any(r["sid"] >= 9100000 or r["sid"] < 9000000 for r in ref["rules"]), "the tune script had no effect"
print(f"equal: {sum(r['alerts'] for r in ref['rules'])} alerts, {ref['global']['drop_pkts']} dropped, tuned under traffic")
PY
head -c 300 "$w/examples.dfi" > "$w/broken.dfi"
echo "10 load $w/broken.dfi" > "$w/bad-tune.txt"
if "$dejfa" sim -q --engine rtl --config "$cfg" --rules "$rules" --pcap "$w/gen.pcap" \
    --tune "$w/bad-tune.txt" 2> "$w/bad.err"; then
  echo "a corrupted image in a tune script was accepted" >&2; exit 1
fi
grep -H "bad-tune.txt:1: .*broken.dfi" "$w/bad.err"
