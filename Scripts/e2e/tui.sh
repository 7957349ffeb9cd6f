#!/usr/bin/env bash
# End-to-end tests of the terminal monitor: the real binary in a private tmux server, driven
# with send-keys and read with capture-pane (-e for colours), polling instead of sleeping.
set -u
cd "$(dirname "$0")/../.."
source Scripts/lib.sh
MW=$(pwd)/${MW:-.build/debug/marginwatch}
TAPES=$(cd Tests/Fixtures/tapes && pwd)
ROOT=$(pwd)
TMP=$(mktemp -d)
source Scripts/tmux-lib.sh
trap 'tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

echo "launch, first frame, live numbers"
start 100 30 "$MW"
NAME="first frame shows the demo account"; check wait_for "marginwatch · demo · SIM seed 42" 5
NAME="positions table with the demo's four symbols"; check wait_for "DOGEUSDT"
NAME="the DOGE isolated position's critical alert fires at once"; check wait_for "CRIT  liq distance DOGEUSDT"
first=$(screen_text | sed -n 2p)
changed=no
for _ in $(seq 40); do sleep 0.1; [ "$(screen_text | sed -n 2p)" != "$first" ] && { changed=yes; break; }; done
expect_eq "numbers change over time" yes "$changed"
expect_eq "the alternate screen is on while running" 1 "$(pane '#{alternate_on}')"

echo "help, panels"
tm send-keys -t mw '?'
NAME="? opens the help"; check wait_for "┌─ keys"
tm send-keys -t mw Escape
NAME="Esc closes it"; check wait_gone "┌─ keys"
tm send-keys -t mw x
NAME="x opens the live stress panel"; check wait_for "in every mark liquidates the cross account"
tm send-keys -t mw i
NAME="i opens isolated vs cross"; check wait_for "LIQ ISOLATED"
tm send-keys -t mw Escape Down Enter
NAME="enter shows the selected position's details"; check wait_for "liquidation, isolated"
tm send-keys -t mw Escape '$'
NAME="\$ hides money amounts"; check wait_for "Equity •••"
tm send-keys -t mw '$'
NAME="the declared BTC+ETH bet: both rows carry the letter A"; check wait_for " BTCUSDT    A    long"
NAME="...and the group's rule is in the alert log"; check wait_for "one bet MM   BTCUSDT+ETHUSDT"
tm send-keys -t mw d
NAME="d opens the deposit/withdraw panel"; check wait_for "add to clear every warning"
tm send-keys -t mw 5 0 0
NAME="a typed amount shows the account after it"; check wait_for "amount: 500_"
after=$(screen_text | grep -E "│ margin ratio +[0-9.,]+ +[0-9.,]+ +│")
if [ -n "$after" ]; then pass "margin ratio now and after 500"; else fail "margin ratio now and after 500" "$(screen_text | grep 'margin ratio')"; fi
tm send-keys -t mw BSpace BSpace BSpace - 9 9 9 9 9
NAME="withdrawing more than the wallet is refused"; check wait_for "more than the wallet holds"
tm send-keys -t mw Escape
NAME="Esc closes the panel"; check wait_gone "add to clear every warning"

echo "resize"
tm resize-window -t mw -x 40 -y 10
NAME="a tiny terminal says what it needs"; check wait_for "need 80×24, have 40×10"
tm resize-window -t mw -x 1 -y 1; sleep 0.3
tm resize-window -t mw -x 100 -y 30
NAME="back to full size, the monitor redraws"; check wait_for "marginwatch · demo · SIM seed 42"
expect_eq "still running after resizes" 0 "$(pane '#{pane_dead}')"

echo "q"
tm send-keys -t mw q
NAME="q exits"; check wait_dead 5
expect_eq "q exits 0" 0 "$(exit_status)"
expect_eq "q leaves the alternate screen" 0 "$(pane '#{alternate_on}')"

echo "replay of a crash tape: colours"
REPLAY="$MW replay $TAPES/freqtrade_binance_BTC_USDT-1h.json $TAPES/freqtrade_binance_ETH_USDT-1h.json --portfolio Tests/Fixtures/books/leveraged-longs-2022.yaml --from 2022-11-01 --speed max"
start 100 30 "$REPLAY"
NAME="the tape ends with the screen kept"; check wait_for "TAPE ENDED" 20
NAME="the liquidation banner stays"; check wait_for "■ ACCOUNT LIQUIDATED"
crit=$(screen_colours | grep -E "CRIT|LIQ " | head -3)
case "$crit" in *"38;5;196"*|*"[31m"*|*";31m"*) pass "a critical alert is red (capture-pane -e)" ;; *) fail "a critical alert is red (capture-pane -e)" "$(printf '%q' "${crit:0:200}")" ;; esac
tm send-keys -t mw q; wait_dead 5
start 100 30 "$REPLAY" NO_COLOR=1
NAME="NO_COLOR: the same replay"; check wait_for "TAPE ENDED" 20
colours=$(screen_colours)
case "$colours" in *"38;5;196"*|*"[31m"*|*";31m"*|*"38;5;"*) fail "NO_COLOR: no colour codes at all" ;; *) pass "NO_COLOR: no colour codes at all" ;; esac
NAME="NO_COLOR: the level is still written out"; check wait_for "CRIT"
tm send-keys -t mw q; wait_dead 5

echo "chart, in UTF-8 and in the C locale"
start 80 24 "$REPLAY"
NAME="replay for the chart ends"; check wait_for "TAPE ENDED" 20
tm send-keys -t mw c
NAME="c opens the chart"; check wait_for "chart — margin ratio and equity, all so far"
if screen_text | grep -q $'\xe2\xa0[\x80-\xbf]\|\xe2\xa1\|\xe2\xa2\|\xe2\xa3'; then pass "drawn in braille dots"; else fail "drawn in braille dots" "$(screen_text | head -8)"; fi
NAME="a letter marks the liquidation"; check wait_for "L·"
tm send-keys -t mw '<'
NAME="< zooms in"; check wait_for "chart — margin ratio and equity, last 7d"
tm send-keys -t mw Escape q; wait_dead 5
start 80 24 "$REPLAY" LANG=C LC_ALL=C
NAME="C locale: the replay ends"; check wait_for "TAPE ENDED" 20
tm send-keys -t mw c
NAME="C locale: the chart opens"; check wait_for "chart - margin ratio and equity"
plot=$(screen_text | sed -n 3,20p)
case "$plot" in *"*"*) pass "C locale: plain ASCII marks" ;; *) fail "C locale: plain ASCII marks" "$plot" ;; esac
if printf '%s' "$plot" | LC_ALL=C grep -q $'[\x80-\xff]'; then fail "C locale: no byte outside ASCII"; else pass "C locale: no byte outside ASCII"; fi
tm send-keys -t mw Escape q; wait_dead 5

echo "a slow hook does not stall the monitor"
printf '#!/bin/sh\nsleep 2\necho "$MW_EVENT $MW_RULE" >> %s/hooked\n' "$TMP" >"$TMP/slow-hook"
chmod +x "$TMP/slow-hook"
start 100 30 "$MW --on-alert $TMP/slow-hook"
NAME="the monitor starts with a 2 s hook"; check wait_for "CRIT  liq distance DOGEUSDT"
tm send-keys -t mw '?'
NAME="a key is answered at once while the hook sleeps"; check wait_for "┌─ keys" 1
tm send-keys -t mw Escape
NAME="the hook ran for the events"; check bash -c "for i in \$(seq 60); do [ -s '$TMP/hooked' ] && exit 0; sleep 0.1; done; exit 1"
tm send-keys -t mw q; wait_dead 8

echo "threshold editor"
cp Tests/Fixtures/portfolios/tight.yaml "$TMP/book.yaml"
start 100 30 "$MW watch --portfolio $TMP/book.yaml"
NAME="watching a user's book"; check wait_for "marginwatch · $TMP/book.yaml"
tm send-keys -t mw t
NAME="t opens the editor"; check wait_for "alert levels — applied at once"
tm send-keys -t mw Enter; tm send-keys -t mw -l 45; tm send-keys -t mw Enter
NAME="the gauge turns WARN at once"; check wait_for "] WARN"
tm send-keys -t mw w
NAME="w saves"; check wait_for "saved to $TMP/book.yaml"
tm send-keys -t mw Escape
NAME="a tightened margin-ratio level raises an alert at once"; check wait_for ", below warn 45.00"
tm send-keys -t mw q; wait_dead 5
expect_eq "the comments of the file are intact" "$(grep '#' Tests/Fixtures/portfolios/tight.yaml)" "$(grep '#' "$TMP/book.yaml")"
expect_eq "the saved file reloads with the new level" "45" \
  "$($MW snapshot --portfolio "$TMP/book.yaml" --json | python3 -c "import json,sys; print([a['threshold'] for a in json.load(sys.stdin)['alerts'] if a['rule']=='margin_ratio'][0])")"

echo "saving never damages the file"
# save_levels FILE: opens the monitor on FILE, tightens the margin-ratio warn to 45 and presses w.
save_levels() {
  start 100 30 "$MW watch --portfolio $1"
  wait_for "marginwatch ·" 10 >/dev/null
  tm send-keys -t mw t; wait_for "alert levels — applied at once" 5 >/dev/null
  tm send-keys -t mw Enter; tm send-keys -t mw -l 45; tm send-keys -t mw Enter
  wait_for "] WARN" 5 >/dev/null
  tm send-keys -t mw w
}
warn_of() { $MW snapshot --portfolio "$1" --json | python3 -c "import json,sys; print([a['threshold'] for a in json.load(sys.stdin)['alerts'] if a['rule']=='margin_ratio'][0])"; }
cp Tests/Fixtures/portfolios/hedge.json "$TMP/hedge.json"; chmod 600 "$TMP/hedge.json"
save_levels "$TMP/hedge.json"
NAME="JSON: saved"; check wait_for "saved to $TMP/hedge.json"
tm send-keys -t mw q; wait_dead 5
NAME="JSON: still JSON"; check python3 -c "import json; json.load(open('$TMP/hedge.json'))"
expect_eq "JSON: holds the new level" 45 "$(python3 -c "import json; print(json.load(open('$TMP/hedge.json'))['alerts']['margin_ratio']['warn'])")"
run_mw() { local o e; o=$(mktemp); e=$(mktemp); "$MW" "$@" >"$o" 2>"$e" </dev/null; CODE=$?; OUT=$(cat "$o"); ERR=$(cat "$e"); rm -f "$o" "$e"; }
run_mw snapshot --portfolio "$TMP/hedge.json"
expect_eq "JSON: the saved file loads" 0 "$CODE"
expect_eq "JSON: mode 0600 kept" 600 "$(stat -c %a "$TMP/hedge.json")"
expect_eq "JSON: the positions are byte for byte the same" "$(grep -c symbol Tests/Fixtures/portfolios/hedge.json)" "$(grep -c symbol "$TMP/hedge.json")"
mkdir -p "$TMP/real"; cp Tests/Fixtures/portfolios/tight.yaml "$TMP/real/book.yaml"; ln -s real/book.yaml "$TMP/link.yaml"
save_levels "$TMP/link.yaml"
NAME="symlink: saved"; check wait_for "saved to $TMP/link.yaml"
tm send-keys -t mw q; wait_dead 5
NAME="symlink: still a link"; check test -L "$TMP/link.yaml"
expect_eq "symlink: its target holds the new level" 45 "$(warn_of "$TMP/real/book.yaml")"
cp Tests/Fixtures/portfolios/tight.yaml "$TMP/ro.yaml"; chmod 444 "$TMP/ro.yaml"
save_levels "$TMP/ro.yaml"
NAME="read-only: refused in the editor"; check wait_for "not saved: the file is read-only"
NAME="read-only: the monitor keeps running"; check wait_for "alert levels — applied at once"
tm send-keys -t mw q q; wait_dead 5
expect_eq "read-only: untouched" "$(cat Tests/Fixtures/portfolios/tight.yaml)" "$(cat "$TMP/ro.yaml")"
cp Tests/Fixtures/portfolios/tight.yaml "$TMP/changed.yaml"
start 100 30 "$MW watch --portfolio $TMP/changed.yaml"
wait_for "marginwatch ·" 10 >/dev/null
echo "# edited in another window" >> "$TMP/changed.yaml"
tm send-keys -t mw t; wait_for "alert levels — applied at once" 5 >/dev/null
tm send-keys -t mw Enter; tm send-keys -t mw -l 45; tm send-keys -t mw Enter; tm send-keys -t mw w
NAME="changed on disk: refused"; check wait_for "not saved: the file changed on disk since it was loaded"
tm send-keys -t mw q q; wait_dead 5
expect_eq "changed on disk: the other edit is kept, nothing else" "$(cat Tests/Fixtures/portfolios/tight.yaml; echo '# edited in another window')" "$(cat "$TMP/changed.yaml")"
cp Tests/Fixtures/portfolios/tight.yaml "$TMP/gone.yaml"
start 100 30 "$MW watch --portfolio $TMP/gone.yaml"
wait_for "marginwatch ·" 10 >/dev/null
rm "$TMP/gone.yaml"
tm send-keys -t mw t; wait_for "alert levels — applied at once" 5 >/dev/null
tm send-keys -t mw w
NAME="deleted: a sentence, not a Foundation error"; check wait_for "not saved: the file no longer exists"
tm send-keys -t mw q q; wait_dead 5
NAME="deleted: not recreated"; check test ! -e "$TMP/gone.yaml"

echo "--feed stdin, stale, record, keys from the keyboard"
$MW record --out "$TMP/feed.csv" --portfolio Scripts/bench/replay-book.yaml --duration 20s --start 2024-01-01 >/dev/null
# Process substitution: the shell waits for marginwatch only, not for the feed still sleeping.
start 100 30 "$MW watch --portfolio Scripts/bench/replay-book.yaml --feed stdin --record $TMP/rec.csv < <(cat $TMP/feed.csv; sleep 60)"
NAME="ticks from a pipe"; check wait_for "STDIN"
NAME="the pipe's prices show"; check wait_for "BNBUSDT"
NAME="no tick for a while: STALE, not silent"; check wait_for "STALE: no tick for" 12
tm send-keys -t mw q
NAME="q from the keyboard while stdin is a pipe"; check wait_dead 5
expect_eq "exit 0" 0 "$(exit_status)"
expect_eq "--record wrote every tick shown" "$(wc -l <"$TMP/feed.csv")" "$(wc -l <"$TMP/rec.csv")"
# A short burst (a header and four ticks) while the pipe stays open: applied as it arrives.
printf 'time,symbol,price\n1700000000000,BTCUSDT,20000\n1700000001000,BTCUSDT,20010\n1700000002000,ETHUSDT,1500\n1700000003000,BTCUSDT,20020\n' >"$TMP/burst.csv"
start 120 30 "$MW watch --portfolio Tests/Fixtures/books/leveraged-longs-2022.yaml --feed stdin < <(cat $TMP/burst.csv; sleep 60)"
NAME="a short burst of ticks shows at once, not at the next tick"; check wait_for "20,020.00" 5
tm send-keys -t mw q; wait_dead 5

echo "signals and crashes"
start 100 30 "$MW"
wait_for "marginwatch · demo" 5 >/dev/null
pid=$(pgrep -f "^$MW$" | head -1)
kill -TERM "$pid"
NAME="SIGTERM ends the monitor"; check wait_dead 5
expect_eq "SIGTERM: clean exit" 0 "$(exit_status)"
expect_eq "SIGTERM: the alternate screen is off" 0 "$(pane '#{alternate_on}')"
# The Swift runtime's backtracer would wait for a key on a terminal: make it print and go.
start 100 30 "$MW" MARGINWATCH_TEST_CRASH=after-first-frame SWIFT_BACKTRACE=interactive=no
NAME="a crash ends the monitor"; check wait_dead 10
expect_eq "a crash still restores the terminal" 0 "$(pane '#{alternate_on}')"
crash=$(tm capture-pane -p -J -t mw -S -)
expect_contains "the crash report prints on a sane screen" "Program crashed" "$crash"
NAME="a crash exits non-zero"; check test "$(exit_status)" != 0

echo "unusable TERM"
start 100 30 "TERM=bogus $MW"
NAME="an unknown TERM: one line, no screen"; check wait_for "marginwatch: error: the monitor needs a terminal: TERM=bogus is not known to ncurses"
NAME="an unknown TERM: exit 64"; check wait_for "EXIT=64"
start 100 30 "TERM=dumb $MW"
NAME="TERM=dumb: refused"; check wait_for 'TERM is not set or is "dumb"'

echo "no terminal"
run_mw() { local o e; o=$(mktemp); e=$(mktemp); "$MW" "$@" >"$o" 2>"$e" </dev/null; CODE=$?; OUT=$(cat "$o"); ERR=$(cat "$e"); rm -f "$o" "$e"; }
run_mw watch
expect_eq "stdout not a TTY: non-zero exit" 64 "$CODE"
expect_eq "stdout not a TTY: one line" "marginwatch: error: the monitor needs a terminal: standard output is not a TTY (use snapshot, stress or replay --headless for scripts)" "$ERR"
expect_eq "stdout not a TTY: no screen garbage" "" "$OUT"

summary
