#!/usr/bin/env bash
# Prints how the demo's forecast compares with what really happened the next day:
# MAPE, accuracy = 100 - MAPE, and how often the actual fell inside the 80% and 95% bands.
set -euo pipefail
history=$1
forecast=$2
actual=${history%.csv}_nextday.csv
echo
echo "Forecast written to $forecast (first lines):"
head -n 4 "$forecast"
echo
awk -F, 'FNR == 1 { next }
  NR == FNR { actual[$1] = $2; next }
  ($1 in actual) {
    y = actual[$1]; n++;
    if (y != 0) { ape += 100 * (y - $2 < 0 ? $2 - y : y - $2) / y; m++ }
    in80 += (y >= $3 && y <= $4); in95 += (y >= $5 && y <= $6);
  }
  END {
    if (n == 0) { print "no overlapping points with " ARGV[1]; exit 1 }
    mape = ape / m;
    printf "Against the real next day (%d points): MAPE %.1f%%, accuracy %.1f%%, inside 80%% band %.0f%%, inside 95%% band %.0f%%\n", n, mape, 100 - mape, 100 * in80 / n, 100 * in95 / n;
  }' "$actual" "$forecast"
