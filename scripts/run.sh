#!/usr/bin/env bash
# Runs the whole platform locally on embedded storage with demo data:
# http://127.0.0.1:3000 (PORT and VSLC_DATA_DIR change port and data dir).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> building the web front-end (web/dist)"
(
  cd web
  [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
  npm run -s build > /dev/null
)
echo "==> the print font (assets/fonts)"
./scripts/fonts.sh
echo "==> starting vslc-local"
exec cargo run --quiet -p vslc-local --bin vslc-local
