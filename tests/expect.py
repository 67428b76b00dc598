#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""expect.py --exit N [--match REGEX ...] [--no-match REGEX ...] -- COMMAND [ARG ...]

Runs COMMAND, prints what it wrote (standard output and error, interleaved as written), and
passes (exit 0) only when its exit status is N -- a number, or `nonzero` -- and every --match
pattern is found in that output and no --no-match pattern is (Python regular expressions, `.`
matching newlines too, as CMake's PASS_REGULAR_EXPRESSION did).

Why: CTest's PASS_REGULAR_EXPRESSION decides a test on its output alone and ignores the exit
status, so `cmd; test $? -eq 3` inside such a test checked nothing (docs/VERIFICATION.md). Here
both are checked. A command that exits 77 (a test skipped for missing third-party data,
tests/cli/with-data.sh) passes 77 through unless 77 is the status expected, so the test's
SKIP_RETURN_CODE still applies.
"""
import re
import subprocess
import sys


def main(argv):
    if "--" not in argv:
        print("expect.py: usage: expect.py --exit N [--match RE ...] [--no-match RE ...] -- CMD ...",
              file=sys.stderr)
        return 2
    cut = argv.index("--")
    opts, cmd = argv[:cut], argv[cut + 1:]
    want, match, nomatch = None, [], []
    i = 0
    while i < len(opts):
        if opts[i] == "--exit" and i + 1 < len(opts):
            want = opts[i + 1]
        elif opts[i] == "--match" and i + 1 < len(opts):
            match.append(opts[i + 1])
        elif opts[i] == "--no-match" and i + 1 < len(opts):
            nomatch.append(opts[i + 1])
        else:
            print(f"expect.py: unknown or incomplete option {opts[i]!r}", file=sys.stderr)
            return 2
        i += 2
    if want is None or not cmd:
        print("expect.py: --exit and a command are required", file=sys.stderr)
        return 2
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = r.stdout.decode("utf-8", "replace")
    sys.stdout.write(out)
    if r.returncode == 77 and want != "77":
        print("expect.py: the command was skipped (exit 77)")
        return 77
    bad = []
    if want == "nonzero":
        if r.returncode == 0:
            bad.append("exit status 0, expected non-zero")
    elif r.returncode != int(want):
        bad.append(f"exit status {r.returncode}, expected {want}")
    for m in match:
        if not re.search(m, out, re.S):
            bad.append(f"no match for {m!r}")
    for m in nomatch:
        if re.search(m, out, re.S):
            bad.append(f"unexpected match for {m!r}")
    for b in bad:
        print(f"expect.py: FAILED: {b}")
    if not bad:
        print(f"expect.py: ok (exit {r.returncode}, {len(match)} pattern(s) found)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
