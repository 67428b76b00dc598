#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# sv_rtl_equal.sh DEJFA DATA WORKDIR CONFIG: every public suricata-verify case in
# DATA/suricata-verify through the Verilated core (lock-step with the reference model) and through
# the reference model alone: the counters JSON (per rule and global) must be identical. Cases whose
# rules do not load in dejfa's subset are listed as such (the same for both engines).
set -euo pipefail
dejfa=$1 data=$2 w=$3 cfg=$4
root="$data/suricata-verify"
if [[ ! -d $root ]]; then
  # Skipped only where the data is truly absent, never in CI (tests/cli/with-data.sh's rule).
  if [[ ${CI:-} == true ]]; then echo "sv_rtl_equal: $root not found and CI=true requires it" >&2; exit 1; fi
  echo "sv_rtl_equal: $root not found; skipping" >&2
  exit 77
fi
mkdir -p "$w"
python3 - "$dejfa" "$root" "$w" "$cfg" <<'PY'
import json, pathlib, subprocess, sys
dejfa, root, w, cfg = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3]), sys.argv[4]
cases = sorted(p.parent for p in root.rglob("test.rules"))
same = unloadable = 0
for c in cases:
    name = str(c.relative_to(root)).replace("/", "_")
    outs = {}
    for eng in ("ref", "rtl"):
        js = w / f"{name}.{eng}.json"
        r = subprocess.run([dejfa, "sim", "-q", "--engine", eng, "--config", cfg, "--seed", "3",
                            "--rules", str(c / "test.rules"), "--pcap", str(c / "input.pcap"),
                            "--counters", str(js)], capture_output=True, text=True)
        outs[eng] = (r.returncode, js if r.returncode == 0 else r.stderr.strip().splitlines()[-1:])
    if outs["ref"][0] != 0:
        assert outs["rtl"][0] == outs["ref"][0], (name, outs)
        print(f"  {name}: rules outside the subset ({outs['ref'][1]})")
        unloadable += 1
        continue
    assert outs["rtl"][0] == 0, f"{name}: rtl engine failed: {outs['rtl'][1]}"
    a = json.load(open(outs["ref"][1])); b = json.load(open(outs["rtl"][1]))
    assert b["sim"]["checked"] is True
    assert a["rules"] == b["rules"], f"{name}: per-rule counters differ"
    assert a["global"] == b["global"], f"{name}: global counters differ: {a['global']} vs {b['global']}"
    same += 1
print(f"suricata-verify through rtl ({cfg}): {same} cases identical to ref, {unloadable} not loadable, {len(cases)} cases")
assert same > 0
PY
