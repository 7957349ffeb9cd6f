#!/usr/bin/env bash
# Everything CI runs, and what a developer runs before pushing: prerequisites, a debug build,
# the unit tests (swift test), the end-to-end tests of the real binary, the unit tests again
# under ThreadSanitizer, and every fuzz target briefly (Scripts/fuzz.sh; FUZZ_SECONDS, default 20).
# Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
set +e  # setup.sh sets -e; every step below checks its own result and reports it

echo "== build"
swift build --build-tests || { echo "build failed" >&2; exit 1; }

echo "== unit tests (swift test)"
swift test --skip-build || exit 1

status=0
for script in Scripts/e2e/*.sh; do
  echo "== end-to-end: $script"
  "$script" || status=1
done

# Tapes are parsed on threads of their own: the replay and monitor tests (among all others) run
# again under ThreadSanitizer, and any report fails the run.
echo "== ThreadSanitizer build"
mkdir -p .build-tsan
swift build --sanitize=thread --build-tests --scratch-path .build-tsan >.build-tsan/build.log 2>&1
tsan_build=$?
grep -E "error:" .build-tsan/build.log | head -20
if [ $tsan_build -ne 0 ]; then echo "ThreadSanitizer build failed (log: .build-tsan/build.log)" >&2; exit 1; fi
echo "== unit tests under ThreadSanitizer"
tsan_log=.build-tsan/test.log
TSAN_OPTIONS=halt_on_error=1 swift test --sanitize=thread --skip-build --scratch-path .build-tsan >"$tsan_log" 2>&1
tsan_rc=$?
grep -E "Test run with|ThreadSanitizer" "$tsan_log" | sed 's/^/  /' || true
if [ $tsan_rc -ne 0 ] || grep -q "WARNING: ThreadSanitizer" "$tsan_log"; then
  echo "ThreadSanitizer run failed (rc $tsan_rc); the reports:" >&2
  grep -A30 "WARNING: ThreadSanitizer" "$tsan_log" | head -80 >&2
  status=1
else
  echo "  no ThreadSanitizer report"
fi

echo "== fuzzing every parser briefly"
Scripts/fuzz.sh "${FUZZ_SECONDS:-20}" || status=1
exit $status
