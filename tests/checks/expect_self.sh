#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# expect_self.sh PYTHON EXPECT.PY: the test runner fails on a wrong exit status, a missing or an
# unwanted pattern, and passes a skip (77) through; it passes only when everything holds.
set -uo pipefail
py=$1 ex=$2
fail=0
t() {  # t WANT_RC ARGS...: run expect.py with ARGS, its exit status must be WANT_RC
  local want=$1
  shift
  "$py" "$ex" "$@" > /dev/null 2>&1
  local rc=$?
  if [[ $rc -ne $want ]]; then
    echo "expect_self: FAILED: expect.py $* exited $rc, not $want"
    fail=1
  fi
}
t 0 --exit 3 --match 'a.*b' -- bash -c 'echo a; echo b >&2; exit 3'
t 1 --exit 0 --match 'a' -- bash -c 'echo a; exit 3'              # status wrong, text right
t 1 --exit 3 --match 'zzz' -- bash -c 'echo a; exit 3'            # status right, text wrong
t 1 --exit nonzero --match 'a' -- bash -c 'echo a; exit 0'        # "caught" but exit 0
t 0 --exit nonzero --match 'a' -- bash -c 'echo a; exit 1'
t 1 --exit 0 --no-match 'error' -- bash -c 'echo error; exit 0'
t 77 --exit 0 --match 'a' -- bash -c 'exit 77'                    # a skip stays a skip
t 2 --exit 0 --match 'a'                                          # no command: usage
((fail)) && exit 1
echo "expect_self: 8 cases as expected"
