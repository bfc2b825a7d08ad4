#!/usr/bin/env bash
# Fuzzes the readers of hostile input for a given time per target:
#   ./scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]
# Targets: xlsx, photo_zip, id_numbers, json_bodies (default: all, 60 s each).
# Needs a nightly toolchain (`rustup toolchain list`); installs cargo-fuzz if
# missing. New inputs that reach new code are kept in fuzz/corpus/<target>
# (commit the ones worth keeping); crashes land in fuzz/artifacts/<target>.
# `cargo test` replays the committed corpus on stable (shared/app/tests/fuzz_corpus.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(xlsx photo_zip id_numbers json_bodies)

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "cargo fuzz needs a nightly toolchain (rustup toolchain install nightly)"; exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo +nightly install cargo-fuzz --locked
fi

summary=()
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log="fuzz/artifacts/$t/run.log"
  echo "==> $t for ${secs}s"
  # No sanitizer: safe Rust needs none, and memory limits stay meaningful.
  # -malloc_limit_mb catches one huge allocation (a reserve of 10^18),
  # -rss_limit_mb a slow leak or bomb, -timeout a CPU bomb.
  set +e
  cargo +nightly fuzz run -s none --release "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -max_len=262144 -timeout=20 \
    -rss_limit_mb=1024 -malloc_limit_mb=512 \
    -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 2>&1 | tee "$log" | grep -E '^(#[0-9]+.*(pulse|DONE|NEW))|==|ERROR|Done|stat::' | tail -5
  code=${PIPESTATUS[0]}
  set -e
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
  crashes=$(find "fuzz/artifacts/$t" -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' | wc -l)
  summary+=("$t: ${execs} executions, ${crashes} crash/oom/timeout inputs, exit ${code}")
done
printf '\n%s\n' "${summary[@]}"
