#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Print what the RTL checks need from hw/dejfa_regs.toml and a file list (.f).

  rtlparams.py configs                    -> config names, one per line
  rtlparams.py files LIST.f               -> source paths (relative to the repository root)
  rtlparams.py params LIST.f CONFIG FMT   -> the list's #@params for CONFIG, as -GN=V (FMT=verilator)
                                             or "-set N V" (FMT=yosys: for
                                             `chparam ... TOP` before `hierarchy`)
  rtlparams.py yosys LIST.f               -> the list's #@yosys smoke flow (empty: generic synth)
"""
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    d = tomllib.loads((ROOT / "hw" / "dejfa_regs.toml").read_text())
    cmd = sys.argv[1]
    if cmd == "configs":
        print("\n".join(c["name"] for c in d["config"]))
        return 0
    lines = [l.strip() for l in Path(sys.argv[2]).read_text().splitlines()]
    if cmd == "files":
        print("\n".join(l for l in lines if l and not l.startswith(("#", "//"))))
        return 0
    if cmd == "yosys":
        print(" ".join(l[len("#@yosys"):].strip() for l in lines if l.startswith("#@yosys")))
        return 0
    if cmd == "params":
        names = []
        for l in lines:
            if l.startswith("#@params"):
                names += l.split()[1:]
        cfg = [c for c in d["config"] if c["name"] == sys.argv[3]]
        if not cfg:
            print(f"unknown config {sys.argv[3]}", file=sys.stderr)
            return 2
        fmt = sys.argv[4]
        out = []
        for n in names:
            v = cfg[0][n]
            out.append(f"-G{n}={v}" if fmt == "verilator" else f"-set {n} {v}")
        print(" ".join(out))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
