#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# clang-tidy with the repository's .clang-tidy on every host/ source a clang build compiles (its
# compile_commands.json), in parallel; any finding fails the check (the test suite runs it in the
# sanitizer build: check.clang_tidy).
#   check-tidy.sh BUILD_DIR             host/ sources of BUILD_DIR's compile_commands.json, with
#                                       Clang's static analyzer (clang-analyzer-*) added on the
#                                       files that parse untrusted input (ANALYZED below)
#   check-tidy.sh --analyze-all BUILD_DIR   the analyzer on every file (scripts/test.sh --long)
#   check-tidy.sh --file FILE           one file with plain C++20 flags, analyzer included (the
#                                       self-tests' fixtures)
# Why not the analyzer everywhere in every run: it doubles the check's time (session 28, 56
# files on 2 cores: 114 s without it, 198 s with it, 217 s inside the suite; 26 s for
# image_codec.cpp alone), and the
# suite's 30-minute budget is shared by everything else. The files below are where bytes from
# outside arrive (rules, vars files, images, packets, captures, addresses, any file read whole):
# the same boundary the fuzz targets drive.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v clang-tidy > /dev/null || { echo "check-tidy: clang-tidy not installed" >&2; exit 2; }
ANALYZED=(host/rules/src/parse.cpp host/rules/src/vars.cpp host/image/src/image_codec.cpp
          host/model/src/decode.cpp host/pcap/src/pcapio.cpp host/common/src/ipnet.cpp
          host/common/src/fileio.cpp)
AN='--checks=clang-analyzer-*'
all=0
if [[ ${1:-} == --analyze-all ]]; then all=1; shift; fi
if [[ ${1:-} == --file ]]; then
  incs=()
  for d in "$ROOT"/host/*/include; do incs+=("-I$d"); done
  out=$(cd "$ROOT" && clang-tidy --quiet "$AN" "${2:?--file FILE}" -- -std=c++20 "${incs[@]}" 2>/dev/null) || true
  files=1
else
  build=$(cd "${1:?check-tidy.sh BUILD_DIR}" && pwd)
  mapfile -t list < <(python3 - "$build/compile_commands.json" "$ROOT/host/" <<'PY'
import json, sys
cc, root = json.load(open(sys.argv[1])), sys.argv[2]
print("\n".join(sorted({c["file"] for c in cc if c["file"].startswith(root)})))
PY
)
  ((${#list[@]})) || { echo "check-tidy: no host/ sources in $build/compile_commands.json" >&2; exit 2; }
  files=${#list[@]}
  # The analyzed files first, one per process (they are the slow ones), then the rest.
  heavy=() light=()
  for f in "${list[@]}"; do
    rel=${f#"$ROOT"/}
    if ((all)) || [[ " ${ANALYZED[*]} " == *" $rel "* ]]; then heavy+=("$f"); else light+=("$f"); fi
  done
  ((all)) || ((${#heavy[@]} == ${#ANALYZED[@]})) ||
    { echo "check-tidy: ${#heavy[@]} of the ${#ANALYZED[@]} ANALYZED files are in the build; rename them here" >&2; exit 2; }
  out=$(cd "$ROOT" && printf '%s\n' "${heavy[@]}" |
        xargs -P "$(nproc)" -n 1 clang-tidy -p "$build" --quiet "$AN" 2>/dev/null) || true
  if ((${#light[@]})); then
    out+=$'\n'$(cd "$ROOT" && printf '%s\n' "${light[@]}" |
                 xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet 2>/dev/null) || true
  fi
fi
findings=$(grep -E "(warning|error): " <<<"$out" | sort -u || true)
if [[ -n $findings ]]; then
  printf '%s\n' "$findings"
  echo "check-tidy: $(wc -l <<<"$findings") finding(s) in $files file(s)"
  exit 1
fi
echo "check-tidy: $files files clean ($([[ ${heavy+x} ]] && echo "${#heavy[@]}" || echo 0) with the analyzer)"
