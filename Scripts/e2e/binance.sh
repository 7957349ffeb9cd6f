#!/usr/bin/env bash
# End-to-end checks of the Binance side against the fake exchange of Tests/FakeBinance on
# 127.0.0.1 (nothing here talks to the real Binance): import binance, --brackets, snapshot and
# stress --account binance with every failure's exit code, and the monitor in tmux — the mark on
# screen is the frame sent, a dropped connection shows RECONNECTING then LIVE with the next
# price, a resized position is logged — and the secret in no output and no file written.
set -u
cd "$(dirname "$0")/../.."
source Scripts/lib.sh
MW=$(pwd)/${MW:-.build/debug/marginwatch}
ROOT=$(pwd)
FIX=$ROOT/Tests/Fixtures/binance
TMP=$(mktemp -d)
source Scripts/tmux-lib.sh
SECRET=e2e-secret-that-must-never-show-$$
KEY=e2e-key-not-to-be-shown-$$
python3 Tests/FakeBinance/fake_binance.py --fixtures "$FIX" --port-file "$TMP/port" --key "$KEY" --secret "$SECRET" \
  --interval 0.2 >"$TMP/fake.log" 2>&1 &
FAKE=$!
trap 'kill $FAKE 2>/dev/null; tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$TMP/port")
BASE=http://127.0.0.1:$PORT
control() { curl -s "$BASE/_control?$1" >/dev/null; }
export MARGINWATCH_BINANCE_REST=$BASE MARGINWATCH_BINANCE_WS=ws://127.0.0.1:$PORT BINANCE_API_KEY=$KEY BINANCE_API_SECRET=$SECRET

echo "import binance: a portfolio from saved answers"
run_mw import binance --account "$FIX/account.json" --positions "$FIX/positionRisk.json" --brackets "$FIX/leverageBracket.json"
expect_eq "exit 0" 0 "$CODE"
printf '%s\n' "$OUT" >"$TMP/imported.yaml"
run_mw snapshot --portfolio "$TMP/imported.yaml" --json
expect_eq "the imported file is a portfolio marginwatch reads" 0 "$CODE"
expect_eq "its wallet is the USDT cross wallet and its positions the open ones" "10000 BTCUSDT,ETHUSDT,SOLUSDT" \
  "$(printf '%s' "$OUT" | python3 -c "import json,sys; d=json.load(sys.stdin); print('%g' % d['account']['wallet'], ','.join(p['symbol'] for p in d['positions']))")"
run_mw import binance --account "$FIX/account.json" --positions "$FIX/positionRisk-hedge.json" --brackets "$FIX/leverageBracket.json"
expect_eq "hedge mode: exit 65" 65 "$CODE"
expect_contains "hedge mode is refused naming the file and field" "positionRisk-hedge.json: [0].positionSide: LONG: the account is in hedge mode" "$ERR"
run_mw import binance --account "$FIX/account.json" --positions "$FIX/positionRisk.json" --brackets "$FIX/leverageBracket-bad.json"
expect_contains "bad brackets name the field" "leverageBracket-bad.json: [0].brackets[0].notionalFloor: the first bracket must start at 0" "$ERR"
run_mw import binance --account "$TMP" --positions "$FIX/positionRisk.json" --brackets "$FIX/leverageBracket.json"
expect_eq "a directory as a file: exit 66" 66 "$CODE"

echo "--brackets FILE: the exchange's tables for any symbol"
cat >"$TMP/sol.yaml" <<'YAML'
account: {wallet: 2000}
positions:
  - {symbol: SOLUSDT, side: long, size: 100, entry: 150, leverage: 10}
YAML
run_mw snapshot --portfolio "$TMP/sol.yaml"
expect_eq "without --brackets SOLUSDT has no table: exit 65" 65 "$CODE"
run_mw snapshot --portfolio "$TMP/sol.yaml" --brackets "$FIX/leverageBracket.json" --json
expect_eq "with --brackets: exit 0" 0 "$CODE"
expect_eq "SOLUSDT's MM is the exchange's tier (15,000 notional: 1.5% less 50)" "175" \
  "$(printf '%s' "$OUT" | python3 -c "import json,sys; print('%g' % json.load(sys.stdin)['positions'][0]['maintenance_margin'])")"
run_mw stress --portfolio "$TMP/sol.yaml" --brackets "$FIX/leverageBracket.json"
expect_eq "stress takes --brackets too" 0 "$CODE"

echo "snapshot / stress --account binance"
run_mw snapshot --account binance --json
expect_eq "exit 0" 0 "$CODE"
printf '%s' "$OUT" >"$TMP/account.json"
expect_eq "each position has the exchange's liquidation price beside ours, flagged beyond 0.5%" \
  "BTCUSDT 39315.2 False|ETHUSDT 5200 True|SOLUSDT 136.55 False" \
  "$(python3 -c "import json; d=json.load(open('$TMP/account.json')); print('|'.join(f\"{p['symbol']} {p['exchange_liquidation_price']:g} {p['exchange_liquidation_note'] is not None}\" for p in d['positions']))")"
run_mw snapshot --account binance
expect_contains "the text report lists them, saying which way ours errs" \
  "ETHUSDT short: exchange 5,200.00, marginwatch 5,149.45 -0.97% (ours nearer the mark) — differs" "$OUT"
run_mw snapshot --account binance --mark BTCUSDT=50000 --json
expect_eq "--mark still overrides the exchange's mark" "50000" \
  "$(printf '%s' "$OUT" | python3 -c "import json,sys; print('%g' % json.load(sys.stdin)['positions'][0]['mark'])")"
run_mw stress --account binance --json
expect_eq "stress --account binance: exit 0" 0 "$CODE"
BINANCE_API_SECRET=wrong run_mw snapshot --account binance
expect_eq "a bad signature is a refused key: exit 64" 64 "$CODE"
control rest=401; run_mw snapshot --account binance
expect_eq "401: exit 64" 64 "$CODE"
expect_contains "401 says so in one line" "Binance refused the API key: Invalid API-key" "$ERR"
control rest=429; run_mw snapshot --account binance
expect_eq "429: exit 1" 1 "$CODE"
expect_contains "429 says when to retry" "retry after 7 s" "$ERR"
control rest=500; run_mw stress --account binance
expect_eq "500: exit 1" 1 "$CODE"
control rest=skew; run_mw snapshot --account binance --json
expect_eq "-1021: the clock is measured again and the read succeeds" 0 "$CODE"
control rest=ok
env -u BINANCE_API_SECRET "$MW" snapshot --account binance >/dev/null 2>"$TMP/err"
expect_eq "no key in the environment: exit 64" 64 "$?"
MARGINWATCH_BINANCE_REST=ftp://x run_mw snapshot --account binance
expect_eq "a base URL of another scheme: exit 64" 64 "$CODE"
MARGINWATCH_BINANCE_REST=http://127.0.0.1:1 run_mw snapshot --account binance
expect_eq "nothing listening: exit 1" 1 "$CODE"
expect_contains "and it says where" "cannot reach Binance: http://127.0.0.1:1/fapi/v1/time: connection refused" "$ERR"
run_mw watch --account binance --feed sim
expect_eq "--account binance with --feed sim: exit 64" 64 "$CODE"
BINANCE_API_KEY=$'K3Y-with-a-CR\r' run_mw snapshot --account binance
expect_eq "a key with a stray CR (a Windows .env): exit 64" 64 "$CODE"
case "$ERR" in *K3Y*) fail "... and the key is not in the message" "$ERR" ;; *) pass "... and the key is not in the message" ;; esac
MARGINWATCH_BINANCE_REST=http://example.com run_mw snapshot --account binance
expect_eq "cleartext http to another machine is refused: exit 64" 64 "$CODE"

bad_before=$(curl -s "$BASE/_state" | python3 -c "import json,sys; print(json.load(sys.stdin)['bad_signatures'])")

echo "watch --account binance in tmux"
control "price=BTCUSDT:62345.6&price=ETHUSDT:2901.25&price=SOLUSDT:141.5"
# A hook that keeps its environment: the key pair must not be in it.
printf '#!/bin/sh\nenv > "%s/hook-env.txt"\n' "$TMP" >"$TMP/hook"; chmod +x "$TMP/hook"
start 120 40 "$MW watch --account binance --refresh 1 --record $TMP/live.csv --journal $TMP/live.jsonl --on-alert $TMP/hook" \
  MARGINWATCH_BINANCE_REST=$BASE MARGINWATCH_BINANCE_WS=ws://127.0.0.1:$PORT BINANCE_API_KEY=$KEY BINANCE_API_SECRET=$SECRET
NAME="the mark on screen is the frame sent"; check wait_for "62,345.60" 10
NAME="the status line says LIVE"; check wait_for "● LIVE" 5
control "price=BTCUSDT:61000.5"
NAME="a new price shows"; check wait_for "61,000.50" 5
# Dropped, and new streams refused for 3 s: the reconnection attempts are on screen meanwhile.
control "refuse=3&drop=1"
NAME="a dropped connection shows RECONNECTING"; check wait_for "RECONNECTING" 5
NAME="... with why the last attempt failed"; check wait_for "the server answered 503" 5
control "price=BTCUSDT:60500.25"
NAME="then LIVE again with the next price"; check wait_for "60,500.25" 10
NAME="... and LIVE on the status line"; check wait_for "● LIVE" 5
control "positions=$FIX/positionRisk-resized.json"
NAME="a resized position is logged"; check wait_for "resized BTCUSDT long 0.5 → 1" 8
NAME="a closed one too"; check wait_for "closed ETHUSDT short 5" 3
tm send-keys -t mw Enter
NAME="details: the exchange's liquidation price beside ours"; check wait_for "liquidation, exchange" 5
NAME="details: the funding rate and payment"; check wait_for "+0.0100%" 3
control rest=401
NAME="a refused key while watching is said, the monitor goes on"; check wait_for "refused the API key" 8
control "ws=silent"
NAME="a silent stream is STALE"; check wait_for "STALE" 8
control "ws=normal&rest=ok"
tm send-keys -t mw q
NAME="q quits"; check wait_dead 8
expect_eq "exit 0" 0 "$(exit_status)"
expect_contains "the recording holds the prices received" "60500.25" "$(cat "$TMP/live.csv" 2>/dev/null)"

echo "the key pair in no output, no file and no program run"
expect_contains "the hook ran" "MW_EVENT" "$(cat "$TMP/hook-env.txt" 2>/dev/null)"
case "$(cat "$TMP/hook-env.txt" 2>/dev/null)" in *BINANCE_API*) fail "the hook's environment has no BINANCE_API_ variable" ;;
  *) pass "the hook's environment has no BINANCE_API_ variable" ;; esac
leaks=$(grep -rlF -e "$SECRET" -e "$KEY" "$TMP" --exclude=port --exclude=fake.log --exclude=hook 2>/dev/null || true)
expect_eq "no file written by marginwatch holds the key or the secret" "" "$leaks"
SCREEN=$(tm capture-pane -p -t mw -S - 2>/dev/null)
case "$SCREEN" in *"$SECRET"*|*"$KEY"*) fail "the screen never shows the key or the secret" ;; *) pass "the screen never shows the key or the secret" ;; esac
requests=$(curl -s "$BASE/_state")
case "$requests" in *"$SECRET"*) fail "no request carried the secret" ;; *) pass "no request carried the secret" ;; esac
expect_eq "every signed request of the monitor's checked out" "$bad_before" \
  "$(printf '%s' "$requests" | python3 -c "import json,sys; print(json.load(sys.stdin)['bad_signatures'])")"
summary
