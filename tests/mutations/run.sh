#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The kept mutation suite (tests/mutations/README.md): each *.patch injects one realistic fault;
# the tests it names must then fail. For each mutation, in a scratch copy of the working tree
# (the repository's tracked and new files, never the tree itself): apply the patch, build the
# targets it names, run the tests it names (ctest -R), expect at least one failure, revert.
# Before any mutation the same tests run on the unmutated copy and must pass, so that a "kill"
# means the fault was caught, not that the test was already failing.
#
#   tests/mutations/run.sh [--subset] [--dir DIR] [--jobs N] [NAME ...]
#     --subset   only the mutations whose header says `# subset: yes` (the bounded set the test
#                command runs, on small models)
# A patch's header (lines before the diff, which git apply ignores): `# mutation:`, `# block:`,
# `# targets:` (CMake targets to build; `none` for a check script), `# tests:` (a ctest -R pattern that must then fail),
# `# what:`, optionally `# subset: yes` and `# rtl-blocks:` (else derived from the targets).
#     NAME       only these mutations (file names without .patch)
#     --dir      scratch directory (default build-mutations/ beside the repository's build/)
# Prints the kill table; exits 0 only when every mutation run was killed.
# The scratch build verilates only the blocks the chosen mutations name (DEJFA_RTL_BLOCKS), so a
# subset of small blocks configures in seconds; `core` in a header brings the whole core.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MUT=$ROOT/tests/mutations
DIR=$ROOT/build-mutations
JOBS=$(nproc)
# One seed for every run, so that a kill (or a survival) reproduces; DEJFA_SEED overrides it.
export DEJFA_SEED=${DEJFA_SEED:-1}
SUBSET=0
names=()
while (($#)); do
  case $1 in
    --subset) SUBSET=1 ;;
    --dir) DIR=${2:?--dir DIR}; shift ;;
    --jobs) JOBS=${2:?--jobs N}; shift ;;
    -*) echo "mutations: unknown option $1" >&2; exit 2 ;;
    *) names+=("$1") ;;
  esac
  shift
done

field() { sed -n "s/^# $1: *//p" "$2" | head -1; }
patches=()
if ((${#names[@]})); then
  for n in "${names[@]}"; do
    [[ -f $MUT/$n.patch ]] || { echo "mutations: no $MUT/$n.patch" >&2; exit 2; }
    patches+=("$MUT/$n.patch")
  done
else
  for p in "$MUT"/*.patch; do
    if ((SUBSET)) && [[ $(field subset "$p") != yes ]]; then continue; fi
    patches+=("$p")
  done
fi
((${#patches[@]})) || { echo "mutations: no mutation selected" >&2; exit 2; }

# The blocks, targets and tests of the chosen mutations.
blocks=() targets=() tests=()
for p in "${patches[@]}"; do
  for f in block targets tests; do
    [[ -n $(field "$f" "$p") ]] || { echo "mutations: $p has no '# $f:' line" >&2; exit 2; }
  done
  read -r -a t <<<"$(field targets "$p")"
  targets+=("${t[@]}")
  # The RTL models to verilate: `# rtl-blocks:` if given, else from the targets (test_BLOCK_CFG
  # is block BLOCK; the whole core's test programs need `core`).
  rb=$(field rtl-blocks "$p")
  if [[ -z $rb ]]; then
    for x in "${t[@]}"; do
      case $x in
        test_core | dejfa_difffuzz | test_opennic) rb+=" core" ;;
        test_*)
          if [[ $x =~ ^test_(.+)_(10g|100g|n[0-9]+(k[0-9]+)?|c[0-9]+k?|any)(_synth)?$ ]]; then
            rb+=" ${BASH_REMATCH[1]}"
          fi ;;  # else a host test program: no RTL model
      esac
    done
  fi
  read -r -a b <<<"$rb"
  blocks+=("${b[@]}")
  tests+=("$(field tests "$p")")
done
mapfile -t blocks < <(printf '%s\n' "${blocks[@]}" | sed '/^$/d' | sort -u)
mapfile -t targets < <(printf '%s\n' "${targets[@]}" | grep -vx none | sort -u)

# The scratch copy: the working tree's files as they are (tracked and new, not ignored).
SRC=$DIR/src BLD=$DIR/build
rm -rf "$SRC"
mkdir -p "$SRC"
# Extracted with the current time (-m): with the files' own times, a model generated from a
# mutated file in an earlier run would look newer than its reverted source and not be rebuilt.
git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
  (cd "$ROOT" && xargs -0 tar -c --no-recursion 2>/dev/null) | tar -x -m -C "$SRC"
rtl=(-DDEJFA_WITH_RTL=OFF)
if ((${#blocks[@]})); then
  rtl=(-DDEJFA_WITH_RTL=ON "-DDEJFA_RTL_BLOCKS=$(IFS=';'; echo "${blocks[*]}")")
fi
echo "mutations: ${#patches[@]} mutation(s); scratch build in $BLD (RTL blocks: ${blocks[*]:-none})"
# dejfa's own code at -O1 instead of the Release build's -O3: the scratch build is most of the
# subset's time and its tests run for seconds, so compiling is what counts (a test program's
# source took 6.4 s at -O3, 4.6 s at -O1, beside a synthesis run). The Verilated models' per-cycle code keeps its -O2
# (sim/CMakeLists.txt OPT_FAST comes after these flags), so the model tests run at full speed.
cmake -S "$SRC" -B "$BLD" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" "${rtl[@]}" \
  -DDEJFA_SHARED_DATA="$ROOT/../shared/data" >"$DIR/configure.log" 2>&1 ||
  { echo "mutations: configure failed ($DIR/configure.log)" >&2; tail -20 "$DIR/configure.log" >&2; exit 1; }
# build TARGET...: `none` (a check script's mutation: nothing to compile) builds nothing.
build() {
  local t=()
  for x in "$@"; do [[ $x == none ]] || t+=("$x"); done
  ((${#t[@]})) || return 0
  cmake --build "$BLD" -j "$JOBS" --target "${t[@]}" >"$DIR/build.log" 2>&1
}
build "${targets[@]}" ||
  { echo "mutations: the unmutated build failed ($DIR/build.log)" >&2; tail -30 "$DIR/build.log" >&2; exit 1; }
# (one ctest call per mutation: CMake's regular expressions take at most 10 groups)
: >"$DIR/baseline.log"
for i in "${!patches[@]}"; do
  one=$DIR/baseline-one.log
  if ! ctest --test-dir "$BLD" -j "$JOBS" -R "${tests[$i]}" --timeout 600 >"$one" 2>&1; then
    cat "$one" >>"$DIR/baseline.log"
    echo "mutations: the tests of $(basename "${patches[$i]}") fail WITHOUT the mutation ($DIR/baseline.log)" >&2
    tail -20 "$one" >&2
    exit 1
  fi
  cat "$one" >>"$DIR/baseline.log"
  grep -q "tests passed" "$one" ||
    { echo "mutations: '${tests[$i]}' selects no test ($(basename "${patches[$i]}"))" >&2; exit 1; }
done

killed=0 survived=0 broken=0
table="| mutation | block | tests | result |"$'\n'"|---|---|---|---|"
for p in "${patches[@]}"; do
  n=$(basename "$p" .patch)
  read -r -a t <<<"$(field targets "$p")"
  re=$(field tests "$p")
  log=$DIR/$n.log
  if ! (cd "$SRC" && git apply "$p") >"$log" 2>&1; then
    res="ERROR: does not apply"
    broken=$((broken + 1))
  else
    if ! build "${t[@]}"; then
      res="ERROR: does not build"
      cp "$DIR/build.log" "$log"
      broken=$((broken + 1))
    elif ctest --test-dir "$BLD" -j "$JOBS" -R "$re" --timeout 600 >"$log" 2>&1; then
      res="SURVIVED"
      survived=$((survived + 1))
    else
      nf=$(grep -c '\*\*\*Failed\|\*\*\*Exception\|\*\*\*Timeout' "$log" || true)
      res="killed ($nf failing)"
      killed=$((killed + 1))
    fi
    (cd "$SRC" && git apply -R "$p") || { echo "mutations: cannot revert $n" >&2; exit 1; }
  fi
  printf 'mutations: %-28s %s\n' "$n" "$res"
  table+=$'\n'"| $n | $(field block "$p") | \`$re\` | $res |"
done
echo
echo "$table"
echo
echo "mutations: ${#patches[@]} run, $killed killed, $survived survived, $broken broken"
((survived == 0 && broken == 0))
