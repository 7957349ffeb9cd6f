#!/usr/bin/env bash
# Golden outputs, byte for byte: the text and JSON reports of every fixture book and the demo
# (snapshot, stress) and their replay timelines and summaries over the real tapes. They pin what
# a trader and a script read, so moving code around can never change it unnoticed.
# GOLDEN_UPDATE=1 writes the files anew (then read the diff before committing it).
set -u
cd "$(dirname "$0")/../.."
source Scripts/lib.sh
MW=${MW:-.build/debug/marginwatch}
GOLDEN=Tests/Golden
TAPES=Tests/Fixtures/tapes
FREQTRADE=("$TAPES/freqtrade_binance_BTC_USDT-1h.json" "$TAPES/freqtrade_binance_ETH_USDT-1h.json")
BINANCE=("$TAPES/binance_um_BTCUSDT-1h-ohlc_isotime.csv" "$TAPES/binance_um_ETHUSDT-1h-ohlc_isotime.csv")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# golden NAME ARGS...: runs the binary; standard output, standard error and the exit code must
# equal Tests/Golden/NAME.txt.
golden() {
  local name=$1; shift
  local got="$TMP/$name.txt"
  { "$MW" "$@" 2>"$TMP/err" </dev/null; echo "--- exit $?"; echo "--- stderr"; cat "$TMP/err"; } >"$got"
  if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then cp "$got" "$GOLDEN/$name.txt"; fi
  if cmp -s "$got" "$GOLDEN/$name.txt"; then
    pass "$name"
  else
    fail "$name" "$(diff "$GOLDEN/$name.txt" "$got" 2>&1 | head -8 | tr '\n' '|')"
  fi
}

books=(Tests/Fixtures/books/*.yaml Tests/Fixtures/portfolios/*)
echo "snapshot and stress of every fixture book and the demo"
for book in demo "${books[@]}"; do
  name=$(basename "$book"); name=${name%.*}
  args=(); [ "$book" != demo ] && args=(--portfolio "$book")
  golden "snapshot-$name" snapshot "${args[@]}"
  golden "snapshot-$name-json" snapshot --json "${args[@]}"
  golden "stress-$name" stress "${args[@]}"
  golden "stress-$name-json" stress --json "${args[@]}"
done

echo "replay timelines and summaries over the real tapes"
for book in demo "${books[@]}"; do
  name=$(basename "$book"); name=${name%.*}
  args=(); [ "$book" != demo ] && args=(--portfolio "$book")
  golden "replay-$name-freqtrade" replay "${FREQTRADE[@]}" --headless "${args[@]}"
  golden "replay-$name-freqtrade-json" replay "${FREQTRADE[@]}" --headless --json "${args[@]}"
  golden "replay-$name-binance" replay "${BINANCE[@]}" --headless "${args[@]}"
  golden "replay-$name-binance-json" replay "${BINANCE[@]}" --headless --json "${args[@]}"
done
golden "replay-leveraged-window-json" replay "${FREQTRADE[@]}" --headless --json \
  --portfolio Tests/Fixtures/books/leveraged-longs-2022.yaml --from 2022-11-08T18:00 --to 2022-11-08T19:00
golden "replay-tardis-trades" replay "$TAPES/tardis_binance-futures_BTCUSDT_trades_2020-02-22.csv" --headless \
  --portfolio Tests/Fixtures/portfolios/tight.yaml

[ "${GOLDEN_UPDATE:-0}" = 1 ] && echo "(golden files written anew: review git diff Tests/Golden)"
summary
