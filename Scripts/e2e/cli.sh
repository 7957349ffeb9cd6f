#!/usr/bin/env bash
# End-to-end checks of the one-shot commands (snapshot, stress) on the real binary:
# contract JSON on fixtures, usage errors, and every case of the bad-portfolio catalogue.
set -u
cd "$(dirname "$0")/../.."
source Scripts/lib.sh
MW=${MW:-.build/debug/marginwatch}
FIX=Tests/Fixtures

# py EXPR: evaluates a Python expression over the JSON in $OUT (as `j`); prints the result.
py() { python3 -c "import json,sys; j=json.loads(sys.stdin.read()); print($1)" <<<"$OUT"; }

echo "snapshot"
run_mw snapshot --json --portfolio $FIX/portfolios/binance-faq.yaml
expect_eq "faq: exit 0" 0 "$CODE"
expect_eq "faq: equity to the cent" "1030895.56" "$(py "'%.2f' % j['account']['equity']")"
expect_eq "faq: maintenance margin" "427713.32" "$(py "'%.2f' % j['account']['maintenance_margin']")"
expect_eq "faq: margin ratio" "2.4102" "$(py "'%.4f' % j['account']['margin_ratio']")"
expect_eq "faq: mm_rate" "0.4149" "$(py "'%.4f' % j['account']['mm_rate']")"
expect_eq "faq: BTC liquidation price" "26316.89" "$(py "'%.2f' % j['positions'][0]['liquidation_price']")"
expect_eq "faq: ETH uPnL" "-448192.89" "$(py "'%.2f' % j['positions'][1]['unrealized_pnl']")"
expect_eq "faq: no stop is null" "None None" "$(py "j['positions'][0]['stop_loss'], j['positions'][0]['isolated_margin']" | tr -d '(),')"

run_mw snapshot --json --portfolio $FIX/portfolios/binance-faq.yaml --mark BTCUSDT=26316.89
expect_eq "--mark at the liquidation price: margin ratio 1" "1.0000" "$(py "'%.4f' % j['account']['margin_ratio']")"
expect_eq "--mark at LP: liquidation alert" "True" "$(py "any(a['rule']=='liquidation' for a in j['alerts'])")"

run_mw snapshot --json --portfolio $FIX/portfolios/hedge.json
expect_eq "hedge (JSON file): collateral counted with haircut" "54000" "$(py "round(j['account']['collateral_value'])")"
expect_eq "hedge: isolated margin reported" "1500" "$(py "j['positions'][1]['isolated_margin']")"
expect_eq "hedge: total equity adds the isolated wallet" "57500" "$(py "round(j['account']['total_equity'])")"

run_mw snapshot
expect_eq "demo snapshot exits 0" 0 "$CODE"
expect_contains "demo snapshot shows the account" "Margin ratio" "$OUT"
expect_contains "demo snapshot names the position without a stop" "ETHUSDT long has no stop-loss" "$OUT"
run_mw
expect_eq "no arguments is watch: without a terminal it refuses (exit 64)" 64 "$CODE"
expect_contains "no arguments is watch: one line saying why" "marginwatch: error: the monitor needs a terminal" "$ERR"

echo "stress"
run_mw stress --json --portfolio $FIX/portfolios/hedge.json --shocks -50,50,100
expect_eq "stress: one row per shock" "[-50, 50, 100]" "$(py "[r['shock_pct'] for r in j['rows']]")"
expect_eq "stress: stops hit" "[['ETHUSDT'], ['BTCUSDT'], ['BTCUSDT']]" "$(py "[r['stops_hit'] for r in j['rows']]")"
expect_eq "stress: account shock" "884.92" "$(py "'%.2f' % j['account_shock_pct']")"
run_mw stress --json
expect_eq "stress: default shocks" "[-30, -20, -10, -5, 5, 10, 20, 30]" "$(py "[r['shock_pct'] for r in j['rows']]")"
expect_eq "stress: demo liquidated at -20% and -30%" "[True, True, False, False, False, False, False, False]" "$(py "[r['liquidated'] for r in j['rows']]")"
run_mw stress
expect_contains "stress text: the liquidating move" "in every mark liquidates the cross account" "$OUT"

echo "usage errors (exit 64)"
run_mw snapshot --mark DOGEUSD=1
expect_eq "--mark unknown symbol: exit 64" 64 "$CODE"
expect_contains "--mark unknown symbol: message" "marginwatch: error: --mark DOGEUSD: no position or collateral uses this symbol" "$ERR"
run_mw snapshot --mark BTCUSDT=abc
expect_eq "--mark bad price: exit 64" 64 "$CODE"
run_mw stress --shocks -120
expect_eq "--shocks below -100: exit 64" 64 "$CODE"
run_mw snapshot --bogus
expect_eq "unknown option: exit 64" 64 "$CODE"
expect_contains "unknown option: prefixed one line" "marginwatch: error: Unknown option '--bogus'" "$ERR"
expect_eq "unknown option: one line" 1 "$(printf '%s\n' "$ERR" | wc -l)"
run_mw --help
expect_eq "--help exits 0" 0 "$CODE"
expect_contains "--help lists stress" "stress" "$OUT"

echo "warnings"
tmp=$(mktemp --suffix=.yaml)
printf 'account: {wallet: 1000}\npositions:\n  - {symbol: BTCUSDT, side: short, size: 0.1, entry: 60000, leverage: 5, stop_loss: 59000}\n' >"$tmp"
run_mw snapshot --portfolio "$tmp"
expect_eq "wrong-side stop: still exit 0" 0 "$CODE"
expect_contains "wrong-side stop: warning with place" "marginwatch: warning: $tmp:3:85: positions[0].stop_loss 59000 is at or below the entry" "$ERR"
rm -f "$tmp"

echo "what a trader reads"
run_mw --version
expect_eq "--version" "marginwatch 0.3.0" "$OUT"
run_mw watch --speed 100000
expect_eq "--speed above 86400: exit 64" 64 "$CODE"
expect_eq "--speed above 86400: says the range" "marginwatch: error: The value '100000' is invalid for '--speed <X>': expected a multiple of real time from 0.25 to 86400 (see marginwatch --help)" "$ERR"
run_mw watch --speed 0.1
expect_eq "--speed below 0.25: exit 64" 64 "$CODE"
rec=$(mktemp -d)
run_mw record --out "$rec/t.csv" --duration 1d --interval 1h --start 2024-01-01
expect_eq "record --duration 1d: exit 0" 0 "$CODE"
expect_eq "record --duration 1d: a day of hourly ticks per symbol" 24 "$(grep -c ',BTCUSDT,' "$rec/t.csv")"
run_mw record --out "$rec/t.csv" --duration 1h --start 2024-01-01
expect_eq "record over an existing tape: refused" "64 marginwatch: error: --out $rec/t.csv already exists; give --force to replace it" "$CODE $ERR"
run_mw record --out "$rec/t.csv" --duration 1h --interval 1h --start 2024-01-01 --force
expect_eq "record --force replaces it" "0 1" "$CODE $(grep -c ',BTCUSDT,' "$rec/t.csv")"
run_mw record --out "$rec/u.csv" --duration 1w
expect_contains "a bad duration names the units" "ms, s, m, h or d" "$ERR"
printf 'account: {wallet: 100}\npositions:\n  - {symbol: btcusdt, side: long, size: 1, entry: 100, leverage: 2}\n' >"$rec/lower.yaml"
run_mw snapshot --portfolio "$rec/lower.yaml"
expect_eq "a lower-case symbol: says symbols are upper-case" "marginwatch: error: $rec/lower.yaml:3:14: positions[0].symbol btcusdt: symbols are upper-case, as the exchange writes them (BTCUSDT)" "$ERR"
printf 'account: {wallet: 1000}\npositions:\n  - {symbol: BTCUSDT, side: long, size: 1, entry: 60000, leverage: 10, margin: isolated, isolated_margin: 6000, mark: 60000}\n' >"$rec/iso.yaml"
run_mw stress --portfolio "$rec/iso.yaml" --shocks -30 --json
expect_eq "an isolated position never counts below zero: total equity, isolated_liquidated" "1000 ['BTCUSDT']" \
  "$(python3 -c "import json,sys; r=json.load(sys.stdin)['rows'][0]; print(r['account']['total_equity'], r['isolated_liquidated'])" <<<"$OUT")"
run_mw stress --portfolio "$rec/iso.yaml" --shocks=-2.5,-99.99
expect_contains "stress labels shocks as given" "-2.5%" "$OUT"
expect_contains "stress names the isolated liquidation" "BTCUSDT iso" "$OUT"
run_mw snapshot --mark BTCUSDT=0x10
expect_eq "--mark in hexadecimal: refused" 64 "$CODE"
rm -rf "$rec"

echo "typed options: a bad value is refused before anything runs (exit 64, one line)"
# expect_usage NAME LINE ARGS...: ARGS exit 64 with "marginwatch: error: LINE (see marginwatch --help)"
# as the whole of standard error, and nothing on standard output.
expect_usage() {
  local name=$1 want="marginwatch: error: $2 (see marginwatch --help)"; shift 2
  run_mw "$@"
  if [ "$CODE" == 64 ] && [ "$ERR" == "$want" ] && [ -z "$OUT" ]; then
    pass "$name"
  else
    fail "$name" "exit $CODE (want 64); stderr [$ERR]; want [$want]; stdout [${OUT:0:80}]"
  fi
}
TAPE=$FIX/tapes/freqtrade_binance_BTC_USDT-1h.json
TIMES="ISO-8601 (2022-11-08, 2022-11-08T16:00:00.000Z, +02:00 offsets; naive means UTC) or epoch milliseconds"
SPANS="a positive number and a unit, ms, s, m, h or d: 500ms, 30s, 10m, 2h, 1d"
typed=$(mktemp -d)
expect_usage "--feed: names the values" \
  "The value 'bogus' is invalid for '--feed <sim|stdin|binance>'. Please provide one of 'sim', 'stdin' or 'binance'." watch --feed bogus
expect_usage "--feed without a subcommand (watch is the default): the same line" \
  "The value 'bogus' is invalid for '--feed <sim|stdin|binance>'. Please provide one of 'sim', 'stdin' or 'binance'." --feed bogus
expect_usage "watch --speed max: max is for replay only" \
  "The value 'max' is invalid for '--speed <X>': max is for replay only; watch expects a multiple of real time from 0.25 to 86400" watch --speed max
expect_usage "watch --speed not a number" \
  "The value 'fast' is invalid for '--speed <X>': expected a multiple of real time from 0.25 to 86400" watch --speed fast
expect_usage "replay --speed 0: says replay takes max" \
  "The value '0' is invalid for '--speed <X|max>': expected a multiple of tape time from 0.25 to 86400, or max" replay "$TAPE" --speed 0
expect_usage "--fail-on: names the levels" \
  "The value 'panic' is invalid for '--fail-on <LEVEL>'. Please provide one of 'warn', 'critical', 'soft-stop' or 'liquidation'." \
  replay "$TAPE" --headless --fail-on panic
expect_usage "--duration: a unit it does not know" \
  "The value '1w' is invalid for '--duration <D>': expected $SPANS" record --out "$typed/t.csv" --duration 1w
expect_usage "--duration: zero" \
  "The value '0h' is invalid for '--duration <D>': expected $SPANS" record --out "$typed/t.csv" --duration 0h
expect_usage "--interval: zero" \
  "The value '0s' is invalid for '--interval <D>': expected $SPANS" record --out "$typed/t.csv" --interval 0s
expect_eq "a refused record wrote nothing" "no tape" "$([ -e "$typed/t.csv" ] && echo tape || echo no tape)"
expect_usage "--from: not a time" \
  "The value 'yesterday' is invalid for '--from <TIME>': expected $TIMES" replay "$TAPE" --headless --from yesterday
expect_usage "--to: an impossible date" \
  "The value '2023-02-30' is invalid for '--to <TIME>': expected $TIMES" replay "$TAPE" --headless --to 2023-02-30
expect_usage "--start: not a time" \
  "The value 'soon' is invalid for '--start <TIME>': expected $TIMES" record --out "$typed/t.csv" --start soon
expect_usage "--from after --to: both named" \
  "--from 2022-11-09 is after --to 2022-11-08T23:00" replay "$TAPE" --headless --from 2022-11-09 --to 2022-11-08T23:00
run_mw watch --feed $'\e[31mred'
expect_eq "a control character in a refused value is spelled out, on one line" \
  "marginwatch: error: The value '\u{1B}[31mred' is invalid for '--feed <sim|stdin|binance>'. Please provide one of 'sim', 'stdin' or 'binance'. (see marginwatch --help)" "$ERR"
run_mw replay "$TAPE" --headless --json --speed max --fail-on critical --from 2022-11-08T16:00 --to 2022-11-08T18:00
OUT=${OUT##*$'\n'}
expect_eq "replay takes --speed max; --fail-on critical reached (exit 3); 9 ticks in the window" "3 9" "$CODE $(py "j['ticks']")"
run_mw record --out "$typed/ok.csv" --duration 90m --interval 30m --start 1700000000
expect_eq "record --duration 90m --interval 30m: three ticks per symbol" "0 3" "$CODE $(grep -c ',BTCUSDT,' "$typed/ok.csv")"
expect_eq "a ten-digit --start is read as milliseconds, with a warning" \
  "marginwatch: warning: --start 1700000000 is read as epoch milliseconds (1970-01-20T16:13:20.000Z); for epoch seconds write 1700000000000 or an ISO-8601 time" "$ERR"
rm -rf "$typed"

echo "completions"
for shell in bash zsh fish; do
  run_mw --generate-completion-script $shell
  expect_eq "--generate-completion-script $shell: exit 0, nothing on standard error" "0 " "$CODE $ERR"
  expect_contains "--generate-completion-script $shell: completes marginwatch" "marginwatch" "$OUT"
done
run_mw --generate-completion-script bash
comp=$(mktemp)
printf '%s\n' "$OUT" >"$comp"
# completes WORD...: what the bash script offers for the last word of `WORD...` (an empty last
# word: a new one), called as bash calls it.
completes() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _marginwatch marginwatch "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"; echo "${COMPREPLY[*]}"' _ "$comp" "$@"
}
expect_eq "bash completion: the subcommands" "snapshot stress" "$(completes marginwatch s)"
expect_eq "bash completion: --feed values" "sim stdin binance" "$(completes marginwatch watch --feed '')"
expect_eq "bash completion: --fail-on levels" "warn critical soft-stop liquidation" "$(completes marginwatch replay t.csv --fail-on '')"
rm -f "$comp"

echo "install (Scripts/install.sh: a release build, the manual page and the completions)"
inst=$(mktemp -d)
Scripts/install.sh "$inst/usr" >"$inst/log" 2>&1
expect_eq "install.sh into a temporary PREFIX: exit 0" 0 "$?"
expect_eq "the installed binary runs: --version" "marginwatch 0.3.0" "$("$inst/usr/bin/marginwatch" --version 2>&1)"
expect_eq "the installed binary needs no Swift or Foundation shared library" "" \
  "$(ldd "$inst/usr/bin/marginwatch" | grep -E 'libswift|libFoundation|libdispatch')"
expect_eq "the installed binary replays a tape as the debug build does" "$("$MW" replay "$FIX/tapes/binance_um_BTCUSDT-1h-ohlc_isotime.csv" \
  --portfolio "$FIX/books/stopped-longs-2022.yaml" --headless 2>&1)" "$("$inst/usr/bin/marginwatch" replay \
  "$FIX/tapes/binance_um_BTCUSDT-1h-ohlc_isotime.csv" --portfolio "$FIX/books/stopped-longs-2022.yaml" --headless 2>&1)"
# A crash of the installed (static) binary still prints the runtime's report: the backtracer
# installed beside it is found (the monitor needs a terminal: `script` gives it one).
crash=$(cd "$inst" && TERM=xterm MARGINWATCH_TEST_CRASH=after-first-frame SWIFT_BACKTRACE=interactive=no,color=no \
  timeout 60 script -qec "$inst/usr/bin/marginwatch" /dev/null 2>&1 </dev/null)
expect_contains "the installed binary's crash report names the crash" "Program crashed" "$crash"
expect_contains "...and where it happened" "MonitorApp.swift" "$crash"
expect_eq "the installed binary is executable by all, the rest readable" "755 644 644 644 644" \
  "$(cd "$inst/usr" && stat -c %a bin/marginwatch share/man/man1/marginwatch.1 share/bash-completion/completions/marginwatch \
     share/zsh/site-functions/_marginwatch share/fish/vendor_completions.d/marginwatch.fish 2>&1 | tr '\n' ' ' | sed 's/ $//')"
page=$(cat "$inst/usr/share/man/man1/marginwatch.1" 2>/dev/null)
expect_contains "man page: an mdoc page in section 1" ".Dt MARGINWATCH 1" "$page"
for command in watch replay snapshot stress record; do
  expect_contains "man page: the $command command" ".It Em $command" "$page"
done
expect_contains "man page: the exit codes" "Exit codes: 0 ok, 3 --fail-on level reached, 64 bad usage" "$page"
expect_contains "man page: what the margin ratio means" "Margin ratio = equity / maintenance margin" "$page"
expect_eq "man page: no blank line (mdoc would warn)" 0 "$(grep -c '^$' <<<"$page")"
if command -v man >/dev/null 2>&1; then
  rendered=$(MANWIDTH=100 man -l "$inst/usr/share/man/man1/marginwatch.1" 2>&1)
  expect_contains "man -l renders it" "EXIT STATUS" "$rendered"
  # (groff's own warnings read "FILE:LINE: warning: …"; the page itself may use the word.)
  expect_eq "man -l: no warning" "" "$(grep -iE '(^|: )warning:' <<<"$rendered")"
else
  echo "  (man is not installed: the page is checked as text only)"
fi
expect_contains "bash completion installed" "complete -o filenames -F _marginwatch marginwatch" \
  "$(cat "$inst/usr/share/bash-completion/completions/marginwatch" 2>&1)"
expect_contains "zsh completion installed" "#compdef marginwatch" "$(cat "$inst/usr/share/zsh/site-functions/_marginwatch" 2>&1)"
expect_contains "fish completion installed" "complete -c 'marginwatch'" \
  "$(cat "$inst/usr/share/fish/vendor_completions.d/marginwatch.fish" 2>&1)"
expect_contains "install.sh says what it installed" "$inst/usr/share/man/man1/marginwatch.1" "$(cat "$inst/log")"
expect_contains "install.sh: a PREFIX/bin not on PATH gets a hint" "$inst/usr/bin is not on your PATH" "$(cat "$inst/log")"
before=$(cd "$inst/usr" && find . -type f -exec md5sum {} + | sort)
(cd "$inst" && "$OLDPWD/Scripts/install.sh" usr >"$inst/log2" 2>&1)
expect_eq "install.sh again, with PREFIX relative to where it is run: exit 0, the same files" "0 $before" \
  "$? $(cd "$inst/usr" && find . -type f -exec md5sum {} + | sort)"
rm -rf "$inst"

echo "bad portfolio catalogue"
while IFS=$'\t' read -r file code message; do
  path=$FIX/bad/$file
  run_mw snapshot --portfolio "$path"
  expected="marginwatch: error: ${message//FILE/$path}"
  if [ "$CODE" == "$code" ] && [ "$ERR" == "$expected" ] && [ -z "$OUT" ]; then
    pass "$file: exit $code, one line naming the place"
  else
    fail "$file" "exit $CODE (want $code); stderr [$ERR]; want [$expected]; stdout [${OUT:0:80}]"
  fi
done <$FIX/bad-portfolios.tsv

echo "absurd magnitudes"
huge=$(mktemp -d)
run_mw snapshot --mark BTCUSDT=1e308
expect_eq "--mark 1e308: usage (64)" 64 "$CODE"
expect_contains "--mark 1e308: the bound said" "price must be a positive number of at most 1e15" "$ERR"
printf 'account: {wallet: 1000}\npositions:\n  - {symbol: BTCUSDT, side: long, size: 1e300, entry: 60000, leverage: 5}\n' >"$huge/huge.yaml"
run_mw snapshot --portfolio "$huge/huge.yaml"
expect_eq "size 1e300: invalid content (65)" 65 "$CODE"
expect_contains "size 1e300: the place and the bound" "huge.yaml:3:41: positions[0].size must be at most 1e15 in size (got 1e300)" "$ERR"
run_mw stress --shocks 1e300
expect_eq "--shocks 1e300: usage (64)" 64 "$CODE"
rm -rf "$huge"

summary
