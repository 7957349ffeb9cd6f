#!/usr/bin/env bash
# Fuzzes every parser with libFuzzer: tape readers, the portfolio loader, the time parser, the
# alerts-file editor, the monitor's keys and the Binance answers. Usage: Scripts/fuzz.sh [SECONDS per target] [TARGET...]
# Seeds come from Tests/Fixtures (portfolios, bad files, slices of the real tapes) and from
# Tests/Fuzz/<target>/ (every crash ever found, kept as a regression input).
# Exits non-zero when any target crashes; the crashing input is left in .build-fuzz/crashes/.
# FUZZ_SKIP_BUILD=1 reuses the last build (to run targets in parallel, one script per core).
set -uo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
set +e  # setup.sh sets -e; a crashing target must be reported, not end the script

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(tape portfolio time alerts-editor keys journal binance)

echo "== fuzz build (libFuzzer + AddressSanitizer)"
if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
  mkdir -p .build-fuzz
  swift build -c release --scratch-path .build-fuzz --product MarginFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -gnone -Xswiftc -DMW_FUZZ >.build-fuzz/build.log 2>&1
  built=$?
  grep -E "error:" .build-fuzz/build.log | head -20
  [ $built -eq 0 ] || { echo "fuzz build failed (log: .build-fuzz/build.log)" >&2; exit 1; }
fi
binary=.build-fuzz/release/MarginFuzz
[ -x "$binary" ] || { echo "fuzz build failed" >&2; exit 1; }

work=.build-fuzz/work
mkdir -p "$work" .build-fuzz/crashes
seed_corpus() {
  local target=$1 dir=$work/corpus/$target
  rm -rf "$dir"; mkdir -p "$dir"
  [ -d "Tests/Fuzz/$target" ] && cp Tests/Fuzz/"$target"/* "$dir"/ 2>/dev/null
  case $target in
    tape)
      local i=0
      for f in Tests/Fixtures/tapes/*.csv Tests/Fixtures/tapes/*.json; do
        # The first byte picks the file name and strict mode (see FuzzChecks.tape).
        { printf "\\x0$((i % 4))"; head -c 3000 "$f"; } > "$dir/seed-$i"; i=$((i + 1))
      done
      printf '\x01time,symbol,price\n1667962800000,BTCUSDT,20512.3\n2024-01-01T00:00:00.123456Z,ETHUSDT,1.5\n' > "$dir/native"
      printf '\x03{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15"}}\n' > "$dir/json" ;;
    portfolio|alerts-editor)
      local i=0
      for f in Tests/Fixtures/portfolios/* Tests/Fixtures/books/* Tests/Fixtures/bad/*; do
        [ -f "$f" ] || continue
        if [ "$target" = alerts-editor ]; then { printf "\\x$(printf %02x $((i * 37 % 256)))"; cat "$f"; } > "$dir/seed-$i"
        else cp "$f" "$dir/seed-$i"; fi
        i=$((i + 1))
      done ;;
    time)
      for t in 2024-01-01T00:00:00.123456Z "2022-11-08 16:00" 2022-11-08 1667900000 1667900000123 1667900000123456 \
               2024-02-29T23:59:59.999+05:30 2024-01-01T00:00:00-0800 2023-02-30 1667900000.5; do
        printf '%s' "$t" > "$dir/$(printf '%s' "$t" | md5sum | cut -c1-12)"
      done ;;
    journal)
      printf '%s\n' '{"type": "session", "started": "2024-01-01T00:00:00.000Z", "portfolio": "p", "feed": "f", "levels": {}}' \
        '{"type": "event", "event": "alert", "time": "2022-11-01T00:00:00.000Z", "rule": "correlated_mm", "level": "warn", "state": "raised", "symbol": "BTCUSDT+ETHUSDT", "value": 13.4, "threshold": 2, "symbols": ["BTCUSDT", "ETHUSDT"], "side": "long", "correlation": null, "dissolved": false, "now": "warn"}' \
        '{"type": "event", "event": "stop_loss", "time": "2022-11-08T05:19:59.999Z", "symbol": "BTCUSDT", "price": 19344, "realized_pnl": -1056000}' \
        '{"type": "sample", "time": "2022-11-08T05:20:00.000Z", "equity": 1.5, "margin_ratio": null, "free_margin_pct": null, "unrealized_pnl": 0, "account_shock_pct": null}' \
        '{"type": "event", "event": "soft_stop", "time": "2022-11-08T04:39:59.999Z", "loss_pct": 63.02, "closed_all": true}' > "$dir/journal" ;;
    binance)
      local i=0 kind
      for f in Tests/Fixtures/binance/*.json; do
        # The first byte picks the decoder (see FuzzChecks.binance).
        case $(basename "$f") in account*) kind=0 ;; positionRisk*) kind=1 ;; leverageBracket*) kind=2 ;; *) kind=4 ;; esac
        { printf "\\x0$kind"; cat "$f"; } > "$dir/seed-$i"; i=$((i + 1))
      done
      printf '\x03{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15","r":"0.0001","T":1562306400000}}' > "$dir/frame"
      printf '\x04{"code":-2015,"msg":"Invalid API-key"}' > "$dir/error" ;;
    keys)
      printf '\x50\x18 tt\x1b+-x\x1bi\x1b?\x1b' > "$dir/panels"
      printf '\xa0\x30t\x82\x82\x83\x83\n1.7\nw\x1bq' > "$dir/editor"
      printf '\x50\x18ssS\x82\x82\n\x1ba\x82\x82\x1bq' > "$dir/sort" ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  seed_corpus "$target"
  crashes=.build-fuzz/crashes/$target; mkdir -p "$crashes"
  echo "== fuzz $target for ${seconds}s"
  log=$work/$target.log
  rc=0
  MW_FUZZ_TARGET=$target MW_FUZZ_SCRATCH=$work ASAN_OPTIONS=detect_leaks=0 \
    "$binary" "$work/corpus/$target" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
      -rss_limit_mb=4096 -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || rc=$?
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
  if [ $rc -ne 0 ]; then
    echo "fuzz $target: CRASH after $runs runs (input in $crashes/); log $log" >&2
    grep -E "fuzz check failed|Fatal error|ERROR: |SUMMARY" "$log" | head -5 >&2
    status=1
  else
    echo "fuzz $target: $runs runs, no crash"
  fi
done
exit $status
