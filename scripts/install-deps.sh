#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install everything dejfa's build, tests and benchmarks need on Debian 12 (bookworm).
# Non-interactive and idempotent: run it as root as often as you like.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config python3 git ca-certificates xz-utils
  # host libraries
  libpcap-dev libboost-program-options-dev libgtest-dev libgmock-dev libyaml-dev
  nlohmann-json3-dev
  # RTL simulation and synthesis
  verilator yosys iverilog
  # the card build scripts' Tcl, checked without Vivado
  tcl8.6
  # output checks by the consumers' own parsers (Prometheus exposition format)
  python3-prometheus-client
  # code quality, fuzzing and sanitizers
  clang clang-format clang-tidy libclang-rt-14-dev llvm
  # benchmark peers
  libhyperscan-dev
)

if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Fail loudly if anything is still absent (a package renamed, a mirror short of it, ...).
still=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    still+=("$p")
  fi
done
if ((${#still[@]})); then
  echo "install-deps: ERROR: packages still missing after apt-get: ${still[*]}" >&2
  exit 1
fi
for tool in cmake ninja verilator yosys clang++ clang-format python3; do
  command -v "$tool" >/dev/null || { echo "install-deps: ERROR: '$tool' not on PATH" >&2; exit 1; }
done
echo "install-deps: all ${#PACKAGES[@]} packages present ($(verilator --version | head -1); $(yosys -V))"
