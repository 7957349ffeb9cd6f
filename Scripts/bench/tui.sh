#!/usr/bin/env bash
# The monitor's own figures, measured on the real binary in a terminal (tmux, script):
# CPU and memory while watching the demo, time to the first frame, bytes sent to the terminal
# per second (only changed cells), and how fast a key is answered during a replay at max speed.
# usage: Scripts/bench/tui.sh MARGINWATCH TAPE WATCH_SECONDS
set -euo pipefail
MW=$(realpath "$1"); TAPE=$2; SECONDS_WATCHED=${3:-30}
SOCK=mw-bench-$$
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null || true' EXIT
now_ms() { date +%s%3N; }

echo "watching the demo for ${SECONDS_WATCHED}s (default refresh):"
tm -f /dev/null new-session -d -s mw -x 100 -y 30 -e LANG=C.UTF-8 "$MW"
for _ in $(seq 50); do pid=$(pgrep -f "^$MW$" | head -1 || true); [ -n "$pid" ] && break; sleep 0.1; done
sleep 1
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
t0=$(ticks); w0=$(now_ms)
sleep "$SECONDS_WATCHED"
t1=$(ticks); w1=$(now_ms)
hz=$(getconf CLK_TCK)
cpu=$(python3 -c "print(f'{100 * ($t1 - $t0) / $hz / (($w1 - $w0) / 1000):.2f}')")
rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
echo "  CPU ${cpu}% of one core on average, peak RSS ${rss} MB"
tm kill-server

echo "time to the first frame (tmux, polled every 2 ms; best and median of 7):"
times=()
for k in $(seq 7); do
  # A server of its own each time: a new one on a socket whose old server is still shutting
  # down can die with it ("server exited unexpectedly").
  SOCK=mw-bench-$$-$k
  start=$(now_ms)
  tm -f /dev/null new-session -d -s mw -x 100 -y 30 -e LANG=C.UTF-8 "$MW"
  until tm capture-pane -p -t mw 2>/dev/null | grep -q "Margin ratio"; do sleep 0.002; done
  times+=($(( $(now_ms) - start )))
  tm kill-server
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "  best ${sorted[0]} ms, median ${sorted[3]} ms (including tmux starting a server)"

echo "bytes sent to the terminal (script, 100x30, 10 s):"
out=$(mktemp)
timeout -s TERM 10 script -q -c "stty rows 30 cols 100; LANG=C.UTF-8 TERM=xterm-256color $MW" "$out" >/dev/null 2>&1 </dev/null || true
bytes=$(stat -c %s "$out")
echo "  $bytes bytes in 10 s = $(( bytes / 10 )) B/s; a full 100x30 screen is about 3,000+ bytes, redrawn 4 times a second would be 12,000+ B/s"
rm -f "$out"

echo "answering a key during a replay at max speed ($(basename "$TAPE")):"
SOCK=mw-bench-$$-key
tm -f /dev/null new-session -d -s mw -x 100 -y 30 -e LANG=C.UTF-8 "$MW replay $TAPE --speed max"
until tm capture-pane -p -t mw 2>/dev/null | grep -q "REPLAY"; do sleep 0.01; done
sleep 0.5
start=$(now_ms)
tm send-keys -t mw '?'
until tm capture-pane -p -t mw | grep -q "┌─ keys"; do sleep 0.002; done
echo "  help shown $(( $(now_ms) - start )) ms after the key (tape still $(tm capture-pane -p -t mw | grep -q 'TAPE ENDED' && echo ended || echo running))"
tm kill-server
