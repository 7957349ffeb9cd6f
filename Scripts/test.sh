#!/usr/bin/env bash
# Everything CI runs, and what a developer runs before pushing: prerequisites, a debug build,
# the unit tests (swift test), then the end-to-end tests of the real binary.
# Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh

echo "== build"
swift build --build-tests || { echo "build failed" >&2; exit 1; }

echo "== unit tests (swift test)"
swift test --skip-build || exit 1

status=0
for script in Scripts/e2e/*.sh; do
  echo "== end-to-end: $script"
  "$script" || status=1
done
exit $status
