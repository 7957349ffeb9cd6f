#!/usr/bin/env bash
# Installs marginwatch under PREFIX (default ~/.local): a release build of the binary (and the
# Swift crash backtracer beside it) into PREFIX/bin, the manual page (Scripts/man.sh) into PREFIX/share/man/man1, and the completions
# argument-parser writes for bash, zsh and fish where those shells look under PREFIX/share.
# Run it again after an update: every file is replaced, nothing else is touched.
# Usage: Scripts/install.sh [PREFIX]
set -euo pipefail
prefix=${1:-$HOME/.local}
case $prefix in /*) ;; *) prefix=$PWD/$prefix ;; esac  # relative to where it was called from
prefix=${prefix%/}
cd "$(dirname "$0")/.."
source Scripts/toolchain.sh  # swift and ncursesw only: installing needs no test tools

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

echo "building marginwatch (release; the first build takes a few minutes)"
if ! swift build -c release --product marginwatch >"$stage/build.log" 2>&1; then
  cat "$stage/build.log" >&2
  exit 1
fi
bin=$(swift build -c release --show-bin-path)/marginwatch
version=$("$bin" --version)

echo "writing the manual page and the completions"
Scripts/man.sh "$stage" release >/dev/null
"$bin" --generate-completion-script bash >"$stage/marginwatch.bash"
"$bin" --generate-completion-script zsh >"$stage/_marginwatch"
"$bin" --generate-completion-script fish >"$stage/marginwatch.fish"

# put MODE FROM TO: installs one file (creating its folders) and says so.
put() {
  install -D -m "$1" "$2" "$prefix/$3"
  echo "  $prefix/$3"
}
echo "installed $version:"
put 0755 "$bin" bin/marginwatch
# The binary carries the Swift runtime (linked statically, see Package.swift); on a crash that
# runtime prints its report with the backtracer it finds beside the binary: the toolchain's
# static one, which needs no Swift library either.
backtracer=$(dirname "$(readlink -f "$(command -v swift)")")/../libexec/swift/linux/swift-backtrace-static
if [ -x "$backtracer" ]; then
  put 0755 "$backtracer" bin/swift-backtrace
else
  echo "note: this toolchain has no swift-backtrace-static: a crash will print no backtrace"
fi
put 0644 "$stage/marginwatch.1" share/man/man1/marginwatch.1
put 0644 "$stage/marginwatch.bash" share/bash-completion/completions/marginwatch
put 0644 "$stage/_marginwatch" share/zsh/site-functions/_marginwatch
put 0644 "$stage/marginwatch.fish" share/fish/vendor_completions.d/marginwatch.fish

case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on your PATH; add it, e.g. in ~/.profile: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
case $prefix in
  /usr | /usr/local) ;;
  *) echo "note: zsh finds the completion once $prefix/share/zsh/site-functions is in fpath (before compinit)" ;;
esac
