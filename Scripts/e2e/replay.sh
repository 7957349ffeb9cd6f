#!/usr/bin/env bash
# End-to-end checks of replay --headless and record on the real binary: the 2022 stories,
# every shared tape, determinism, a recording killed with SIGKILL, bad tapes and exit codes.
set -u
cd "$(dirname "$0")/../.."
source Scripts/lib.sh
MW=${MW:-.build/debug/marginwatch}
TAPES=Tests/Fixtures/tapes
BOOKS=Tests/Fixtures/books
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PAIR=("$TAPES/freqtrade_binance_BTC_USDT-1h.json" "$TAPES/freqtrade_binance_ETH_USDT-1h.json")

# last_json EXPR: evaluates a Python expression over the last JSON line of $OUT (as `j`).
last_json() { python3 -c "import json,sys; j=json.loads(sys.stdin.read().strip().splitlines()[-1]); print($1)" <<<"$OUT"; }

echo "the 2022 stories"
run_mw replay "${PAIR[@]}" --portfolio $BOOKS/leveraged-longs-2022.yaml --from 2022-11-01 --headless --json
expect_eq "leveraged longs: exit 0 without --fail-on" 0 "$CODE"
expect_eq "leveraged longs: warn, critical, liquidation times" \
  "2022-11-08T05:19:59.999Z 2022-11-08T15:19:59.999Z 2022-11-08T18:39:59.999Z" \
  "$(last_json "j['first_warn_time'], j['first_critical_time'], j['liquidation_time']" | tr -d "(),'")"
expect_eq "leveraged longs: summary fields in contract order" \
  "type ticks bad_lines first_time last_time baseline_equity final_total_equity min_margin_ratio min_margin_ratio_time first_warn_time first_critical_time soft_stop_time liquidation_time stops_hit max_drawdown_pct" \
  "$(last_json "' '.join(j.keys())")"
expect_contains "leveraged longs: the liquidation event line" '{"type": "liquidation", "time": "2022-11-08T18:39:59.999Z", "scope": "account", "symbol": null' "$OUT"
run_mw replay "${PAIR[@]}" --portfolio $BOOKS/leveraged-longs-2022.yaml --from 2022-11-01 --headless --fail-on liquidation
expect_eq "--fail-on liquidation: exit 3" 3 "$CODE"
expect_contains "text timeline: verdict at a glance" "Verdict                LIQUIDATED at 2022-11-08 18:39:59.999" "$OUT"
expect_contains "text timeline: the liquidation line" "2022-11-08 18:39:59.999  LIQUIDATION  CRITICAL  —          CROSS ACCOUNT LIQUIDATED" "$OUT"
run_mw replay "${PAIR[@]}" --portfolio $BOOKS/stopped-longs-2022.yaml --from 2022-11-01 --headless --json --fail-on liquidation
expect_eq "stopped longs: not liquidated (exit 0)" 0 "$CODE"
expect_eq "stopped longs: both stops hit" "['BTCUSDT', 'ETHUSDT']" "$(last_json "j['stops_hit']")"
run_mw replay "${PAIR[@]}" --portfolio $BOOKS/hedged-2022.yaml --from 2022-11-01 --headless --json --fail-on liquidation
expect_eq "hedged book: survives (exit 0 with --fail-on liquidation)" 0 "$CODE"
expect_eq "hedged book: the margin ratio never warns" "None None" "$(last_json "j['first_warn_time'], j['first_critical_time']" | tr -d '(),')"
run_mw replay "${PAIR[@]}" --portfolio $BOOKS/leveraged-longs-2022.yaml --from 2022-11-08T18:00 --to 2022-11-08T19:00 --headless --json
expect_eq "--from/--to window (inclusive): the 18:00 bar's 4 ticks and the 19:00 open, for 2 symbols" "10" "$(last_json "j['ticks']")"

echo "every shared tape"
for spec in "freqtrade_binance_BTC_USDT-1h.json 40940" "binance_um_BTCUSDT-1h-ohlc_isotime.csv 69120" \
            "binance_um_ETHUSDT-1h-ohlc_isotime.csv 69120" "binance_spot_BTCUSDT-4h_traderrobot.csv 47040" \
            "binance_spot_ADABTC-1m-2021-11-27.csv 40" "tardis_binance-futures_BTCUSDT_trades_2020-02-22.csv 9999" \
            "freqtrade_binance_ETH_USDT_USDT_public_trades_2023-02-02.csv 1000" "freqtrade_binance_ETH_USDT-1h.json 40940"; do
  set -- $spec
  run_mw replay "$TAPES/$1" --headless --json --strict
  expect_eq "$1: $2 ticks, 0 bad lines" "$2 0" "$(last_json "j['ticks'], j['bad_lines']" | tr -d '(),')"
done

echo "record"
run_mw record --out "$TMP/a.csv" --seed 5 --duration 10m --start 2024-01-01
expect_eq "record: exit 0" 0 "$CODE"
expect_contains "record: says what it wrote" "wrote 9600 ticks of 4 symbols" "$OUT"
$MW record --out "$TMP/b.csv" --seed 5 --duration 10m --start 2024-01-01 >/dev/null
$MW record --out "$TMP/c.csv" --seed 6 --duration 10m --start 2024-01-01 >/dev/null
expect_eq "record: same seed, same bytes" "same" "$(cmp -s "$TMP/a.csv" "$TMP/b.csv" && echo same || echo different)"
expect_eq "record: other seed, other bytes" "different" "$(cmp -s "$TMP/a.csv" "$TMP/c.csv" && echo same || echo different)"
run_mw replay "$TMP/a.csv" --headless --json --strict
expect_eq "record: replay accepts the tape" "9600 0" "$(last_json "j['ticks'], j['bad_lines']" | tr -d '(),')"
$MW record --out "$TMP/killed.csv" --duration 5000h --start 2024-01-01 >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
run_mw replay "$TMP/killed.csv" --headless --json --strict
expect_eq "record killed with SIGKILL: replays under --strict" 0 "$CODE"
expect_eq "record killed with SIGKILL: it had written ticks" "True" "$(last_json "j['ticks'] > 1000")"
$MW record --out "$TMP/term.csv" --duration 5000h --start 2024-01-01 >/dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM $pid; wait $pid; code=$?
expect_eq "record stopped with SIGTERM: exits 130 after flushing" 130 "$code"
expect_eq "record stopped with SIGTERM: ends on a whole line" "" "$(tail -c 1 "$TMP/term.csv" | tr -d '\n')"

echo "standard input"
OUT=$(head -401 "$TMP/a.csv" | $MW replay - --headless --json); CODE=$?
expect_eq "native tape on stdin" "400" "$(last_json "j['ticks']")"
OUT=$($MW replay BTCUSDT=- --headless --json <"$TAPES/binance_spot_ADABTC-1m-2021-11-27.csv"); CODE=$?
expect_eq "SYMBOL=- names a headerless klines stream" "40" "$(last_json "j['ticks']")"

echo "bad tapes"
printf 'time,symbol,price\n1700000000000,BTCUSDT,1\n1700000001000,BTCUSDT,NaN\n1700000002000,BTCUSDT,3\n' >"$TMP/nan.csv"
run_mw replay "$TMP/nan.csv" --headless --json
expect_eq "bad line: still exit 0" 0 "$CODE"
expect_eq "bad line: counted" "1" "$(last_json "j['bad_lines']")"
expect_contains "bad line: warning names file:line" "marginwatch: warning: $TMP/nan.csv:3: price is not a positive number (\"NaN\") (line skipped)" "$ERR"
run_mw replay "$TMP/nan.csv" --headless --strict
expect_eq "bad line with --strict: exit 65" 65 "$CODE"
expect_eq "bad line with --strict: one-line error" "marginwatch: error: $TMP/nan.csv:3: price is not a positive number (\"NaN\")" "$ERR"
: >"$TMP/empty.csv"
run_mw replay "$TMP/empty.csv" --headless
expect_eq "empty tape: exit 65" 65 "$CODE"
expect_eq "empty tape: message" "marginwatch: error: $TMP/empty.csv: the tape is empty" "$ERR"
run_mw replay "$TMP" --headless
expect_eq "directory: exit 66" 66 "$CODE"
run_mw replay "$TMP/missing.csv" --headless
expect_eq "missing file: exit 66" 66 "$CODE"
printf '\x89PNG\r\n\x1a\n\x00\x00' >"$TMP/garbage.png"
run_mw replay "$TMP/garbage.png" --headless
expect_eq "garbage bytes: exit 65" 65 "$CODE"
run_mw replay "$TAPES/freqtrade_binance_BTC_USDT-1h.json" --headless --from yesterday
expect_eq "bad --from: exit 64" 64 "$CODE"
run_mw replay "$TAPES/freqtrade_binance_BTC_USDT-1h.json" --headless --fail-on panic
expect_eq "bad --fail-on: exit 64" 64 "$CODE"
run_mw replay "$TAPES/freqtrade_binance_BTC_USDT-1h.json" --headless --from 2023-02-30
expect_eq "impossible --from date (30 February): exit 64" 64 "$CODE"
expect_contains "impossible --from date: names it and says what it accepts" "The value '2023-02-30' is invalid for '--from <TIME>': expected ISO-8601" "$ERR"

echo "hostile but ordinary inputs"
# Microsecond ISO times (tardis.dev, ccxt) once trapped the time parser.
printf 'time,symbol,price\n2024-01-01T00:00:00.123456Z,BTCUSDT,42000.5\n2024-01-01T00:00:01.999999+00:00,BTCUSDT,42001\n' >"$TMP/micro.csv"
run_mw replay "$TMP/micro.csv" --headless --json --strict --from 2024-01-01T00:00:00.000001Z
expect_eq "microsecond ISO times: exit 0" 0 "$CODE"
expect_eq "microsecond ISO times: both ticks, first at its millisecond" "2 2024-01-01T00:00:00.123Z 2024-01-01T00:00:01.999Z" \
  "$(last_json "j['ticks'], j['first_time'], j['last_time']" | tr -d "(),'")"
# Four tapes over eight symbols, each parsed on its own thread: once crashed 8 runs in 10.
python3 - "$TMP" <<'PY'
import random, sys
random.seed(3)
symbols = [f"SYM{i}USDT" for i in range(8)]
for tape in range(4):
    t, prices = 1_700_000_000_000, [100.0] * 8
    with open(f"{sys.argv[1]}/multi{tape}.csv", "w") as f:
        f.write("time,symbol,price\n")
        for i in range(200_000):
            t += random.randrange(4)
            s = random.randrange(8)
            prices[s] *= 1 + random.uniform(-0.002, 0.002)
            f.write(f"{t},{symbols[s]},{prices[s]:.4f}\n")
with open(f"{sys.argv[1]}/multi-book.yaml", "w") as f:
    f.write("account: {wallet: 4000}\npositions:\n")
    for i, s in enumerate(symbols):
        f.write(f"  - {{symbol: {s}, side: {'long' if i % 2 == 0 else 'short'}, size: 10, entry: 100, leverage: 10}}\n")
    f.write("instruments:\n" + "".join(f"  {s}: {{maintenance_rate: 0.02}}\n" for s in symbols))
    f.write("alerts: {margin_ratio: {warn: 3, critical: 2}}\n")
PY
MULTI=("$TMP"/multi0.csv "$TMP"/multi1.csv "$TMP"/multi2.csv "$TMP"/multi3.csv)
run_mw replay "${MULTI[@]}" --portfolio "$TMP/multi-book.yaml" --headless --json
first=$OUT; first_code=$CODE
same=0
for i in 1 2 3 4 5 6 7 8 9 10; do
  run_mw replay "${MULTI[@]}" --portfolio "$TMP/multi-book.yaml" --headless --json
  [ "$CODE" = "$first_code" ] && [ "$OUT" = "$first" ] && same=$((same + 1))
done
expect_eq "four tapes × eight symbols: exit 0" 0 "$first_code"
expect_eq "four tapes × eight symbols: the same bytes in 10 more runs" 10 "$same"
OUT=$first; expect_eq "four tapes × eight symbols: every tick applied" 800000 "$(last_json "j['ticks']")"

run_mw replay "$TAPES/freqtrade_binance_BTC_USDT-1h.json" --headless --from 2030-01-01 --fail-on warn
expect_eq "a window with no tick: exit 65, not a pass" 65 "$CODE"
expect_eq "a window with no tick: names the tapes' range" \
  "marginwatch: error: $TAPES/freqtrade_binance_BTC_USDT-1h.json: no tick falls in --from 2030-01-01T00:00:00.000Z --to the end: the tapes run from 2022-01-01T00:00:00.000Z to 2023-03-03T10:59:59.999Z" "$ERR"
run_mw replay "$TAPES/binance_spot_ADABTC-1m-2021-11-27.csv" --headless
expect_contains "a tape pricing none of the book: warned" "prices ADABTC, none of which the portfolio holds" "$ERR"
run_mw replay "${PAIR[@]}" --portfolio $BOOKS/leveraged-longs-2022.yaml --from 2022-11-01 --headless --fail-on liquidation
expect_eq "--fail-on reached: exit 3 and nothing on stderr" "3 " "$CODE $ERR"
run_mw replay "$TAPES/freqtrade_binance_BTC_USDT-1h.json" --headless --from 1667883600
expect_contains "a ten-digit --from: warned that it is milliseconds" "is read as epoch milliseconds (1970-01-20" "$ERR"

cp "$TAPES/freqtrade_binance_BTC_USDT-1h.json" "$TMP/candles.json"
run_mw replay "$TMP/candles.json" --headless
expect_eq "tape with no symbol anywhere: exit 65" 65 "$CODE"
expect_contains "tape with no symbol anywhere: says how to name it" "give it as SYMBOL=$TMP/candles.json" "$ERR"

echo "absurd numbers and missing prices"
printf 'time,symbol,price\n1667962800000,BTCUSDT,20000\n1667962805000,BTCUSDT,1e308\n1667962810000,BTCUSDT,19900\n' >"$TMP/absurd.csv"
run_mw replay "$TMP/absurd.csv" --portfolio $BOOKS/leveraged-longs-2022.yaml --headless --json --fail-on liquidation
expect_eq "a 1e308 price is a bad line, not a rally that liquidates a long (exit 0)" 0 "$CODE"
expect_contains "the bad line says why" "price is above the largest price taken, 1e15" "$ERR"
expect_eq "the two good ticks count" "2 1" "$(last_json "j['ticks'], j['bad_lines']" | tr -d '(),')"
run_mw replay "$TAPES/freqtrade_binance_BTC_USDT-1h.json" --portfolio $BOOKS/leveraged-longs-2022.yaml --headless
expect_contains "a book symbol no tape prices is named" "no tape prices ETHUSDT: held at its starting mark" "$ERR"
# BTC priced from the start of the window on, ETH only before it.
printf 'time,symbol,price\n1667900000000,ETHUSDT,1500\n1667962800000,BTCUSDT,20000\n1667962805000,BTCUSDT,19990\n' >"$TMP/eth-early.csv"
run_mw replay "$TMP/eth-early.csv" --portfolio $BOOKS/leveraged-longs-2022.yaml --from 2022-11-09 --headless
expect_contains "a book symbol priced only outside the window is named, with the window" \
  "no tape prices ETHUSDT from 2022-11-09T00:00:00.000Z to the end: held at its starting mark" "$ERR"
printf 'time,symbol,price\n1667962800000,BTC\033[2JUSDT,60000\n1667962801000,\302\233USDT,1\n' >"$TMP/escape.csv"
run_mw replay "$TMP/escape.csv" --headless
expect_contains "an escape sequence in a tape's symbol is spelled out in a warning" 'prices BTC\u{1B}[2JUSDT, \u{9B}USDT, none of which' "$ERR"
expect_eq "and never sent to the terminal (no ESC or CSI byte on stderr)" 0 "$(printf '%s' "$ERR" | LC_ALL=C grep -c $'\033\|\302\233')"
printf 'time,symbol,price\n' >"$TMP/header-only.csv"
run_mw replay "$TMP/header-only.csv" --portfolio $BOOKS/leveraged-longs-2022.yaml --headless
expect_eq "a tape that is only a header: exit 65 and nothing on standard output" "65 " "$CODE $OUT"
expect_contains "a tape that is only a header: says so" "the tape is empty (no records)" "$ERR"
run_mw replay "$TAPES/freqtrade_binance_BTC_USDT-1h.json" --json
expect_eq "--json without --headless: usage (64)" 64 "$CODE"
expect_contains "--json without --headless: says so" "--json is for replay --headless" "$ERR"

summary
