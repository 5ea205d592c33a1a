#!/usr/bin/env bash
# Scores our anomaly detector (src/prescient/anomaly/detector.h) on the NAB corpus
# (../shared/data/nab) with our NAB scorer, runs the band model's and the detector's
# Google Benchmark, and writes both into docs/benchmarks.md between the nab markers.
# Usage: bench/anomaly/run.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
out=$build/bench/nab.txt
mkdir -p "$(dirname "$out")"
start=$(date +%s.%N)
taskset -c 0 "$build/bench/nab_run" --markdown > "$out"
seconds=$(echo "$(date +%s.%N) - $start" | bc)
taskset -c 0 "$build/bench/band_model_bench" --benchmark_min_time=0.5 2>/dev/null |
  grep -E '^(BM_|Benchmark|-)' > "$out.speed"
{
  echo "<!-- nab:begin (written by bench/anomaly/run.sh; do not edit by hand) -->"
  echo
  echo "Run: $(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, one core (taskset -c 0), load average $(cut -d' ' -f1 /proc/loadavg) at the start; detection + scoring of the 58 files took $(printf '%.1f' "$seconds") s."
  echo
  echo '```'
  echo "\$ nproc; lscpu | head"
  nproc
  lscpu | head
  echo '```'
  echo
  echo '```'
  grep -E '^(params|standard|reward)' "$out"
  echo '```'
  echo
  sed -n '/^| detector/,$p' "$out"
  echo
  echo "Band model and detector speed (Google Benchmark, items = points; targets: evaluation >= 5 M points/s, training >= 1 M points/s; BM_DetectorUpdate judges and learns each point):"
  echo
  echo '```'
  cat "$out.speed"
  echo '```'
  echo
  echo "<!-- nab:end -->"
} > "$out.md"
bench/splice_doc.sh nab docs/benchmarks.md "$out.md"
echo "nab: table written to docs/benchmarks.md" >&2
