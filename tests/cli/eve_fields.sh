#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# eve_fields.sh DEJFA WORKDIR CONFIG: dejfa's EVE alert records field by field against what
# Suricata 7 writes for a packet without a flow (output-json.c CreateEveHeader, output-json-alert.c
# AlertJsonHeader, util-print.c PrintInetIPv6, util-proto-name.c known_proto, detect-classtype.c;
# docs/SEMANTICS.md section 7). The capture is parsed here independently (Python's struct and
# ipaddress) to check every record's pcap_cnt, addresses, ports and proto against its frame.
set -euo pipefail
dejfa=$1 w=$2 cfg=$3
mkdir -p "$w"
cat > "$w/eve.rules" <<'RULES'
alert ip any any -> any any (msg:"known classtype"; classtype:attempted-recon; sid:1; rev:2;)
alert ip any any -> any any (msg:"priority keyword wins"; classtype:attempted-recon; priority:1; sid:2;)
alert ip any any -> any any (msg:"classtype Suricata does not know"; classtype:my-own; sid:3;)
alert ip any any -> any any (msg:"no classtype"; sid:4;)
drop tcp any any -> any any (msg:"a drop"; classtype:policy-violation; sid:5;)
RULES
"$dejfa" gen -o "$w/gen.pcap" -n 400 --seed 8 > /dev/null 2>&1
"$dejfa" sim -q --config "$cfg" -r "$w/gen.pcap" "$w/eve.rules" --eve "$w/eve.json" > /dev/null
python3 - "$w" <<'PY'
import ipaddress, json, re, struct, sys
w = sys.argv[1]
# The capture, parsed independently: per frame (src, dst, proto, sport, dport, fragment, v6).
def frames(path):
    data = open(path, "rb").read()
    magic = struct.unpack_from("<I", data, 0)[0]
    assert magic in (0xA1B2C3D4, 0xA1B23C4D), hex(magic)
    off, out = 24, []
    while off < len(data):
        _, _, incl, _ = struct.unpack_from("<IIII", data, off)
        out.append(data[off + 16: off + 16 + incl])
        off += 16 + incl
    return out
VLANS = {}
def parse(f):
    et, o, vlans = struct.unpack_from("!H", f, 12)[0], 14, []
    while et in (0x8100, 0x88A8):
        vlans.append(struct.unpack_from("!H", f, o)[0] & 0x0FFF)
        et, o = struct.unpack_from("!H", f, o + 2)[0], o + 4
    VLANS[id(f)] = vlans
    if et == 0x0800 and len(f) >= o + 20:
        ihl = (f[o] & 15) * 4
        fl = struct.unpack_from("!H", f, o + 6)[0]
        frag = (fl & 0x2000) != 0 or (fl & 0x1FFF) != 0
        proto = f[o + 9]
        src, dst = ipaddress.ip_address(f[o + 12:o + 16]), ipaddress.ip_address(f[o + 16:o + 20])
        l4 = o + ihl
        return src, dst, proto, frag, l4
    if et == 0x86DD and len(f) >= o + 40:
        nh, l4 = f[o + 6], o + 40
        src, dst = ipaddress.ip_address(f[o + 8:o + 24]), ipaddress.ip_address(f[o + 24:o + 40])
        frag = False
        while nh in (0, 43, 44, 60):
            if nh == 44:
                frag = True
            nh, l4 = f[l4], l4 + (8 if nh == 44 else (f[l4 + 1] + 1) * 8)
        return src, dst, (44 if frag else nh), frag, l4
    return None
NAMES = {1: "ICMP", 6: "TCP", 17: "UDP", 44: "IPv6-Frag", 47: "GRE", 58: "IPv6-ICMP"}
fr = frames(f"{w}/gen.pcap")
recs = [json.loads(l) for l in open(f"{w}/eve.json", encoding="utf-8")]
assert len(recs) > 1000, len(recs)
TOP = ["timestamp", "pcap_cnt", "event_type", "vlan", "src_ip", "src_port", "dest_ip", "dest_port",
       "proto", "icmp_type", "icmp_code", "pkt_src", "alert"]  # Suricata's order
ALERT = ["action", "gid", "signature_id", "rev", "signature", "category", "severity"]
want = {1: ("Attempted Information Leak", 2), 2: ("Attempted Information Leak", 1),
        3: ("", 3), 4: ("", 3), 5: ("Potential Corporate Privacy Violation", 1)}
seen_v6 = seen_icmp = seen_vlan = 0
for r in recs:
    keys = list(r)
    assert keys == [k for k in TOP if k in r], keys  # known fields, in Suricata's order
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}[+\-]\d{4}", r["timestamp"]), r
    assert r["event_type"] == "alert" and r["pkt_src"] == "wire/pcap"
    f = fr[r["pcap_cnt"] - 1]
    src, dst, proto, frag, l4 = parse(f)
    assert r["src_ip"] == src.exploded and r["dest_ip"] == dst.exploded, (r, src, dst)
    assert r["proto"] == NAMES.get(proto, str(proto)), (r["proto"], proto)
    if proto in (6, 17):
        sp, dp = (0, 0) if frag else struct.unpack_from("!HH", f, l4)
        assert (r["src_port"], r["dest_port"]) == (sp, dp), (r, sp, dp)
    else:
        assert "src_port" not in r and "dest_port" not in r, r
    if proto in (1, 58) and not frag:
        assert (r["icmp_type"], r["icmp_code"]) == (f[l4], f[l4 + 1]), r
        seen_icmp += 1
    seen_v6 += src.version == 6
    assert r.get("vlan", []) == VLANS[id(f)], (r.get("vlan"), VLANS[id(f)])
    seen_vlan += "vlan" in r
    a = r["alert"]
    assert list(a) == ALERT, list(a)
    assert all(isinstance(a[k], int) for k in ("gid", "signature_id", "rev", "severity"))
    assert (a["category"], a["severity"]) == want[a["signature_id"]], a
    assert a["action"] == ("blocked" if a["signature_id"] == 5 else "allowed"), a
assert seen_v6 > 0 and seen_icmp > 0 and seen_vlan > 0, (seen_v6, seen_icmp, seen_vlan)
print(f"eve ok: {len(recs)} records, {seen_v6} IPv6, {seen_icmp} ICMP, {seen_vlan} VLAN-tagged")
PY
