#!/usr/bin/env bash
# Runs every test: formatting and lints, the SAM template validation, unit
# tests, the adapter conformance suite against the embedded adapters and
# against moto's DynamoDB/S3/SQS server, the black-box API tests and the
# crash test. Needs only Rust, Python 3 (and Node.js once the web lands);
# installs the rest into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "Python tools (.venv: moto, aws-sam-translator, cfn-lint)"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt

step "moto server on 127.0.0.1"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p target
.venv/bin/moto_server -H 127.0.0.1 -p "$port" > target/moto.log 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null; then
    break
  fi
  sleep 0.2
done
python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" \
  || { echo "moto did not start:"; cat target/moto.log; exit 1; }
export VSLC_MOTO_ENDPOINT="http://127.0.0.1:$port" VSLC_REQUIRE_MOTO=1
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1

step "SAM template: crates ⇄ functions, no wildcard actions, transform + cfn-lint"
.venv/bin/python scripts/validate_template.py

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test (unit, conformance: embedded + moto, API, crash)"
cargo test --workspace
