#!/usr/bin/env bash
# Rebuilds the demo trace from the shared data set: NASA KSC HTTP requests, July 1995,
# summed from 1-minute to 5-minute buckets (bucket start = the first minute's start),
# starting at the first whole day (1995-07-02T00:00Z). History: 14 days; next day: 1 day.
set -euo pipefail
src=${1:-../shared/data/traces/nasa_http_1995_07_1min.csv}
out=$(dirname "$0")
awk -F, 'NR > 1 {
  # Epoch minute from the ISO timestamp (UTC, all in July 1995).
  split($1, d, /[-T:Z]/); day = d[3] + 0; h = d[4] + 0; m = d[5] + 0;
  if (day < 2) next;
  idx = ((day - 2) * 1440 + h * 60 + m);
  b = int(idx / 5); sum[b] += $2; if (b > maxb) maxb = b;
} END {
  for (b = 0; b <= maxb && b < 15 * 288; b++) {
    t = b * 5; day = 2 + int(t / 1440); h = int((t % 1440) / 60); m = t % 60;
    printf "1995-07-%02dT%02d:%02d:00Z,%d\n", day, h, m, sum[b] + 0;
  }
}' "$src" > "$out/.all.tmp"
{ echo "timestamp,value"; head -n $((14 * 288)) "$out/.all.tmp"; } > "$out/nasa_http_5min.csv"
{ echo "timestamp,value"; tail -n +$((14 * 288 + 1)) "$out/.all.tmp"; } > "$out/nasa_http_5min_nextday.csv"
rm -f "$out/.all.tmp"
