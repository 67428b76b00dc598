#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# simcard.sh DEJFA RULES WORKDIR CONFIG: the card commands against the real RTL. A dejfa simcard
# (the Verilated core on a Unix socket) holds generated traffic until rules are loaded; dejfa
# load, info, counters and rule run the driver over --device sim:SOCKET exactly as on a card.
# Checked: once the capture has gone through, the card's per-rule and global counters equal the
# reference model's on the same capture and image; rules tuned on the card (disable, action)
# show so in json, prometheus and the tables, and a new process adopts the kept record.
# (Tuning under traffic, packet by packet against the model: cli.sim_rtl_equals_ref_tuned_*.)
set -uo pipefail
dejfa=$1 rules=$2 w=$3 cfg=$4
rm -rf "$w" && mkdir -p "$w"
export DEJFA_STATE_DIR=$w/state
sock=$w/card.sock dev=sim:$w/card.sock
fail() { echo "FAIL: $*"; cat "$w/simcard.log" 2>/dev/null; exit 1; }
"$dejfa" gen -o "$w/gen.pcap" -n 1500 --seed 21 --attack-share 0.2 > /dev/null || fail gen
"$dejfa" compile -q --config "$cfg" -o "$w/a.dfi" "$rules" 2>/dev/null || fail compile
"$dejfa" sim -q --config "$cfg" --image "$w/a.dfi" --pcap "$w/gen.pcap" --counters "$w/ref.json" \
  > /dev/null || fail "reference run"
"$dejfa" simcard --config "$cfg" --socket "$sock" --pcap "$w/gen.pcap" --loops 2 --after-load \
  --in-bubbles 10 --out-busy 10 > "$w/simcard.log" 2>&1 &
card=$!
trap 'kill $card 2>/dev/null; wait $card 2>/dev/null' EXIT
for _ in $(seq 200); do [[ -S $sock ]] && break; sleep 0.1; done
"$dejfa" info --device "$dev" > "$w/info0.txt" || fail "info: $(cat "$w/info0.txt")"
grep -q "configuration $cfg" "$w/info0.txt" || fail "info did not identify the $cfg core"
grep -q "no rules loaded since the card was reset" "$w/info0.txt" || fail "fresh card has rules?"
"$dejfa" load "$w/a.dfi" --device "$dev" > "$w/load.txt" 2>&1 || fail "load: $(cat "$w/load.txt")"
# The card replays the capture twice, back to back, once the rules are in; counters are read
# (snapshots under traffic) until both passes have gone through.
n=$(python3 -c "import json;print(json.load(open('$w/ref.json'))['global']['rx_pkts'])")
for _ in $(seq 600); do
  "$dejfa" counters --device "$dev" --format json > "$w/c1.json" 2>"$w/c1.err" || fail "$(cat "$w/c1.err")"
  rx=$(python3 -c "import json;print(json.load(open('$w/c1.json'))['global']['rx_pkts'])")
  (( rx >= 2 * n )) && break
  sleep 0.2
done
(( rx == 2 * n )) || fail "rx_pkts $rx after waiting, expected $((2 * n))"
python3 - "$w" <<'PY' || fail "counters differ from the reference model"
import json, sys
w = sys.argv[1]
ref = json.load(open(f"{w}/ref.json")); card = json.load(open(f"{w}/c1.json"))
g = card["global"]
for k, v in ref["global"].items():
    assert g[k] == 2 * v, f"{k}: card {g[k]}, reference x2 {2 * v}"
by = {(r["gid"], r["sid"]): r for r in card["rules"]}
for r in ref["rules"]:
    c = by[(r["gid"], r["sid"])]
    assert c["packets"] == 2 * r["packets"] and c["bytes"] == 2 * r["bytes"], (r, c)
    assert c["enabled"] is True and c["action"] == r["action"]
print(f"card counters = 2 x reference: {g['rx_pkts']} frames, {g['alert_pkts']} alerting")
PY
# Tuning on the running card: disable the busiest rule, change another's action.
sid=$(python3 -c "import json;r=max(json.load(open('$w/ref.json'))['rules'],key=lambda r:r['packets']);print(r['sid'])")
"$dejfa" rule disable "$sid" --device "$dev" || fail "rule disable"
"$dejfa" rule action 9000103 alert --device "$dev" || fail "rule action"
"$dejfa" counters --device "$dev" --format prometheus > "$w/c.prom" || fail prometheus
# The exposition is read by the Prometheus project's own parser (python3-prometheus-client,
# Debian's python: /usr/bin/python3), not by grep.
/usr/bin/python3 - "$w/c.prom" "$dev" "$sid" $((2 * n)) <<'PY' || fail "prometheus exposition"
import sys
from prometheus_client.parser import text_string_to_metric_families
path, dev, sid, rx = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
fams = {f.name: f for f in text_string_to_metric_families(open(path, encoding="utf-8").read())}
assert fams["dejfa_rx_pkts"].type == "counter" and fams["dejfa_rule_packets"].type == "counter"
rx_got = [s.value for s in fams["dejfa_rx_pkts"].samples if s.name == "dejfa_rx_pkts_total"]
assert rx_got == [rx], (rx_got, rx)
# Per-rule series carry only the rule's identity: tuning never starts a new series.
for fam in ("dejfa_rule_packets", "dejfa_rule_bytes", "dejfa_rule_enabled"):
    for s in fams[fam].samples:
        assert set(s.labels) == {"device", "gid", "sid"}, (fam, s.labels)
        assert s.labels["device"] == dev
info = {s.labels["sid"]: s for s in fams["dejfa_rule_info"].samples}
ids = {s.labels["sid"] for s in fams["dejfa_rule_packets"].samples}
assert ids == set(info) and len(ids) > 10, "every rule has its info series"
assert all(s.value == 1 for s in info.values())
assert info["9000103"].labels["action"] == "alert", info["9000103"].labels
enabled = {s.labels["sid"]: s.value for s in fams["dejfa_rule_enabled"].samples}
assert enabled[sid] == 0 and sum(enabled.values()) == len(enabled) - 1, enabled
print(f"prometheus: {len(ids)} rules parsed")
PY
"$dejfa" counters --device "$dev" --watch 0.2 --count 2 --top 5 > "$w/watch.txt" || fail watch
grep -Eq "pkt/s +bit/s" "$w/watch.txt" || fail "watch shows no rates: $(cat "$w/watch.txt")"
"$dejfa" counters --device "$dev" --all > "$w/all.txt" || fail all
grep -Eq "^ *[0-9]+ +$sid +[a-z]+ +no " "$w/all.txt" || fail "table: $sid not shown disabled"
grep -Eq "^ *[0-9]+ +9000103 +alert +yes " "$w/all.txt" || fail "table: 9000103 not alert"
# The record survives: a new process adopts it (the tag still matches).
"$dejfa" info --device "$dev" | grep -q "rules .*image [0-9a-f]*, [0-9]* rules" || fail "state not adopted"
kill $card; wait $card 2>/dev/null
grep -q "stopped after" "$w/simcard.log" || fail "simcard did not stop cleanly"
echo "simcard ok: load, counters exact, hitless tuning"
