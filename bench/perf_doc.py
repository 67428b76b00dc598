#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Puts generated tables into a markdown document between its marker lines.

    perf_doc.py DOC DIR NAME...

For each NAME, the text of DIR/NAME.md replaces whatever stands between the lines
``<!-- perf:NAME begin -->`` and ``<!-- perf:NAME end -->`` of DOC; everything outside the markers
(the prose) is kept. Each marker must appear exactly once, begin before end, each on a line of
its own; otherwise nothing is written and the error names the part. Used by bench/perf.sh --write.
"""
from __future__ import annotations

import pathlib
import sys


class MarkerError(Exception):
    pass


def markers(name: str) -> tuple[str, str]:
    return f"<!-- perf:{name} begin -->", f"<!-- perf:{name} end -->"


def fill(text: str, parts: dict[str, str]) -> str:
    lines = text.split("\n")
    for name, body in parts.items():
        begin, end = markers(name)
        b = [i for i, line in enumerate(lines) if line.strip() == begin]
        e = [i for i, line in enumerate(lines) if line.strip() == end]
        if len(b) != 1 or len(e) != 1:
            raise MarkerError(
                f"part '{name}': the document needs one '{begin}' line and one '{end}' line "
                f"(found {len(b)} and {len(e)})")
        if e[0] < b[0]:
            raise MarkerError(f"part '{name}': '{end}' comes before '{begin}'")
        new = body.strip("\n").split("\n") if body.strip() else []
        lines = lines[: b[0] + 1] + new + lines[e[0]:]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) < 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    doc = pathlib.Path(argv[1])
    src = pathlib.Path(argv[2])
    try:
        parts = {n: (src / f"{n}.md").read_text(encoding="utf-8") for n in argv[3:]}
        out = fill(doc.read_text(encoding="utf-8"), parts)
    except (OSError, MarkerError) as e:
        print(f"perf_doc: {doc}: {e}", file=sys.stderr)
        return 1
    doc.write_text(out, encoding="utf-8")
    print(f"perf_doc: wrote {', '.join(argv[3:])} into {doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
