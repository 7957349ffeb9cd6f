# Shared helpers for the end-to-end scripts: counting, expectations, the binary's path.
# Sourced, not run. Each check prints one line; summary prints "N passed, N failed".

PASSED=0
FAILED=0
FAILURES=()

pass() { PASSED=$((PASSED + 1)); printf '  ok    %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); FAILURES+=("$1"); printf '  FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '        %s\n' "$2"; }

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "expected [$2] got [$3]"; fi
}

# expect_contains NAME NEEDLE HAYSTACK
expect_contains() {
  case "$3" in *"$2"*) pass "$1" ;; *) fail "$1" "missing [$2] in [${3:0:300}]" ;; esac
}

# run_mw ARGS...: runs the binary, sets OUT, ERR, CODE.
run_mw() {
  local out err
  out=$(mktemp); err=$(mktemp)
  "$MW" "$@" >"$out" 2>"$err" </dev/null
  CODE=$?
  OUT=$(cat "$out"); ERR=$(cat "$err")
  rm -f "$out" "$err"
}

summary() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
