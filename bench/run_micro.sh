#!/usr/bin/env bash
# Runs the Google Benchmark of every model and writes its table into docs/benchmarks.md
# between the micro markers. Usage: bench/run_micro.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=$build/bench/micro.txt
mkdir -p "$(dirname "$out")"
taskset -c 0 "$build/bench/forecast_models_bench" --benchmark_min_time=0.5 2>/dev/null | grep -E '^(BM_|Benchmark|-)' > "$out"
{
  echo "<!-- micro:begin (written by bench/run_micro.sh; do not edit by hand) -->"
  echo
  echo "Run: $(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the start (CPU is the time on our core; Time is wall)."
  echo
  echo '```'
  cat "$out"
  echo '```'
  echo
  echo "<!-- micro:end -->"
} > "$out.md"
bench/splice_doc.sh micro docs/benchmarks.md "$out.md"
echo "micro: table written to docs/benchmarks.md" >&2
