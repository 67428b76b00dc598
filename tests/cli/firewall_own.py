#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""firewall_own.py N RULES PCAP: N rules that each carry their own /32 and port (issue #24's
worst case: every rule its own header group) and a capture of 3,000 TCP frames, three in four
aimed at a rule's address and four in five of those at its port, the rest beside them."""
import random
import struct
import sys


def csum(b: bytes) -> int:
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def main() -> int:
    n, rules, pcap = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(rules, "w", encoding="ascii") as f:
        for i in range(n):
            f.write(f"alert tcp any any -> 10.{i // 250}.{i % 250}.1 {1000 + i} (sid:{i + 1};)\n")
    rng = random.Random(3)
    with open(pcap, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for k in range(3000):
            i = rng.randrange(n) if k % 4 else rng.randrange(2 * n)
            dst = bytes([10, (i // 250) % 256, i % 250, 1])
            src = bytes([192, 168, 1, rng.randrange(1, 250)])
            dport = (1000 + i) & 0xFFFF if k % 5 else rng.randrange(1, 65535)
            payload = b"x" * rng.randrange(0, 40)
            tcp = struct.pack("!HHIIBBHHH", rng.randrange(1024, 65535), dport, 1, 0, 5 << 4, 0x18,
                              8192, 0, 0) + payload
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), k & 0xFFFF, 0, 64, 6, 0, src,
                             dst)
            ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
            fr = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + tcp
            out.write(struct.pack("<IIII", k, 0, len(fr), len(fr)) + fr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
