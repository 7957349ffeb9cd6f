#!/usr/bin/env bash
# Writes the manual page marginwatch.1 (mdoc) into OUTDIR (default .build/man), generated from
# the command tree itself — the abstracts, discussions and options in Sources/marginwatch — by
# the generate-manual plugin of swift-argument-parser (a dependency already; works offline):
#
#   swift package plugin generate-manual --configuration CONFIG --date YYYY-MM-DD
#
# The plugin builds the package's products in CONFIG (release by default, as install.sh
# installs) and writes .build/plugins/GenerateManual/outputs/marginwatch/marginwatch.1; it needs
# no permission flag, since it writes inside .build only.
# Usage: Scripts/man.sh [OUTDIR] [release|debug]
set -euo pipefail
out=${1:-.build/man}
case $out in /*) ;; *) out=$PWD/$out ;; esac
config=${2:-release}
cd "$(dirname "$0")/.."
source Scripts/toolchain.sh

generated=.build/plugins/GenerateManual/outputs/marginwatch/marginwatch.1
rm -f "$generated"
# The page is dated by the last commit, so the same sources give the same page.
date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift package plugin generate-manual --configuration "$config" --date "$date" >"$log" 2>&1 \
   || [ ! -s "$generated" ]; then
  cat "$log" >&2
  echo "man.sh: the generate-manual plugin did not write $generated" >&2
  exit 1
fi
mkdir -p "$out"
# A blank line between the paragraphs of a discussion is a paragraph break in --help; mdoc wants
# .Pp there (man would print "mdoc warning: Empty input line" for each).
sed 's/^$/.Pp/' "$generated" >"$out/marginwatch.1"
echo "$out/marginwatch.1"
