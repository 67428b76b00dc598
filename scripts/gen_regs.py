#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate the dejfa register map and hardware parameters from hw/dejfa_regs.toml.

Writes the SystemVerilog package, the C++ header and docs/registers.md. With --check, writes
nothing and exits 1 naming every output that differs from what the description produces.
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "hw" / "dejfa_regs.toml"
OUT_SV = ROOT / "hw" / "rtl" / "gen" / "dejfa_regs_pkg.sv"
OUT_HPP = ROOT / "host" / "hwdesc" / "include" / "dejfa" / "gen" / "regs.hpp"
OUT_MD = ROOT / "docs" / "registers.md"
REGEN = "python3 scripts/gen_regs.py"


class DescError(Exception):
    pass


def load(path: Path) -> dict:
    with path.open("rb") as f:
        d = tomllib.load(f)
    validate(d)
    expand_counters(d)
    return d


def validate(d: dict) -> None:
    m = d["map"]
    addr_w = m["addr_w"]
    span = 1 << addr_w
    dp = d["datapath"]
    for k in ("frame_max_b", "pkt_depth"):
        if not isinstance(dp.get(k), int) or dp[k] <= 0 or dp[k] >= 1 << 16:
            raise DescError(f"datapath.{k} must be a positive integer below 65536")
    if dp["pkt_depth"] & (dp["pkt_depth"] - 1):
        raise DescError("datapath.pkt_depth must be a power of two")
    hw_ = dp.get("anchor_hash_w")
    if not isinstance(hw_, int) or not 1 <= hw_ <= 24:
        raise DescError("datapath.anchor_hash_w must be an integer in 1..24")
    masks = dp.get("h3_masks")
    if (not isinstance(masks, list) or len(masks) != hw_ or
            not all(isinstance(x, int) and 0 < x < 1 << 32 for x in masks)):
        raise DescError("datapath.h3_masks must be anchor_hash_w non-zero 32-bit integers")
    sn = dp.get("anchor_short_n")
    if not isinstance(sn, int) or not 1 <= sn <= 64:
        raise DescError("datapath.anchor_short_n must be an integer in 1..64 (a table row is one 64-bit word)")
    used = 0
    for f in d["rule_flags"]["fields"]:
        if len(f) != 3 or not isinstance(f[1], int) or not isinstance(f[2], int) or f[2] < 1:
            raise DescError(f"rule_flags field {f}: [name, lsb, width] with width >= 1")
        mask = ((1 << f[2]) - 1) << f[1]
        if f[1] + f[2] > 32 or mask & used:
            raise DescError(f"rule_flags field {f[0]} overlaps another or leaves the 32-bit word")
        used |= mask
    for r in d.get("record", []):
        used = 0
        if not isinstance(r.get("width"), int) or r["width"] < 1:
            raise DescError(f"record {r.get('name')}: width must be a positive integer")
        for f in r["fields"]:
            if len(f) != 3 or not isinstance(f[1], int) or not isinstance(f[2], int) or f[2] < 1:
                raise DescError(f"record {r['name']} field {f}: [name, lsb, width] with width >= 1")
            mask = ((1 << f[2]) - 1) << f[1]
            if f[1] + f[2] > r["width"] or mask & used:
                raise DescError(f"record {r['name']} field {f[0]} overlaps another or leaves the record")
            used |= mask
    rids = set()
    for t in d.get("rtable", []):
        if not isinstance(t.get("id"), int) or t["id"] in rids or not 0 <= t["id"] < (1 << d["rtables"]["id_bits"]):
            raise DescError(f"rtable {t.get('name')}: id duplicate or out of range")
        if not isinstance(t.get("width"), int) or not 1 <= t["width"] <= 32 * 15:
            raise DescError(f"rtable {t.get('name')}: width must be 1 .. 480 bits")
        if not isinstance(t.get("last_sets_count", False), bool):
            raise DescError(f"rtable {t.get('name')}: last_sets_count must be true or false")
        if not isinstance(t.get("fill_lanes", False), bool):
            raise DescError(f"rtable {t.get('name')}: fill_lanes must be true or false")
        if not isinstance(t.get("derived", False), bool) or t.get("derived", False) != (t["id"] >= 32):
            raise DescError(f"rtable {t.get('name')}: ids 0 .. 31 are image tables, 32 and up derived ones (derived = true)")
        rids.add(t["id"])
    if d.get("rtable"):
        lanes = d["rtables"].get("fill_lanes")
        # (at least 2: dejfa_ram_2r_lanes and the record port's lane index need a lane bit)
        if lanes not in (2, 4, 8):
            raise DescError("rtables.fill_lanes must be 2, 4 or 8")
    params = [p["name"] for p in d["param"]]
    if len(set(params)) != len(params):
        raise DescError("duplicate parameter name")
    cfg_names = set()
    for c in d["config"]:
        if c["name"] in cfg_names:
            raise DescError(f"duplicate config {c['name']}")
        cfg_names.add(c["name"])
        for p in params:
            if p not in c:
                raise DescError(f"config {c['name']} does not set parameter {p}")
            if not isinstance(c[p], int) or c[p] <= 0 or c[p] >= 1 << 32:
                raise DescError(f"config {c['name']}: {p} must be a positive 32-bit integer")
        for k in c:
            if k not in params and k not in ("name", "desc"):
                raise DescError(f"config {c['name']} sets unknown parameter {k}")
        if not 1 <= c["FP_KEY_MIN"] <= 4:
            raise DescError(f"config {c['name']}: FP_KEY_MIN must be 1..4 (the matcher's keys are 1 to 4 bytes)")
        if c["DATA_W"] % 64 != 0:
            raise DescError(f"config {c['name']}: DATA_W must be a multiple of 64")
        beats = -(-dp["frame_max_b"] // (c["DATA_W"] // 8))
        if dp["pkt_depth"] < beats + 128:
            raise DescError(f"config {c['name']}: pkt_depth must hold a {dp['frame_max_b']}-byte frame "
                            f"({beats} beats) and 128 more")
    names = set()
    used: list[tuple[int, int, str]] = []
    for r in d["reg"]:
        if r["name"] in names:
            raise DescError(f"duplicate register {r['name']}")
        names.add(r["name"])
        off = r["offset"]
        if off % 4:
            raise DescError(f"register {r['name']} offset {off:#x} is not 32-bit aligned")
        if r["access"] not in ("ro", "rw", "wo"):
            raise DescError(f"register {r['name']}: access must be ro, rw or wo")
        v = r.get("value")
        if v is not None:
            if r["access"] != "ro":
                raise DescError(f"register {r['name']}: only ro registers have a constant value")
            if v.startswith("param:"):
                if v[6:] not in params:
                    raise DescError(f"register {r['name']}: unknown parameter {v[6:]}")
            elif v not in ("id", "version", "image_format"):
                raise DescError(f"register {r['name']}: unknown value {v}")
        bits = 0
        for f in r.get("fields", []):
            if f["lsb"] < 0 or f["width"] < 1 or f["lsb"] + f["width"] > 32:
                raise DescError(f"{r['name']}.{f['name']} does not fit in 32 bits")
            fm = ((1 << f["width"]) - 1) << f["lsb"]
            if bits & fm:
                raise DescError(f"{r['name']}.{f['name']} overlaps another field")
            bits |= fm
        used.append((off, off + 4, r["name"]))
    n_cnt = len(d["counter"])
    base = d["gcnt"]["base"]
    used.append((base, base + 8 * n_cnt, "global counters"))
    for w in d["window"]:
        if w["size"] & (w["size"] - 1) or w["offset"] % w["size"]:
            raise DescError(f"window {w['name']}: size must be a power of two and offset aligned to it")
        used.append((w["offset"], w["offset"] + w["size"], f"window {w['name']}"))
    used.sort()
    for (a0, a1, an), (b0, _b1, bn) in zip(used, used[1:]):
        if b0 < a1:
            raise DescError(f"{an} and {bn} overlap at {b0:#x}")
    ids = set()
    for t in d.get("table", []):
        t.setdefault("ids", 1)
        t.setdefault("offset", 0)
        # A table either owns its ids (offset 0) or lives in the unused upper words of another
        # table's id from `offset` on (the other table must stay below it).
        if t["offset"]:
            if t["ids"] != 1 or t["offset"] >= (1 << d["tables"]["index_bits"]):
                raise DescError(f"table {t['name']}: an offset table spans one id, inside it")
            continue
        span_ids = set(range(t["id"], t["id"] + t["ids"]))
        if span_ids & ids or not (0 <= t["id"] and t["id"] + t["ids"] <= (1 << d["tables"]["id_bits"])):
            raise DescError(f"table {t['name']}: id {t['id']} duplicate or out of range")
        ids |= span_ids
    if used[-1][1] > span:
        raise DescError(f"{used[-1][2]} ends beyond the {addr_w}-bit address space")


def expand_counters(d: dict) -> None:
    base = d["gcnt"]["base"]
    for i, c in enumerate(d["counter"]):
        c["index"] = i
        for half, add in (("LO", 0), ("HI", 4)):
            d["reg"].append(
                {
                    "name": f"GCNT_{c['name']}_{half}",
                    "offset": base + 8 * i + add,
                    "access": "ro",
                    "desc": f"snapshot of {c['desc']}, bits {'31:0' if half == 'LO' else '63:32'}",
                    "gcnt": c["name"],
                }
            )
    d["reg"].sort(key=lambda r: r["offset"])


def version_word(m: dict) -> int:
    return (m["version_major"] << 24) | (m["version_minor"] << 16) | m["version_patch"]


def rt_words(d: dict) -> list[int]:
    """Words per entry of each version-3 table id (0: no table), from the [[rtable]] widths."""
    words = [0] * (1 << d["rtables"]["id_bits"])
    for t in d["rtable"]:
        words[t["id"]] = (t["width"] + 31) // 32
    return words


def header_lines(comment: str) -> list[str]:
    return [
        f"{comment} Generated by scripts/gen_regs.py from hw/dejfa_regs.toml -- do not edit.",
        f"{comment} Regenerate with: {REGEN}",
    ]


def gen_sv(d: dict) -> str:
    m = d["map"]
    aw = m["addr_w"]
    o = ["// SPDX-License-Identifier: Apache-2.0"] + header_lines("//")
    o += [
        "",
        "`resetall",
        "`timescale 1ns / 1ps",
        "`default_nettype none",
        "",
        "/// dejfa register map, hardware parameters and configurations (generated).",
        "package dejfa_regs_pkg;",
        "",
        f"  localparam int unsigned AXIL_ADDR_W = {aw};",
        f"  localparam logic [31:0] CORE_ID = 32'h{m['id']:08X};",
        f"  localparam logic [31:0] CORE_VERSION = 32'h{version_word(m):08X};",
        f"  localparam int unsigned IMAGE_FORMAT = {m['image_format']};",
        f"  localparam int unsigned FRAME_MAX_B = {d['datapath']['frame_max_b']};  // largest frame on the line, bytes",
        f"  localparam int unsigned PKT_DEPTH = {d['datapath']['pkt_depth']};  // packet-buffer beats",
        f"  localparam int unsigned ANCHOR_HASH_W = {d['datapath']['anchor_hash_w']};  // anchor filter hash bits",
        f"  localparam int unsigned ANCHOR_SHORT_N = {d['datapath']['anchor_short_n']};  // short anchors per bank",
        "  // H3 masks of the anchor filter's hash: bits 32i+31..32i are mask i.",
        f"  localparam logic [{32 * d['datapath']['anchor_hash_w'] - 1}:0] H3_MASKS = "
        f"{32 * d['datapath']['anchor_hash_w']}'h{''.join(f'{x:08X}' for x in reversed(d['datapath']['h3_masks']))};",
        "",
        "  // Register byte offsets",
    ]
    for r in d["reg"]:
        o.append(f"  localparam logic [{aw - 1}:0] {r['name']}_OFFSET = {aw}'h{r['offset']:05X};")
    o.append("")
    o.append("  // Register fields: bit position and width")
    for r in d["reg"]:
        for f in r.get("fields", []):
            o.append(f"  localparam int unsigned {r['name']}_{f['name']}_LSB = {f['lsb']};")
            o.append(f"  localparam int unsigned {r['name']}_{f['name']}_W = {f['width']};")
    o.append("")
    o.append("  // Global counters: index into the counter vector")
    o.append(f"  localparam int unsigned GCNT_N = {len(d['counter'])};")
    o.append(f"  localparam logic [{aw - 1}:0] GCNT_BASE = {aw}'h{d['gcnt']['base']:05X};")
    for c in d["counter"]:
        o.append(f"  localparam int unsigned GCNT_{c['name']} = {c['index']};")
    o.append("")
    o.append("  // Windows")
    for w in d["window"]:
        o.append(f"  localparam logic [{aw - 1}:0] {w['name']}_BASE = {aw}'h{w['offset']:05X};")
        o.append(f"  localparam int unsigned {w['name']}_ADDR_W = {w['size'].bit_length() - 1};")
    o.append("")
    o.append("  // Malformed-frame reasons (the parser's descriptor)")
    for i, name in enumerate(d["malformed"]["reasons"]):
        o.append(f"  localparam logic [3:0] MAL_{name} = 4'd{i};")
    o.append("")
    o.append("  // RULE_FLAGS fields (per rule slot): least significant bit and width")
    for name, lsb, w in d["rule_flags"]["fields"]:
        o.append(f"  localparam int unsigned RF_{name}_LSB = {lsb};")
        o.append(f"  localparam int unsigned RF_{name}_W = {w};")
    o.append("")
    for r in d.get("record", []):
        o.append(f"  // {r['name']}: {r['desc']}")
        o.append(f"  localparam int unsigned {r['name']}_W = {r['width']};")
        for name, lsb, w in r["fields"]:
            o.append(f"  localparam int unsigned {r['name']}_{name}_LSB = {lsb};")
            o.append(f"  localparam int unsigned {r['name']}_{name}_W = {w};")
        o.append("")
    if d.get("rtable"):
        o.append("  // Version 3's tables (record port ids)")
        o.append(f"  localparam int unsigned RT_ID_W = {d['rtables']['id_bits']};")
        for t in d["rtable"]:
            o.append(f"  localparam logic [{d['rtables']['id_bits'] - 1}:0] RT_{t['name']} = {d['rtables']['id_bits']}'d{t['id']};")
        words = rt_words(d)
        n_ids = len(words)
        o.append("  // words per entry of each table id (4 bits per id, id 0 lowest; 0 = no such table)")
        o.append(f"  localparam logic [{4 * n_ids - 1}:0] RT_WORDS = {4 * n_ids}'h{''.join(f'{w:x}' for w in reversed(words))};")
        o.append(f"  localparam int unsigned RT_MAX_WORDS = {max(words)};")
        o.append("  // entries a fill writes a cycle to the tables marked in RT_WIDE_FILL (bit = table id)")
        o.append(f"  localparam int unsigned RT_FILL_LANES = {d['rtables']['fill_lanes']};")
        wide = sum(1 << t['id'] for t in d['rtable'] if t.get('fill_lanes', False))
        o.append(f"  localparam logic [{n_ids - 1}:0] RT_WIDE_FILL = {n_ids}'h{wide:x};")
        o.append("")
    o.append("  // Content-program entry flags (PROG word 0, bits 31:16)")
    for i, name in enumerate(d["prog_flags"]["bits"]):
        o.append(f"  localparam int unsigned PF_{name} = {i};")
    o.append("")
    o.append("  // Tables in the TABLES window: word address = {id, index}")
    o.append(f"  localparam int unsigned TBL_ID_W = {d['tables']['id_bits']};")
    o.append(f"  localparam int unsigned TBL_INDEX_W = {d['tables']['index_bits']};")
    for t in d["table"]:
        o.append(f"  localparam logic [{d['tables']['id_bits'] - 1}:0] TBL_{t['name']} = {d['tables']['id_bits']}'d{t['id']};")
        if t["ids"] > 1:
            o.append(f"  localparam int unsigned TBL_{t['name']}_IDS = {t['ids']};")
        if t["offset"]:
            o.append(f"  localparam int unsigned TBL_{t['name']}_OFFSET = {t['offset']};")
    o.append("")
    o.append("  // Configurations")
    for c in d["config"]:
        tag = "CFG_" + c["name"].upper()
        o.append(f"  // {c['name']}: {c['desc']}")
        for p in d["param"]:
            o.append(f"  localparam int unsigned {tag}_{p['name']} = {c[p['name']]};")
    o += ["", "endpackage", "", "`resetall", "`default_nettype wire", ""]
    return "\n".join(o)


def camel(name: str) -> str:
    return "k" + "".join(part.capitalize() for part in name.lower().split("_"))


def gen_hpp(d: dict) -> str:
    m = d["map"]
    o = ["// SPDX-License-Identifier: Apache-2.0"] + header_lines("//")
    o += [
        "#pragma once",
        "",
        "#include <array>",
        "#include <cstdint>",
        "#include <string_view>",
        "",
        "namespace dejfa::hw {",
        "",
        f"inline constexpr unsigned kAxilAddrW = {m['addr_w']};",
        f"inline constexpr std::uint32_t kCoreId = 0x{m['id']:08X}U;",
        f"inline constexpr std::uint32_t kCoreVersion = 0x{version_word(m):08X}U;",
        f"inline constexpr std::uint32_t kImageFormat = {m['image_format']}U;",
        "/// Largest frame the line may carry, in bytes: the packet buffer and the content engines' lag",
        "/// bound are sized for it (a longer frame could stall the input).",
        f"inline constexpr std::uint32_t kFrameMaxB = {d['datapath']['frame_max_b']}U;",
        "/// Packet-buffer depth in beats; the payload RAM holds 2 * kPktDepth beats' bytes.",
        f"inline constexpr std::uint32_t kPktDepth = {d['datapath']['pkt_depth']}U;",
        "/// The anchor filter's hash (docs/ARCHITECTURE.md section 7): bit i of the hash of a 32-bit key",
        "/// (4 ASCII-folded bytes, the first in bits 7:0) is the parity of key & kH3Masks[i].",
        f"inline constexpr unsigned kAnchorHashW = {d['datapath']['anchor_hash_w']};",
        f"inline constexpr std::array<std::uint32_t, kAnchorHashW> kH3Masks = {{"
        + ", ".join(f"0x{x:08X}U" for x in d['datapath']['h3_masks']) + "};",
        "/// Anchors of 1-3 bytes per bank of dejfa_anchor_short (its byte-class tables' row width).",
        f"inline constexpr unsigned kAnchorShortN = {d['datapath']['anchor_short_n']};",
        "",
        "/// Register byte offsets from the start of the core's AXI4-Lite window.",
        "namespace reg {",
    ]
    for r in d["reg"]:
        o.append(f"inline constexpr std::uint32_t {r['name']} = 0x{r['offset']:05X}U;")
    o.append("}  // namespace reg")
    o.append("")
    o.append("/// Register fields: FIELD_LSB and FIELD_MASK (mask already shifted).")
    o.append("namespace field {")
    for r in d["reg"]:
        for f in r.get("fields", []):
            mask = ((1 << f["width"]) - 1) << f["lsb"]
            o.append(f"inline constexpr unsigned {r['name']}_{f['name']}_LSB = {f['lsb']};")
            o.append(f"inline constexpr std::uint32_t {r['name']}_{f['name']}_MASK = 0x{mask:08X}U;")
    o.append("}  // namespace field")
    o.append("")
    o.append("/// Global counters, in snapshot order.")
    o.append(f"inline constexpr unsigned kGcntN = {len(d['counter'])};")
    o.append(f"inline constexpr std::uint32_t kGcntBase = 0x{d['gcnt']['base']:05X}U;")
    o.append("inline constexpr std::array<std::string_view, kGcntN> kGcntNames = {")
    for c in d["counter"]:
        o.append(f'    "{c["name"].lower()}",')
    o.append("};")
    o.append("/// Index of each global counter in kGcntNames and the snapshot.")
    o.append("namespace gcnt {")
    for i, c in enumerate(d["counter"]):
        o.append(f"inline constexpr unsigned {c['name']} = {i};")
    o.append("}  // namespace gcnt")
    o.append("")
    o.append("/// Address windows decoded as memories.")
    o.append("namespace window {")
    for w in d["window"]:
        o.append(f"inline constexpr std::uint32_t {w['name']}_BASE = 0x{w['offset']:05X}U;")
        o.append(f"inline constexpr std::uint32_t {w['name']}_SIZE = 0x{w['size']:05X}U;")
    o.append("}  // namespace window")
    o.append("")
    o.append("/// Malformed-frame reasons, as the parser reports them (dejfa::Malformed matches).")
    o.append("namespace malformed {")
    for i, name in enumerate(d["malformed"]["reasons"]):
        o.append(f"inline constexpr std::uint8_t {name} = {i};")
    o.append("}  // namespace malformed")
    o.append("")
    o.append("/// RULE_FLAGS fields (per rule slot): least significant bit, width and mask (shifted).")
    o.append("namespace rflag {")
    for name, lsb, w in d["rule_flags"]["fields"]:
        o.append(f"inline constexpr unsigned {name}_LSB = {lsb};")
        o.append(f"inline constexpr unsigned {name}_W = {w};")
        o.append(f"inline constexpr std::uint32_t {name}_MASK = 0x{((1 << w) - 1) << lsb:X}U;")
    o.append("}  // namespace rflag")
    o.append("")
    if d.get("record"):
        o.append("/// Table records wider than a word: least significant bit and width of each field.")
        o.append("namespace rec {")
        for r in d["record"]:
            o.append(f"/// {r['desc']}")
            o.append(f"namespace {r['name'].lower()} {{")
            o.append(f"inline constexpr unsigned W = {r['width']};")
            for name, lsb, w in r["fields"]:
                o.append(f"inline constexpr unsigned {name}_LSB = {lsb};")
                o.append(f"inline constexpr unsigned {name}_W = {w};")
            o.append(f"}}  // namespace {r['name'].lower()}")
        o.append("}  // namespace rec")
        o.append("")
    if d.get("rtable"):
        o.append("/// Version 3's tables: ids at the record port and the blocks' write ports.")
        o.append(f"inline constexpr unsigned kRtIdW = {d['rtables']['id_bits']};")
        o.append("namespace rtbl {")
        for t in d["rtable"]:
            o.append(f"inline constexpr std::uint32_t {t['name']} = {t['id']}U;  ///< {t['desc']}")
        words = rt_words(d)
        n_ids = len(words)
        o.append("/// Words per entry of each table id (0: no such table).")
        o.append(f"inline constexpr std::array<std::uint8_t, {n_ids}> kWords = {{{', '.join(str(w) for w in words)}}};")
        o.append(f"inline constexpr unsigned kMaxWords = {max(words)};")
        widths = [0] * n_ids
        for t in d["rtable"]:
            widths[t["id"]] = t["width"]
        o.append("/// Bits of an entry of each table id (0: no such table).")
        o.append(f"inline constexpr std::array<std::uint16_t, {n_ids}> kWidth = {{{', '.join(str(w) for w in widths)}}};")
        last = ["false"] * n_ids
        for t in d["rtable"]:
            if t.get("last_sets_count", False):
                last[t["id"]] = "true"
        o.append("/// Tables whose entry i, written, sets the bank's entry count to i + 1: a load writes their")
        o.append("/// last entry last, whether or not the bank holds it already.")
        o.append(f"inline constexpr std::array<bool, {n_ids}> kLastSetsCount = {{{', '.join(last)}}};")
        o.append("/// Ids of the image's tables (format 3: section 64 + id) are below kImageIds; the tables at")
        o.append("/// kImageIds and up are derived by the driver from the image when it loads it.")
        o.append("inline constexpr std::uint32_t kImageIds = 32;")
        wide = ["true" if any(t["id"] == i and t.get("fill_lanes", False) for t in d["rtable"]) else "false"
                for i in range(n_ids)]
        o.append("/// Entries a fill (RT_FILL) writes a cycle to the tables marked in kWideFill (the others: one).")
        o.append(f"inline constexpr unsigned kFillLanes = {d['rtables']['fill_lanes']};")
        o.append(f"inline constexpr std::array<bool, {n_ids}> kWideFill = {{{', '.join(wide)}}};")
        names = [""] * n_ids
        for t in d["rtable"]:
            names[t["id"]] = t["name"]
        o.append("/// Name of each table id (empty: no such table).")
        o.append(f"inline constexpr std::array<std::string_view, {n_ids}> kNames = {{")
        for n in names:
            o.append(f'    "{n}",')
        o.append("};")
        o.append("}  // namespace rtbl")
        o.append("")
    o.append("/// Content-program entry flags: bit positions in PROG word 0, bits 31:16.")
    o.append("namespace pflag {")
    for i, name in enumerate(d["prog_flags"]["bits"]):
        o.append(f"inline constexpr unsigned {name} = {i};")
    o.append("}  // namespace pflag")
    o.append("")
    o.append("/// Tables in the TABLES window: word address = (id << kTblIndexW) | index.")
    o.append(f"inline constexpr unsigned kTblIdW = {d['tables']['id_bits']};")
    o.append(f"inline constexpr unsigned kTblIndexW = {d['tables']['index_bits']};")
    o.append("namespace tbl {")
    for t in d["table"]:
        o.append(f"inline constexpr std::uint32_t {t['name']} = {t['id']}U;  ///< {t['desc']}")
        if t["ids"] > 1:
            o.append(f"inline constexpr std::uint32_t {t['name']}_IDS = {t['ids']}U;  ///< consecutive ids spanned")
        if t["offset"]:
            o.append(f"inline constexpr std::uint32_t {t['name']}_OFFSET = {t['offset']}U;  ///< first word index inside its id")
    o.append("}  // namespace tbl")
    o.append("")
    o.append("/// Hardware parameters of one configuration.")
    o.append("struct Config {")
    o.append("  std::string_view name;")
    o.append("  std::string_view desc;")
    for p in d["param"]:
        o.append(f"  std::uint32_t {p['name'].lower()};  ///< {p['desc']}")
    o.append("")
    o.append("  /// The parameters in description order (the order of kParamNames and kParamRegs).")
    o.append(f"  [[nodiscard]] constexpr std::array<std::uint32_t, {len(d['param'])}> params() const {{")
    o.append("    return {" + ", ".join(p["name"].lower() for p in d["param"]) + "};")
    o.append("  }")
    o.append("};")
    o.append("")
    o.append(f"inline constexpr std::array<std::string_view, {len(d['param'])}> kParamNames = {{")
    for p in d["param"]:
        o.append(f'    "{p["name"]}",')
    o.append("};")
    o.append("")
    o.append(f"inline constexpr std::array<Config, {len(d['config'])}> kConfigs = {{{{")
    for c in d["config"]:
        vals = ", ".join(str(c[p["name"]]) + "U" for p in d["param"])
        o.append(f'    {{"{c["name"]}", "{c["desc"]}", {vals}}},')
    o.append("}};")
    o.append("")
    o.append("/// The PARAM_* register of each parameter, in Config field order.")
    o.append(f"inline constexpr std::array<std::uint32_t, {len(d['param'])}> kParamRegs = {{")
    for p in d["param"]:
        regs = [r for r in d["reg"] if r.get("value") == "param:" + p["name"]]
        if len(regs) != 1:
            raise DescError(f"parameter {p['name']} needs exactly one PARAM register")
        o.append(f"    reg::{regs[0]['name']},")
    o.append("};")
    o.append("")
    o.append("}  // namespace dejfa::hw")
    o.append("")
    return "\n".join(o)


def gen_md(d: dict) -> str:
    m = d["map"]
    o = [
        "<!-- " + header_lines("")[0].strip() + " -->",
        "",
        "# dejfa register map",
        "",
        f"AXI4-Lite, 32-bit data, {m['addr_w']}-bit byte addresses ({(1 << m['addr_w']) // 1024} KiB window). "
        f"ID = `0x{m['id']:08X}`, map version {m['version_major']}.{m['version_minor']}.{m['version_patch']}, "
        f"rule-image format {m['image_format']}.",
        "",
        f"Datapath (every configuration): frames up to {d['datapath']['frame_max_b']:,} bytes, "
        f"packet buffer of {d['datapath']['pkt_depth']:,} beats.",
        "",
        f"Generated from `hw/dejfa_regs.toml` by `{REGEN}`; the same description produces "
        "`hw/rtl/gen/dejfa_regs_pkg.sv` and `host/hwdesc/include/dejfa/gen/regs.hpp`.",
        "",
        "## Configurations",
        "",
        "| parameter | " + " | ".join(f"`{c['name']}`" for c in d["config"]) + " | meaning |",
        "|---|" + "---:|" * len(d["config"]) + "---|",
    ]
    for p in d["param"]:
        o.append(
            f"| {p['name']} | " + " | ".join(str(c[p["name"]]) for c in d["config"]) + f" | {p['desc']} |"
        )
    o += ["", "## Registers", "", "| offset | name | access | description |", "|---|---|---|---|"]
    for r in d["reg"]:
        desc = r["desc"]
        v = r.get("value")
        if v == "id":
            desc += f" (`0x{m['id']:08X}`)"
        elif v == "version":
            desc += f" (`0x{version_word(m):08X}`)"
        o.append(f"| `0x{r['offset']:05X}` | {r['name']} | {r['access']} | {desc} |")
    o += ["", "## Fields", "", "| register | field | bits | description |", "|---|---|---|---|"]
    for r in d["reg"]:
        for f in r.get("fields", []):
            hi = f["lsb"] + f["width"] - 1
            bits = f"{f['lsb']}" if f["width"] == 1 else f"{hi}:{f['lsb']}"
            o.append(f"| {r['name']} | {f['name']} | {bits} | {f['desc']} |")
    o += ["", "## Malformed-frame reasons", "",
          "Reported by the parser (`m_hdr_malformed`) and by the reference decoder (`dejfa::Malformed`).",
          "", "| code | reason |", "|---:|---|"]
    for i, name in enumerate(d["malformed"]["reasons"]):
        o.append(f"| {i} | {name} |")
    o += ["", "## Content-program entry flags", "",
          "Bit positions in word 0 of a PROG entry, above its 16-bit length.", "",
          "(RULE_FLAGS fields are listed below, after the tables.)", "",
          "| bit | flag |", "|---:|---|"]
    for i, name in enumerate(d["prog_flags"]["bits"]):
        o.append(f"| {16 + i} | {name} |")
    o += ["", "## Tables in the TABLES window", "",
          f"Word address = {{table id ({d['tables']['id_bits']} bits), word index ({d['tables']['index_bits']} bits)}}; writes go to the shadow bank.",
          "", "| id | table | description |", "|---:|---|---|"]
    for t in d["table"]:
        idtxt = str(t['id']) if t['ids'] == 1 else f"{t['id']}–{t['id'] + t['ids'] - 1}"
        if t["offset"]:
            idtxt += f" (from word {t['offset']})"
        o.append(f"| {idtxt} | {t['name']} | {t['desc']} |")
    o += ["", "## RULE_FLAGS fields", "", "One word per rule slot (table RULE_FLAGS).", "",
          "| bits | field |", "|---|---|"]
    for name, lsb, w in d["rule_flags"]["fields"]:
        o.append(f"| {lsb + w - 1}:{lsb} | {name} |" if w > 1 else f"| {lsb} | {name} |")
    for r in d.get("record", []):
        o += ["", f"## {r['name']} record ({r['width']} bits)", "", r["desc"], "",
              "| bits | field |", "|---|---|"]
        for name, lsb, w in r["fields"]:
            o.append(f"| {lsb + w - 1}:{lsb} | {name} |" if w > 1 else f"| {lsb} | {name} |")
    if d.get("rtable"):
        o += ["", "## Version 3's tables", "",
              "Ids of the tables written through the record port and at the blocks' write ports. Ids 0 .. 31 are",
              "the image's tables (format 3: section 64 + id); the driver derives the tables of ids 32 and up",
              "from the image when it loads it.",
              f"A fill (RT_FILL) writes {d['rtables']['fill_lanes']} entries a cycle to the tables marked so below, one to the others.",
              "", "| id | table | entry bits | fill entries a cycle | description |", "|---:|---|---:|---:|---|"]
        for t in d["rtable"]:
            fl = d['rtables']['fill_lanes'] if t.get('fill_lanes', False) else 1
            o.append(f"| {t['id']} | {t['name']} | {t['width']} | {fl} | {t['desc']} |")
    o += ["", "## Windows", "", "| base | size | name | access | description |", "|---|---|---|---|---|"]
    for w in d["window"]:
        o.append(f"| `0x{w['offset']:05X}` | `0x{w['size']:05X}` | {w['name']} | {w['access']} | {w['desc']} |")
    o.append("")
    return "\n".join(o)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail if the committed outputs are stale")
    ap.add_argument("--desc", type=Path, default=SRC, help="description file (default: %(default)s)")
    args = ap.parse_args()
    try:
        d = load(args.desc)
        outs = {OUT_SV: gen_sv(d), OUT_HPP: gen_hpp(d), OUT_MD: gen_md(d)}
    except (DescError, KeyError, tomllib.TOMLDecodeError) as e:
        print(f"{args.desc}: error: {e}", file=sys.stderr)
        return 2
    if args.check:
        stale = [p for p, text in outs.items() if not p.exists() or p.read_text() != text]
        for p in stale:
            print(f"{p.relative_to(ROOT)}: generated file is not up to date. Regenerate with '{REGEN}'.",
                  file=sys.stderr)
        if not stale:
            print(f"generated register files are current ({len(outs)} files)")
        return 1 if stale else 0
    for p, text in outs.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists() or p.read_text() != text:
            p.write_text(text)
            print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
