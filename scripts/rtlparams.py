#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Print what the RTL checks need from hw/dejfa_regs.toml and a file list (.f).

  rtlparams.py configs                    -> config names, one per line
  rtlparams.py files LIST.f [--abs]       -> source paths (relative to the repository root, or
                                             absolute), with `#@include OTHER.f` expanded in
                                             place (the other list's sources only: directives
                                             stay with their own list)
  rtlparams.py params LIST.f CONFIG FMT   -> the list's #@params for CONFIG, as -GN=V (FMT=verilator)
                                             or "-set N V" (FMT=yosys: for
                                             `chparam ... TOP` before `hierarchy`)
  rtlparams.py yosys LIST.f               -> the list's #@yosys smoke flow (empty: generic synth)
  rtlparams.py incdirs LIST.f             -> -Ihw/rtl and the list's #@incdir directories
  rtlparams.py configs LIST.f             -> the configurations to check the list in: all of
                                             them with #@params, the list's own #@variant NAME
                                             -GP=V ... lines (a shell's parameter sets), else
                                             one pass named "fixed"
  rtlparams.py checked-by LIST.f          -> the list whose check covers this one (#@checked-by)
  rtlparams.py deps LIST.f                -> LIST.f and every list it includes (absolute paths)
  rtlparams.py yosys-lib LIST.f           -> sources the Yosys smoke reads as blackboxes
                                             (`read_verilog -lib`): those of the lists named by
                                             #@yosys-blackbox OTHER.f, packages excepted,
                                             empty when the list is a top of its own
"""
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lists(path: Path, seen: tuple = ()) -> list:
    """`path` and, depth first, every list it includes (include paths are from the root)."""
    path = path.resolve()
    if path in seen:
        raise SystemExit(f"rtlparams: {path} includes itself")
    out = [path]
    for l in path.read_text().splitlines():
        if l.strip().startswith("#@include"):
            out += lists(ROOT / l.split()[1], seen + (path,))
    return out


def sources(path: Path, seen: tuple = ()) -> list:
    """Source paths of a list, includes expanded in place, each file once."""
    path = path.resolve()
    if path in seen:
        raise SystemExit(f"rtlparams: {path} includes itself")
    out = []
    for l in (l.strip() for l in path.read_text().splitlines()):
        if l.startswith("#@include"):
            out += [f for f in sources(ROOT / l.split()[1], seen + (path,)) if f not in out]
        elif l and not l.startswith(("#", "//")) and l not in out:
            out.append(l)
    return out


def main() -> int:
    d = tomllib.loads((ROOT / "hw" / "dejfa_regs.toml").read_text())
    cmd = sys.argv[1]
    if cmd == "configs" and len(sys.argv) == 2:
        print("\n".join(c["name"] for c in d["config"]))
        return 0
    lines = [l.strip() for l in Path(sys.argv[2]).read_text().splitlines()]
    variants = {l.split()[1]: l.split()[2:] for l in lines if l.startswith("#@variant")}
    if cmd == "configs":
        if variants:
            print("\n".join(variants))
        elif any(l.startswith("#@params") for l in lines):
            print("\n".join(c["name"] for c in d["config"]))
        else:
            print("fixed")
        return 0
    if cmd == "checked-by":
        print(" ".join(l.split()[1] for l in lines if l.startswith("#@checked-by")))
        return 0
    if cmd == "files":
        root = f"{ROOT}/" if sys.argv[3:] == ["--abs"] else ""
        print("\n".join(root + f for f in sources(Path(sys.argv[2]))))
        return 0
    if cmd == "yosys-lib":
        bb = [ROOT / l.split()[1] for l in lines if l.startswith("#@yosys-blackbox")]
        out = []
        for b in bb:
            out += [f for f in sources(b) if not f.endswith("_pkg.sv") and f not in out]
        print("\n".join(out))
        return 0
    if cmd == "deps":
        print("\n".join(str(l) for l in lists(Path(sys.argv[2]))))
        return 0
    if cmd == "incdirs":
        dirs = ["hw/rtl"] + [d for l in lines if l.startswith("#@incdir") for d in l.split()[1:]]
        print(" ".join(f"-I{d}" for d in dirs))
        return 0
    if cmd == "yosys":
        print(" ".join(l[len("#@yosys "):].strip() for l in lines if l.startswith("#@yosys ")))
        return 0
    if cmd == "params" and variants and sys.argv[3] not in variants:
        # (a configuration name would give the list's defaults: the run would not measure what
        # was asked; session 30 synthesised dejfa_hdr_path "100g" so before this check)
        print(f"unknown variant {sys.argv[3]} of {sys.argv[2]} (its variants: {' '.join(variants)})",
              file=sys.stderr)
        return 2
    if cmd == "params" and sys.argv[3] in variants:
        flags = [f.removeprefix("-G").split("=", 1) for f in variants[sys.argv[3]]]
        fmt = sys.argv[4]
        print(" ".join(f"-G{n}={v}" if fmt == "verilator" else f"-set {n} {v}" for n, v in flags))
        return 0
    if cmd == "params":
        names = []
        for l in lines:
            if l.startswith("#@params"):
                names += l.split()[1:]
        if not names:
            return 0
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
