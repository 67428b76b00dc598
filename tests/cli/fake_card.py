#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A fake sysfs tree with PCI functions whose BAR2 is a plain file, for the card commands' tests.

fake_card.py ROOT BDF VENDOR DEVICE [--config 10g] [--mem-off] [--id HEX] [--window HEX]
    [--bar-size BYTES] [--no-core]
creates ROOT/BDF/{vendor,device,config,resource,resource2}: the identification registers of a
dejfa core (ID, VERSION, IMAGE_FMT and the configuration's PARAM_* registers, all taken from
hw/dejfa_regs.toml, the one source) at the window offset inside resource2.

fake_card.py --read FILE OFFSET: prints the 32-bit little-endian word at OFFSET of FILE (hex).
"""
import argparse
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import gen_regs  # noqa: E402


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--read":
        data = Path(sys.argv[2]).read_bytes()
        off = int(sys.argv[3], 0)
        print(f"{struct.unpack_from('<I', data, off)[0]:08x}")
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("bdf")
    ap.add_argument("vendor")
    ap.add_argument("device")
    ap.add_argument("--config", default="10g")
    ap.add_argument("--mem-off", action="store_true")
    ap.add_argument("--id", type=lambda s: int(s, 16))
    ap.add_argument("--window", type=lambda s: int(s, 16), default=0x100000)
    ap.add_argument("--bar-size", type=int, default=4 << 20)
    ap.add_argument("--no-core", action="store_true")
    a = ap.parse_args()
    d = gen_regs.load(ROOT / "hw" / "dejfa_regs.toml")
    m = d["map"]
    regs = {r["name"]: r["offset"] for r in d["reg"]}
    cfg = next(c for c in d["config"] if c["name"] == a.config)
    dev = Path(a.root) / a.bdf
    dev.mkdir(parents=True, exist_ok=True)
    (dev / "vendor").write_text(f"0x{int(a.vendor, 16):04x}\n")
    (dev / "device").write_text(f"0x{int(a.device, 16):04x}\n")
    cfgspace = bytearray(64)
    struct.pack_into("<HHH", cfgspace, 0, int(a.vendor, 16), int(a.device, 16), 0 if a.mem_off else 0x6)
    (dev / "config").write_bytes(bytes(cfgspace))
    base = 0xF0000000
    lines = []
    for i in range(6):
        if i == 2:
            lines.append(f"0x{base:016x} 0x{base + a.bar_size - 1:016x} 0x0000000000040200")
        else:
            lines.append("0x0000000000000000 0x0000000000000000 0x0000000000000000")
    (dev / "resource").write_text("\n".join(lines) + "\n")
    bar = bytearray(a.bar_size)
    if not a.no_core:
        w = a.window
        struct.pack_into("<I", bar, w + regs["ID"], a.id if a.id is not None else m["id"])
        struct.pack_into("<I", bar, w + regs["VERSION"], gen_regs.version_word(m))
        struct.pack_into("<I", bar, w + regs["IMAGE_FMT"], m["image_format"])
        for p in d["param"]:
            struct.pack_into("<I", bar, w + regs["PARAM_" + p["name"]], cfg[p["name"]])
    (dev / "resource2").write_bytes(bytes(bar))
    return 0


if __name__ == "__main__":
    sys.exit(main())
