#!/usr/bin/env bash
# Runs the whole platform locally on embedded storage with demo data:
# http://127.0.0.1:3000 (PORT and VSLC_DATA_DIR change port and data dir).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet -p vslc-local --bin vslc-local
