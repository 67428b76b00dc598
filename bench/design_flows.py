#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Design model for issue #26 (docs/ARCHITECTURE.md section 8), before any RTL.

  python3 bench/design_flows.py captures DIR   flow statistics of the real captures
  python3 bench/design_flows.py table          insert refusals of flow-table organisations
"""
# captures: flow statistics of the real captures: per capture file (a capture is its own time line),
# distinct flows (5-tuple, both directions one flow), TCP flows whose SYN was seen vs midstream,
# flows seen in both directions, max flows alive at once (a flow lives from its first to its last
# packet), and the most packets of one flow back to back.
import collections
import os
import random
import struct
import sys

def frames(path):
    with open(path, 'rb') as f:
        h = f.read(24)
        if len(h) < 24: return
        magic = struct.unpack('<I', h[:4])[0]
        if magic in (0xa1b2c3d4, 0xa1b23c4d): e = '<'
        elif magic in (0xd4c3b2a1, 0x4d3cb2a1): e = '>'
        else: return  # pcapng etc.
        link = struct.unpack(e + 'I', h[20:24])[0]
        if link not in (1, 101, 12): return
        while True:
            ph = f.read(16)
            if len(ph) < 16: return
            _, _, incl, _ = struct.unpack(e + 'IIII', ph)
            d = f.read(incl)
            yield link, d

def key(link, d):
    off = 0
    if link == 1:
        if len(d) < 14: return None
        et = struct.unpack('!H', d[12:14])[0]; off = 14
        while et in (0x8100, 0x88a8) and len(d) >= off + 4:
            et = struct.unpack('!H', d[off+2:off+4])[0]; off += 4
    else:
        et = 0x0800 if d and d[0] >> 4 == 4 else 0x86dd
    if et == 0x0800 and len(d) >= off + 20:
        ihl = (d[off] & 15) * 4; proto = d[off+9]; src = d[off+12:off+16]; dst = d[off+16:off+20]
        frag = struct.unpack('!H', d[off+6:off+8])[0] & 0x1fff
        l4 = off + ihl
        if frag: return (proto, src, dst, 0, 0, 0)
    elif et == 0x86dd and len(d) >= off + 40:
        proto = d[off+6]; src = d[off+8:off+24]; dst = d[off+24:off+40]; l4 = off + 40
    else:
        return None
    sp = dp = flags = 0
    if proto in (6, 17) and len(d) >= l4 + 4:
        sp, dp = struct.unpack('!HH', d[l4:l4+4])
        if proto == 6 and len(d) >= l4 + 14: flags = d[l4+13]
    return (proto, src, dst, sp, dp, flags)


def captures(root):
    files = []
    for dp_, _, fs in os.walk(root):
        files += [os.path.join(dp_, f) for f in fs if '.pcap' in f]
    tot = collections.Counter(); maxalive = 0; maxrun = 0; per_file_max = []
    for p in sorted(files):
        first = {}; last = {}; syn = set(); dirs = collections.defaultdict(set); n = 0
        prev = None; run = 0
        for link, d in frames(p):
            k = key(link, d)
            n += 1
            if k is None: continue
            proto, s, t, sp, dp, fl = k
            a, b = (s, sp), (t, dp)
            fk = (proto,) + (a + b if a <= b else b + a)
            first.setdefault(fk, n); last[fk] = n
            dirs[fk].add(a <= b)
            if proto == 6 and fl & 0x12 == 0x02: syn.add(fk)
            run = run + 1 if fk == prev else 1; prev = fk; maxrun = max(maxrun, run)
        if not first: continue
        ev = sorted([(v, 1) for v in first.values()] + [(last[k] + 0.5, -1) for k in first])
        alive = m = 0
        for _, x in ev:
            alive += x; m = max(m, alive)
        per_file_max.append(m); maxalive = max(maxalive, m)
        tot['files'] += 1; tot['frames'] += n; tot['flows'] += len(first)
        tcp = [k for k in first if k[0] == 6]
        tot['tcp'] += len(tcp); tot['tcp_syn'] += sum(1 for k in tcp if k in syn)
        tot['both_dirs'] += sum(1 for k in first if len(dirs[k]) == 2)
        tot['udp'] += sum(1 for k in first if k[0] == 17)
    print(dict(tot)); print('max flows alive at once in one capture:', maxalive,
          ' median:', sorted(per_file_max)[len(per_file_max)//2]); print('longest run of one flow back to back:', maxrun)


# table: 65,536 entries as S sets of W ways, with d hash choices (d-left: a new flow goes to the
# emptier of its d candidate sets, ties to the left), or cuckoo (a full insert moves a resident to
# another of its candidates, up to a number of moves). Random keys are offered up to 0.9 x 65,536
# inserts; reported: the inserts offered (as a share of 65,536) at the first refusal and the share
# of the first 75 % and 90 % offered that were refused ("load" below counts offers, not occupancy).
N = 65536
def run(W, d, seed):
    S = N // (W * d)  # sets per subtable
    r = random.Random(seed)
    fill = [[0] * S for _ in range(d)]
    first = None; refused75 = refused90 = 0
    for i in range(int(N * 0.9)):
        cand = [(fill[j][h], j, h) for j, h in ((j, r.randrange(S)) for j in range(d))]
        c, j, h = min(cand)
        if c >= W:
            if first is None: first = i / N
            if i < N * 0.75: refused75 += 1
            refused90 += 1
        else:
            fill[j][h] += 1
    return first if first is not None else 0.9, refused75 / (N * 0.75), refused90 / (N * 0.9)

def cuckoo(d, W, kicks, seed):
    """d subtables of W-way sets; an insert into full candidates moves a random resident to one of
    its other candidates, up to `kicks` moves (random walk), as Pigasus' flow table."""
    S = N // (W * d); r = random.Random(seed)
    sets = [[[] for _ in range(S)] for _ in range(d)]
    hashes = {}
    first = None; ref75 = ref90 = 0
    for i in range(int(N * 0.9)):
        key = i; hashes[key] = [r.randrange(S) for _ in range(d)]
        cur = key; ok = False
        for k in range(kicks + 1):
            free = [j for j in range(d) if len(sets[j][hashes[cur][j]]) < W]
            if free:
                j = min(free, key=lambda j: len(sets[j][hashes[cur][j]]))
                sets[j][hashes[cur][j]].append(cur); ok = True; break
            j = r.randrange(d); h = hashes[cur][j]; v = r.randrange(W)
            sets[j][h][v], cur = cur, sets[j][h][v]
        if not ok:
            if first is None: first = i / N
            if i < N * 0.75: ref75 += 1
            ref90 += 1
    return first if first is not None else 0.9, ref75 / (N * 0.75), ref90 / (N * 0.9)

def table():
    for W, d in ((1, 1), (4, 1), (8, 1), (2, 2), (4, 2)):
        rs = [run(W, d, s) for s in range(5)]
        m = [sum(x[i] for x in rs) / 5 for i in range(3)]
        print(f"ways {W} x choices {d} (reads {W*d} entries a lookup): first refusal at {m[0]*100:5.1f} % load;"
              f" refused up to 75 %: {m[1]*100:6.3f} %, up to 90 %: {m[2]*100:6.3f} %")
    for W, d in ((1, 4), (2, 4)):
        rs = [run(W, d, s) for s in range(5)]
        m = [sum(x[i] for x in rs) / 5 for i in range(3)]
        print(f"ways {W} x choices {d} (reads {W*d} entries a lookup): first refusal at {m[0]*100:5.1f} % load;"
              f" refused up to 75 %: {m[1]*100:6.3f} %, up to 90 %: {m[2]*100:6.3f} %")

    for d, W, kicks in ((4, 1, 8), (4, 1, 32), (2, 4, 8)):
        rs = [cuckoo(d, W, kicks, s) for s in range(3)]
        m = [sum(x[i] for x in rs) / 3 for i in range(3)]
        print(f"cuckoo {d} subtables x {W} ways, {kicks} moves at most: first refusal at {m[0]*100:5.1f} % load;"
              f" refused up to 75 %: {m[1]*100:6.3f} %, up to 90 %: {m[2]*100:6.3f} %")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "captures":
        captures(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "table":
        table()
    else:
        sys.exit(__doc__)
