#!/usr/bin/env bash
# End-to-end checks of where events go besides the timeline: --on-alert (every event, in order,
# every variable, nothing ever through a shell), --webhook against servers of our own on
# 127.0.0.1 (one that answers, a closed port, one that answers 500; a server that hangs is
# DeliveryTests' job, with short timeouts),
# --notify without notify-send, and --journal read back by marginwatch journal.
set -u
cd "$(dirname "$0")/../.."
source Scripts/lib.sh
MW=${MW:-.build/debug/marginwatch}
TAPES=Tests/Fixtures/tapes
BOOKS=Tests/Fixtures/books
TMP=$(mktemp -d)
SERVERS=()
trap 'for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT
PAIR=("$TAPES/freqtrade_binance_BTC_USDT-1h.json" "$TAPES/freqtrade_binance_ETH_USDT-1h.json")
REPLAY=(replay "${PAIR[@]}" --portfolio $BOOKS/stopped-longs-2022.yaml --from 2022-11-01 --headless --json)

# A hook that keeps, per event, every MW_ variable and its standard input (as JSON lines).
cat >"$TMP/hook" <<'EOF'
#!/usr/bin/env python3
import json, os, sys
record = {k: v for k, v in os.environ.items() if k.startswith("MW_")}
record["stdin"] = sys.stdin.read()
with open(os.environ["HOOK_OUT"], "a") as f:
    f.write(json.dumps(record) + "\n")
EOF
chmod +x "$TMP/hook"

echo "--on-alert: every event, in order, every variable"
export HOOK_OUT=$TMP/hook.jsonl
"$MW" "${REPLAY[@]}" --on-alert "$TMP/hook" >"$TMP/timeline.jsonl" 2>"$TMP/err"
expect_eq "the replay still exits 0" 0 "$?"
python3 - "$TMP/timeline.jsonl" "$TMP/hook.jsonl" >"$TMP/compare" 2>&1 <<'EOF'
import json, sys
events = [l for l in open(sys.argv[1]).read().splitlines() if '"type": "summary"' not in l]
hooks = [json.loads(l) for l in open(sys.argv[2])]
kinds = {"alert": None, "stop_loss": "stop", "soft_stop": "soft_stop", "liquidation": "liquidation"}
problems = []
for i, (line, h) in enumerate(zip(events, hooks)):
    e = json.loads(line)
    if h["stdin"].strip() != line: problems.append(f"{i}: stdin {h['stdin']!r} != {line!r}")
    kind = ("alert" if e["state"] == "raised" else "cleared") if e["type"] == "alert" else kinds[e["type"]]
    if h["MW_EVENT"] != kind: problems.append(f"{i}: MW_EVENT {h['MW_EVENT']} != {kind}")
    if h["MW_TIME"] != e["time"]: problems.append(f"{i}: MW_TIME {h['MW_TIME']} != {e['time']}")
    if h["MW_SYMBOL"] != (e.get("symbol") or ""): problems.append(f"{i}: MW_SYMBOL")
    if e["type"] == "alert":
        if h["MW_RULE"] != e["rule"] or h["MW_LEVEL"] != e["level"]: problems.append(f"{i}: rule/level")
        if float(h["MW_VALUE"]) != e["value"] or float(h["MW_THRESHOLD"]) != e["threshold"]: problems.append(f"{i}: value/threshold")
    for k in ["MW_MESSAGE", "MW_PORTFOLIO", "MW_LEVEL", "MW_RULE", "MW_VALUE", "MW_THRESHOLD"]:
        if k not in h or (k != "MW_SYMBOL" and h[k] == ""): problems.append(f"{i}: {k} missing")
print(len(events), len(hooks), "ok" if not problems and len(events) == len(hooks) else problems[:5])
EOF
read -r n_events n_hooks verdict <"$TMP/compare"
expect_eq "one hook run per event ($n_events events)" "$n_events" "$n_hooks"
expect_eq "each run has the event's JSON on stdin and its MW_ variables" "ok" "$verdict"
expect_eq "a stop-loss's MW_THRESHOLD is the stop price" "19500" \
  "$(python3 -c "import json; print([json.loads(l)['MW_THRESHOLD'] for l in open('$TMP/hook.jsonl') if 'MW_EVENT\": \"stop' in l][0])")"

echo "--on-alert: data never reaches a shell"
mkdir -p "$TMP/bin"
printf '#!/bin/sh\ntouch "%s/PWNED"\n' "$TMP" >"$TMP/bin/PWN"
chmod +x "$TMP/bin/PWN"
cat >"$TMP/hostile.yaml" <<'EOF'
account: {wallet: 3}
positions:
  - {symbol: "$(PWN)`PWN`'\";PWN", side: long, size: 1, entry: 100, leverage: 50}
instruments:
  "$(PWN)`PWN`'\";PWN": {maintenance_rate: 0.01}
EOF
printf 'time,symbol,price\n1700000000000,$(PWN)`PWN`'"'"'";PWN,100\n1700000060000,$(PWN)`PWN`'"'"'";PWN,97\n' >"$TMP/hostile.csv"
rm -f "$TMP/hook.jsonl"
PATH="$TMP/bin:$PATH" "$MW" replay "$TMP/hostile.csv" --portfolio "$TMP/hostile.yaml" --headless \
  --on-alert "$TMP/hook" >/dev/null 2>"$TMP/err"
[ -e "$TMP/PWNED" ] && fail "a hostile symbol is never run" || pass "a hostile symbol is never run"
expect_eq "...and arrives verbatim in MW_SYMBOL" "\$(PWN)\`PWN\`'\";PWN" \
  "$(python3 -c "import json; print(json.loads(open('$TMP/hook.jsonl').readline())['MW_SYMBOL'])")"

echo "--on-alert: refusals and failures"
run_mw "${REPLAY[@]}" --on-alert "$TMP/no-such-hook"
expect_eq "a hook that does not exist: usage (64)" 64 "$CODE"
expect_contains "...named" "--on-alert $TMP/no-such-hook: no such program, or not executable" "$ERR"
printf '#!/bin/sh\necho "pager down" >&2\nexit 3\n' >"$TMP/failing"
chmod +x "$TMP/failing"
run_mw "${REPLAY[@]}" --on-alert "$TMP/failing"
expect_eq "a failing hook does not stop the replay" 0 "$CODE"
expect_contains "...each failure is said on stderr, with its first line" "hook failing exited 3: pager down" "$ERR"
echo "--notify without notify-send"
mkdir -p "$TMP/empty"
out=$(PATH="$TMP/empty" "$(pwd)/$MW" "${REPLAY[@]}" --notify 2>&1 >/dev/null </dev/null | head -1)
expect_contains "one line saying it is missing" "--notify: notify-send is not installed" "$out"

echo "--webhook: loopback servers"
cat >"$TMP/server.py" <<'EOF'
import http.server, sys, time, json
mode, port_file, log = sys.argv[1], sys.argv[2], sys.argv[3]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(log, "a") as f:
            f.write(json.dumps({"type": self.headers["Content-Type"], "body": body.decode()}) + "\n")
        if mode == "hang": time.sleep(30)
        self.send_response(500 if mode == "fail" else 200)
        self.end_headers()
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(port_file, "w").write(str(s.server_address[1]))
s.serve_forever()
EOF
serve() {  # serve MODE NAME: starts a server, sets PORT
  python3 "$TMP/server.py" "$1" "$TMP/$2.port" "$TMP/$2.log" &
  SERVERS+=($!)
  for _ in $(seq 50); do [ -s "$TMP/$2.port" ] && break; sleep 0.1; done
  PORT=$(cat "$TMP/$2.port")
}
serve ok ok
run_mw replay "$TMP/hostile.csv" --portfolio "$TMP/hostile.yaml" --headless --json --webhook "http://127.0.0.1:$PORT/hook"
expect_eq "the replay exits 0" 0 "$CODE"
expect_eq "the server received each event as application/json" "$(grep -vc '"type": "summary"' <<<"$OUT")" \
  "$(grep -c 'application/json' "$TMP/ok.log")"
expect_eq "...the body is the event's JSON line" "$(head -1 <<<"$OUT")" "$(python3 -c "import json; print(json.loads(open('$TMP/ok.log').readline())['body'])")"
serve fail fail
run_mw replay "$TMP/hostile.csv" --portfolio "$TMP/hostile.yaml" --headless --webhook "http://127.0.0.1:$PORT/hook"
expect_eq "a server answering 500: the replay still exits 0" 0 "$CODE"
expect_contains "...said, after the retries, naming the server and the event" "webhook 127.0.0.1: HTTP 500 (after 4 attempts) (alert " "$ERR"
expect_eq "...four attempts per event" "$(( 4 * $(grep -c 'webhook' <<<"$ERR") ))" "$(wc -l <"$TMP/fail.log" | tr -d ' ')"
# A port nobody listens on: the connection is refused at once.
run_mw replay "$TMP/hostile.csv" --portfolio "$TMP/hostile.yaml" --headless --webhook "http://127.0.0.1:9/hook"
expect_eq "a refused connection: the replay still exits 0" 0 "$CODE"
expect_contains "...said" "webhook 127.0.0.1: connection refused (after 4 attempts)" "$ERR"
run_mw replay "$TMP/hostile.csv" --portfolio "$TMP/hostile.yaml" --headless --webhook "ftp://127.0.0.1/x"
expect_eq "a URL that is not http: usage (64)" 64 "$CODE"

echo "--journal: written as it goes, read back"
rm -f "$TMP/j.jsonl"
run_mw "${REPLAY[@]}" --journal "$TMP/j.jsonl"
replay_events=$(grep -v '"type": "summary"' <<<"$OUT")
run_mw journal "$TMP/j.jsonl" --json
expect_eq "journal --json lists exactly the events the replay printed" "$replay_events" "$(grep -v '"type": "summary"' <<<"$OUT")"
expect_contains "...then a summary" '"type": "summary", "sessions": 1' "$OUT"
expect_eq "the journal starts with the session line" "session" \
  "$(python3 -c "import json; print(json.loads(open('$TMP/j.jsonl').readline())['type'])")"
expect_contains "samples of the account are kept" '"type": "sample"' "$(cat "$TMP/j.jsonl")"
run_mw "${REPLAY[@]}" --journal "$TMP/j.jsonl"
printf '{"type": "event", "event": "alert", "time": "2022-11-0' >>"$TMP/j.jsonl"
run_mw journal "$TMP/j.jsonl"
expect_contains "two sessions append to one journal" "Sessions               2" "$OUT"
expect_contains "a cut line is skipped with a warning naming it" "j.jsonl:$(( $(wc -l <"$TMP/j.jsonl") + 1 )): skipped" "$ERR"
run_mw journal "$TMP/j.jsonl" --from 2022-11-08T05:00 --to 2022-11-08T06:00
expect_contains "--from/--to keep a window" "stop-loss    CRITICAL  BTCUSDT" "$OUT"
run_mw replay "${PAIR[@]}" --portfolio $BOOKS/stopped-longs-2022.yaml --from 2022-11-01 --headless --journal "$TMP/j2.jsonl"
lowest=$(grep 'Lowest margin ratio' <<<"$OUT")
run_mw journal "$TMP/j2.jsonl"
expect_contains "the journal's lowest margin ratio is the replay's (${lowest##* ratio })" "$lowest" "$OUT"
run_mw "${REPLAY[@]}"
printf '%s\n' "$OUT" >"$TMP/replay-output.jsonl"
run_mw journal "$TMP/replay-output.jsonl"
expect_eq "a replay's --json output is no journal: 65" 65 "$CODE"
run_mw journal "$TMP/no-such.jsonl"
expect_eq "a journal that is not there: 66" 66 "$CODE"

echo "--svg: the replay as a picture"
LIQ=(replay "${PAIR[@]}" --portfolio $BOOKS/leveraged-longs-2022.yaml --from 2022-11-01 --headless)
run_mw "${LIQ[@]}" --json --svg "$TMP/r.svg"
expect_eq "the replay exits 0" 0 "$CODE"
raised=$(grep -c '"state": "raised"\|"type": "stop_loss"\|"type": "soft_stop"\|"type": "liquidation"' <<<"$OUT")
markers=$(python3 -c "
import xml.etree.ElementTree as ET
r = ET.parse('$TMP/r.svg').getroot()
print(sum(1 for g in r.iter('{http://www.w3.org/2000/svg}g') if g.get('class') == 'marker'))" 2>&1)
expect_eq "the SVG parses as XML and holds a marker per alert raised, stop, soft stop and liquidation" "$raised" "$markers"
expect_contains "...with the liquidation labelled" "LIQUIDATED" "$(cat "$TMP/r.svg")"
expect_contains "...the levels drawn" "warn 2.00" "$(cat "$TMP/r.svg")"
run_mw replay "${PAIR[@]}" --portfolio $BOOKS/leveraged-longs-2022.yaml --svg "$TMP/x.svg"
expect_eq "--svg without --headless: usage (64)" 64 "$CODE"
run_mw "${LIQ[@]}" --svg "$TMP/no-such-dir/r.svg"
expect_eq "an SVG that cannot be written: 66" 66 "$CODE"
echo old >"$TMP/old.svg"
run_mw "${LIQ[@]}" --svg "$TMP/old.svg"
expect_eq "an existing SVG is replaced" "0 <?xml" "$CODE $(head -c 5 "$TMP/old.svg")"
mkdir -p "$TMP/dir.svg/sub"; echo keep >"$TMP/dir.svg/sub/keep"
run_mw "${LIQ[@]}" --svg "$TMP/dir.svg"
expect_eq "a directory is never written over (66, its files kept)" "66 keep" "$CODE $(cat "$TMP/dir.svg/sub/keep")"
cp "$TMP/hostile.csv" "$TMP/tape-copy.csv"
run_mw replay "$TMP/tape-copy.csv" --portfolio "$TMP/hostile.yaml" --headless --svg "$TMP/tape-copy.csv"
expect_eq "the tape being read is never the output (64, the tape kept)" "64 $(wc -c <"$TMP/hostile.csv")" "$CODE $(wc -c <"$TMP/tape-copy.csv")"
run_mw "${REPLAY[@]}" --on-alert sh
expect_eq "a shell as the hook is refused: it would run the JSON (64)" 64 "$CODE"

summary
