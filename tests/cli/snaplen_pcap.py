#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""snaplen_pcap.py OUT: a 3-frame Ethernet pcap whose snap length (64) cut two of its frames:
their records hold 64 bytes while the frames on the wire were longer (TCP with payload)."""
import struct
import sys


def frame(payload: bytes) -> bytes:
    eth = b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00"
    tcp = struct.pack("!HHIIBBHHH", 40000, 80, 1, 0, 5 << 4, 0x18, 65535, 0, 0)
    total = 20 + len(tcp) + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0, 64, 6, 0,
                     bytes([10, 0, 0, 1]), bytes([192, 0, 2, 1]))
    return eth + ip + tcp + payload


with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 64, 1))  # snaplen 64, Ethernet
    for i, payload in enumerate([b"", b"GET /index.html HTTP/1.1\r\n" * 4, b"x" * 300]):
        data = frame(payload)
        f.write(struct.pack("<IIII", 1700000000 + i, 0, min(len(data), 64), len(data)))
        f.write(data[:64])
