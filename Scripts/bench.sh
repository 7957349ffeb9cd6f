#!/usr/bin/env bash
# Release-build benchmarks of marginwatch's hot paths. Figures go in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
swift build -c release --product MarginBench >/dev/null
.build/release/MarginBench
