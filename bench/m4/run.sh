#!/usr/bin/env bash
# M4 Hourly benchmark: our models and the peers, one run, one machine; writes the tables
# into docs/benchmarks.md between the m4 markers.
# Usage: bench/m4/run.sh [BUILD_DIR]
#   PEERS=0        skip running the peers (reuse their forecast files if present)
#   MODELS="..."   our models to run (default: all)
#   OURS=0         skip running ours (reuse their forecast files if present)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
data=${M4_DATA:-../shared/data/m4-hourly}
out=$build/bench/m4
mkdir -p "$out"
stride=8

if [[ "${PEERS:-1}" != "0" ]]; then
  M4_TRAIN="$data/Hourly-train.csv" bash bench/peers/run_peers.sh "$out"
fi

models=${MODELS:-"snaive naive2 ets mstl prophet sar auto"}
args=()
if [[ "${OURS:-1}" != "0" ]]; then
  for m in $models; do
    echo "m4: prescient $m" >&2
    taskset -c 0 "$build/bench/m4_forecast" "$m" "$data/Hourly-train.csv" "$out/ours_$m.csv" 2> "$out/ours_$m.choices"
  done
fi
# Every model of ours that has forecasts, whether run now or before.
for m in snaive naive2 ets mstl prophet sar auto; do
  [[ -s "$out/ours_$m.csv" ]] && args+=("prescient $m=$out/ours_$m.csv")
done
declare -A peer_names=([stlf]="R forecast::stlf" [ets]="R forecast::ets" [auto.arima]="R forecast::auto.arima"
                       [tbats]="R forecast::tbats" [prophet]="R prophet" [statsmodels]="statsmodels Holt-Winters")
for p in stlf ets auto.arima tbats prophet statsmodels; do
  if [[ -s "$out/peer_$p.csv" ]]; then args+=("${peer_names[$p]}=$out/peer_$p.csv"); fi
done

{
  echo "<!-- m4:begin (written by bench/m4/run.sh; do not edit by hand) -->"
  echo
  echo "Run: $(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, one core per forecaster."
  for p in "$out"/peer_*.meta; do
    [[ -f "$p" ]] && echo "Peer $(basename "$p" .meta): $(grep -E '^(R|forecast|prophet|statsmodels|numpy|started|finished):' "$p" | tr '\n' ' ')"
  done
  echo
  "$build/bench/m4_score" "$data/Hourly-train.csv" "$data/Hourly-test.csv" \
    "$data/official-benchmark-forecasts/submission-Naive2-Hourly.csv" "$stride" "${args[@]}"
  echo
  echo "Our models' thread CPU time per series (wall times can include waiting for a"
  echo "core; R and Python report wall time only):"
  echo
  echo '```'
  cat "$out"/ours_*.choices | grep '^cpu:' || true
  echo '```'
  echo
  echo "What \`auto\` chose (series count; digits masked):"
  echo
  echo '```'
  grep -v '^cpu:' "$out/ours_auto.choices" | sort -rn | head -n 12
  echo '```'
  echo
  echo "<!-- m4:end -->"
} > "$out/tables.md"

bench/splice_doc.sh m4 docs/benchmarks.md "$out/tables.md"
echo "m4: tables written to docs/benchmarks.md" >&2
