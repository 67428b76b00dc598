#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# with-data.sh DATA_DIR CMD...: run CMD when the shared third-party data is present. Without it
# the test is skipped (exit 77), except under CI=true, where its absence is a failure.
set -euo pipefail
data=$1
shift
if [[ ! -d $data ]]; then
  if [[ ${CI:-} == true ]]; then
    echo "with-data: $data is missing and CI=true requires it" >&2
    exit 1
  fi
  echo "with-data: $data not found; skipping (the shared data lives beside the checkout)"
  exit 77
fi
exec "$@"
