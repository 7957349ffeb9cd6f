#!/usr/bin/env bash
# Checks (and where it can, installs) what building and testing marginwatch needs on a fresh
# Debian machine: the Swift toolchain, python3 (end-to-end JSON checks), tmux, curl and the ncursesw
# headers (terminal UI and its tests). Safe to run again: it installs only what is missing.
set -euo pipefail

# The toolchain check (the ncursesw headers are installed below when missing, so skipped there).
MARGINWATCH_SETUP=1 source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"

missing=()
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v curl >/dev/null 2>&1 || missing+=(curl)  # --webhook sends with it
[ -f /usr/include/ncursesw/curses.h ] || [ -f /usr/include/ncurses.h ] || missing+=(libncursesw5-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install: ${missing[*]}" >&2
    exit 1
  fi
fi
