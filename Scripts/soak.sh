#!/usr/bin/env bash
# Soak test of the monitor: runs two real monitors in tmux for MINUTES (default 30) —
#   1. the demo on the simulated feed at 3600x (an hour of market every second), and
#   2. a replay of the two 2022 freqtrade tapes at 86400x (about 7 minutes end to end), sent
#      back to the start with `g` whenever the tape has ended (so it loops, and the restart
#      path is exercised again and again),
# sampling each process's RSS, open descriptors and CPU every 10 s. After a warm-up (the first
# 10 minutes: longer than one pass of the replay, whose first pass fills the alert log and the
# step history) memory must stay within 2 MB and descriptors must not grow; otherwise exit 1.
# usage: Scripts/soak.sh [MINUTES]   (release build; writes a table to .build/soak-<name>.tsv)
set -uo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
set +e
minutes=${1:-30}
swift build -c release --product marginwatch >/dev/null 2>&1 || { echo "soak: release build failed" >&2; exit 1; }
MW=$(pwd)/.build/release/marginwatch
TAPES=$(pwd)/Tests/Fixtures/tapes
BOOK=$(pwd)/Tests/Fixtures/books/leveraged-longs-2022.yaml
SOCK=mw-soak-$$
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT

tm -f /dev/null new-session -d -s demo -x 120 -y 40 -e LANG=C.UTF-8 "$MW watch --speed 3600"
tm new-session -d -s replay -x 120 -y 40 -e LANG=C.UTF-8 \
  "$MW replay $TAPES/freqtrade_binance_BTC_USDT-1h.json $TAPES/freqtrade_binance_ETH_USDT-1h.json --portfolio $BOOK --speed 86400"
sleep 2
pid_of() { pgrep -f "^$MW $1" | head -1; }
demo=$(pid_of "watch"); replay=$(pid_of "replay")
[ -n "$demo" ] && [ -n "$replay" ] || { echo "soak: the monitors did not start" >&2; exit 1; }
hz=$(getconf CLK_TCK)
mkdir -p .build
for name in demo replay; do printf 'seconds\trss_kb\tfds\tcpu_ticks\n' > ".build/soak-$name.tsv"; done
sample() {  # NAME PID SECONDS
  local rss fds cpu
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$2/status" 2>/dev/null) || return 1
  fds=$(ls "/proc/$2/fd" 2>/dev/null | wc -l)
  cpu=$(awk '{print $14 + $15}' "/proc/$2/stat")
  printf '%s\t%s\t%s\t%s\n' "$3" "$rss" "$fds" "$cpu" >> ".build/soak-$1.tsv"
}
end=$(( $(date +%s) + minutes * 60 )); start=$(date +%s); loops=0
while [ "$(date +%s)" -lt "$end" ]; do
  t=$(( $(date +%s) - start ))
  sample demo "$demo" "$t" || { echo "soak: the demo monitor died at ${t}s" >&2; exit 1; }
  sample replay "$replay" "$t" || { echo "soak: the replay monitor died at ${t}s" >&2; exit 1; }
  if tm capture-pane -p -t replay | grep -qF "TAPE ENDED"; then
    tm send-keys -t replay g; tm send-keys -t replay -l 2022-01-01; tm send-keys -t replay Enter; tm send-keys -t replay ' '
    loops=$((loops + 1))
  fi
  sleep 10
done
tm send-keys -t demo q; tm send-keys -t replay q; sleep 1
echo "soak: the replay went back to the start $loops times"

status=0
for name in demo replay; do
  python3 - ".build/soak-$name.tsv" "$name" "$hz" "$minutes" <<'PY' || status=1
import sys
path, name, hz, minutes = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
rows = [list(map(int, l.split("\t"))) for l in open(path).read().splitlines()[1:]]
warm = [r for r in rows if r[0] >= min(600, minutes * 60 / 3)] or rows[-1:]
rss = [r[1] for r in warm]; fds = [r[2] for r in warm]
cpu = 100 * (rows[-1][3] - rows[0][3]) / hz / max(1, rows[-1][0] - rows[0][0])
growth = (max(rss) - min(rss)) / 1024
series = " ".join(f"{r[1] / 1024:.1f}" for r in rows[::30])
print(f"soak {name}: RSS MB every 5 min: {series}")
print(f"soak {name}: {len(rows)} samples over {rows[-1][0] / 60:.1f} min; after warm-up RSS {min(rss) / 1024:.1f}–{max(rss) / 1024:.1f} MB "
      f"(spread {growth:.2f} MB), descriptors {min(fds)}–{max(fds)}, CPU {cpu:.1f}% of a core")
ok = growth <= 2.0 and max(fds) == min(fds)
if not ok:
    print(f"soak {name}: FAILED (memory spread over 2 MB or descriptors changed)")
sys.exit(0 if ok else 1)
PY
done
exit $status
