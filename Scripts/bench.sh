#!/usr/bin/env bash
# Release-build benchmarks of marginwatch's hot paths; the figures go in the README.
#   1. engine micro-benchmarks (MarginBench): evaluation, one mark, liquidation prices, stress;
#   2. headless replay of a 3,052,800-tick native tape (4 symbols, 4-position cross book):
#      ticks/s, the ratio to `wc -l` on the same file, peak RSS, and the polars peer script;
#   3. peak RSS on a tape four times longer (memory must not grow with the tape);
#   4. the klines path: a year of 1-minute bars for two symbols; a 50-position book on 50 symbols.
#   5. the monitor in a terminal: CPU and RSS watching the demo, first frame, bytes per
#      second sent to the terminal, a key answered during a replay at max speed.
# Tapes are generated once into $BENCH_DIR (default /tmp/marginwatch-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
WORK=${BENCH_DIR:-/tmp/marginwatch-bench}
RUNS=${BENCH_RUNS:-5}
mkdir -p "$WORK"

swift build -c release --product marginwatch >/dev/null
swift build -c release --product MarginBench >/dev/null
MW=.build/release/marginwatch
measure() { python3 Scripts/bench/measure.py "$@"; }
rate() { python3 -c "print(f'{$1 / $2 / 1e6:.1f}')"; }

echo "== engine"
.build/release/MarginBench

echo
echo "== headless replay, native CSV"
TAPE=$WORK/tape-3m.csv
[ -f "$TAPE" ] || $MW record --out "$TAPE" --portfolio Scripts/bench/replay-book.yaml --duration 53h --start 2024-01-01 >/dev/null
TICKS=$(( $(wc -l <"$TAPE") - 1 ))
read -r WC_S _ <<<"$(measure "$RUNS" wc -l "$TAPE")"
read -r MW_S MW_KB <<<"$(measure "$RUNS" $MW replay "$TAPE" --portfolio Scripts/bench/replay-book.yaml --headless --json)"
echo "tape: $TICKS ticks, $(du -m "$TAPE" | cut -f1) MB"
echo "wc -l:        ${WC_S} s"
echo "marginwatch:  ${MW_S} s = $(rate "$TICKS" "$MW_S") M ticks/s, $(python3 -c "print(f'{$MW_S / $WC_S:.1f}')")x wc -l, peak RSS $((MW_KB / 1024)) MB"
echo "  parse only (one thread): $(.build/release/MarginBench "$TAPE")"
echo "  $(.build/release/MarginBench --session "$TAPE" Scripts/bench/replay-book.yaml | sort -t= -k2 -rn | head -1)"
if python3 -c "import polars, numpy, yaml" 2>/dev/null || pip install -q polars numpy pyyaml >/dev/null 2>&1; then
  read -r PL_S PL_KB <<<"$(measure 3 python3 Scripts/bench/replay_polars.py "$TAPE" Scripts/bench/replay-book.yaml)"
  echo "polars peer:  ${PL_S} s = $(rate "$TICKS" "$PL_S") M ticks/s (with interpreter start), peak RSS $((PL_KB / 1024)) MB"
else
  echo "polars peer:  skipped (polars not installable here)"
fi

echo
echo "== headless replay, sparse steps (times advance 0-3 ms a tick: ~2.25 M steps in 3 M ticks)"
SPARSE=$WORK/tape-sparse-3m.csv
[ -f "$SPARSE" ] || python3 Scripts/bench/make_sparse.py "$SPARSE"
SP_TICKS=$(( $(wc -l <"$SPARSE") - 1 ))
read -r SWC_S _ <<<"$(measure "$RUNS" wc -l "$SPARSE")"
read -r SP_S SP_KB <<<"$(measure "$RUNS" $MW replay "$SPARSE" --portfolio Scripts/bench/replay-book.yaml --headless --json)"
echo "marginwatch:  ${SP_S} s = $(rate "$SP_TICKS" "$SP_S") M ticks/s, $(python3 -c "print(f'{$SP_S / $SWC_S:.1f}')")x wc -l (${SWC_S} s), peak RSS $((SP_KB / 1024)) MB"
if python3 -c "import polars, numpy, yaml" 2>/dev/null; then
  read -r SPL_S _ <<<"$(measure 3 python3 Scripts/bench/replay_polars.py "$SPARSE" Scripts/bench/replay-book.yaml)"
  echo "polars peer:  ${SPL_S} s = $(rate "$SP_TICKS" "$SPL_S") M ticks/s; marginwatch is $(python3 -c "print(f'{$SPL_S / $SP_S:.1f}')")x faster"
fi

echo
echo "== headless replay, a wide book: 50 cross positions on 50 symbols, sparse steps"
WIDE=$WORK/tape-wide-3m.csv
[ -f "$WIDE" ] && [ -f "$WORK/wide-book.yaml" ] || python3 Scripts/bench/make_wide.py "$WORK/wide-book.yaml" "$WIDE"
W_TICKS=$(( $(wc -l <"$WIDE") - 1 ))
read -r W_S W_KB <<<"$(measure "$RUNS" $MW replay "$WIDE" --portfolio "$WORK/wide-book.yaml" --headless --json)"
echo "marginwatch:  ${W_S} s = $(rate "$W_TICKS" "$W_S") M ticks/s, peak RSS $((W_KB / 1024)) MB"

echo
echo "== memory on a 4x longer tape"
LONG=$WORK/tape-12m.csv
[ -f "$LONG" ] || $MW record --out "$LONG" --portfolio Scripts/bench/replay-book.yaml --duration 212h --start 2024-01-01 >/dev/null
LONG_TICKS=$(( $(wc -l <"$LONG") - 1 ))
read -r LONG_S LONG_KB <<<"$(measure 1 $MW replay "$LONG" --portfolio Scripts/bench/replay-book.yaml --headless --json)"
echo "marginwatch:  $LONG_TICKS ticks in ${LONG_S} s = $(rate "$LONG_TICKS" "$LONG_S") M ticks/s, peak RSS $((LONG_KB / 1024)) MB"

echo
echo "== klines path: a year of 1-minute bars, two symbols"
[ -f "$WORK/klines/BTCUSDT-1m-2024.csv" ] || python3 Scripts/bench/make_klines.py "$WORK/klines"
K_TICKS=$(( ($(wc -l <"$WORK/klines/BTCUSDT-1m-2024.csv") + $(wc -l <"$WORK/klines/ETHUSDT-1m-2024.csv") - 2) * 4 ))
read -r K_S K_KB <<<"$(measure 3 $MW replay "$WORK/klines/BTCUSDT-1m-2024.csv" "$WORK/klines/ETHUSDT-1m-2024.csv" --portfolio Scripts/bench/klines-book.yaml --headless --json)"
echo "marginwatch:  $K_TICKS ticks (4 per bar) in ${K_S} s = $(rate "$K_TICKS" "$K_S") M ticks/s, peak RSS $((K_KB / 1024)) MB"

echo
echo "== the monitor in a terminal"
Scripts/bench/tui.sh $MW "$LONG" "${BENCH_WATCH_SECONDS:-30}"
