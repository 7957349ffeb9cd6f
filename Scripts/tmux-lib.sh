# tmux helpers for the end-to-end scripts that drive the monitor: a private tmux server per run,
# screen capture and polling. Sourced after Scripts/lib.sh, with ROOT and TMP set; kills its
# server on exit.
RUN=0
SOCK=mw-e2e-$$-0
CONF=$TMP/tmux.conf
printf 'set -g remain-on-exit on\nset -g default-terminal tmux-256color\nset -g default-shell /bin/bash\n' >"$CONF"
tm() { tmux -L "$SOCK" "$@"; }

# start W H COMMAND [ENV=VALUE...]: a fresh tmux server running COMMAND in a W×H terminal;
# the command's exit status is printed after it as EXIT=N (tmux 3.3 leaves #{pane_dead_status} empty).
start() {
  local w=$1 h=$2 cmd=$3; shift 3
  local envs=(-e LANG=C.UTF-8)
  for e in "$@"; do envs+=(-e "$e"); done
  tm kill-server 2>/dev/null
  RUN=$((RUN + 1))
  SOCK=mw-e2e-$$-$RUN
  # (The short sleep keeps the pane alive while tmux takes in the last output: a pane that dies
  # at once can lose its last lines.)
  tm -f "$CONF" new-session -d -s mw -x "$w" -y "$h" "${envs[@]}" "cd $ROOT && $cmd; echo EXIT=\$?; sleep 0.3"
}
exit_status() { tm capture-pane -p -t mw -S - | sed -n 's/^EXIT=//p' | tail -1; }
screen_text() { tm capture-pane -p -t mw; }
screen_colours() { tm capture-pane -p -e -t mw; }
pane() { tm display -p -t mw "$1"; }
# wait_for TEXT [SECONDS]: polls the screen until TEXT shows; false on timeout.
wait_for() {
  local deadline=$(( $(date +%s%N) + ${2:-10} * 1000000000 ))
  while [ "$(date +%s%N)" -lt "$deadline" ]; do
    screen_text | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  return 1
}
wait_gone() {
  local deadline=$(( $(date +%s%N) + ${2:-5} * 1000000000 ))
  while [ "$(date +%s%N)" -lt "$deadline" ]; do
    screen_text | grep -qF -- "$1" || return 0
    sleep 0.1
  done
  return 1
}
wait_dead() {
  local deadline=$(( $(date +%s%N) + ${1:-5} * 1000000000 ))
  while [ "$(date +%s%N)" -lt "$deadline" ]; do
    [ "$(pane '#{pane_dead}')" = 1 ] && return 0
    sleep 0.1
  done
  return 1
}
check() { if "$@"; then pass "$NAME"; else fail "$NAME"; fi; }
