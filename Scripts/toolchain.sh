# What building marginwatch needs, checked: the Swift toolchain (put on PATH from /opt/swift when
# it is there) and the ncursesw headers. Sourced by setup.sh (which adds the test tools) and by
# install.sh and man.sh, which need nothing more; installs nothing.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "marginwatch: swift is not installed (expected at /opt/swift)" >&2; exit 1; }
if [ -z "${MARGINWATCH_SETUP:-}" ] && ! { [ -f /usr/include/ncursesw/curses.h ] || [ -f /usr/include/ncurses.h ]; } ; then
  echo "marginwatch: the ncursesw headers are missing: install libncursesw5-dev (Debian) or your system's ncurses development package" >&2
  exit 1
fi
