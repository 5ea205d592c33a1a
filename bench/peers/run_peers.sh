#!/usr/bin/env bash
# Run the peer forecasters of the M4-Hourly benchmark, one after another,
# single-threaded.
#
# Usage: bash bench/peers/run_peers.sh [OUTDIR]     (default build/bench/m4)
#
# Writes, for each method, OUTDIR/peer_<method>.csv (id,ms,F1..F48,L1..L48,
# U1..U48; see m4_r.R / m4_statsmodels.py), OUTDIR/peer_<method>.meta
# (package versions, dates, host) and OUTDIR/peer_<method>.log (that
# method's stderr, appended across runs). The scripts are run from copies in
# OUTDIR/peer_scripts/ (so bench/peers/ may be edited while a run goes on).
#
# Methods, in run order (STRIDE 8 = every 8th series, H1, H9, ..., 52 series):
#   stlf (all), statsmodels (all), prophet (all), auto.arima (stride 8),
#   ets (all), tbats (stride 8)
# A method whose CSV already holds the expected number of complete rows is
# skipped; a partial CSV is resumed (the scripts skip ids already present).
#
# Environment overrides:
#   M4_TRAIN   training file (default /work/shared/data/m4-hourly/Hourly-train.csv)
#   METHODS    space-separated subset/order of the methods above
#   RSCRIPT    Rscript binary (default Rscript)
#   PYTHON     python with statsmodels (default /usr/bin/python3, Debian's)
set -u -o pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
outdir="${1:-build/bench/m4}"
train="${M4_TRAIN:-/work/shared/data/m4-hourly/Hourly-train.csv}"
methods="${METHODS:-stlf statsmodels prophet auto.arima ets tbats}"
rscript="${RSCRIPT:-Rscript}"
python="${PYTHON:-/usr/bin/python3}"

# One core: no BLAS/OpenMP threads, no forked R workers.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export VECLIB_MAXIMUM_THREADS=1 NUMEXPR_NUM_THREADS=1 MC_CORES=1

cd "$repo"
mkdir -p "$outdir"
if [ ! -r "$train" ]; then
  echo "run_peers: cannot read training file $train" >&2
  exit 1
fi

# Run snapshots of the scripts: Rscript reads its file while it runs, so
# editing bench/peers/m4_r.R mid-run would otherwise break the running job.
snap="$outdir/peer_scripts"
mkdir -p "$snap"
cp "$here/m4_r.R" "$here/m4_statsmodels.py" "$snap/"

ncols=$((2 + 3 * 48))
nseries=$(awk 'NR > 1 && NF > 0' "$train" | wc -l)

stride_of() {
  case "$1" in
    auto.arima|tbats) echo 8 ;;
    *) echo 1 ;;
  esac
}

complete_rows() {  # number of complete data rows in a result CSV
  if [ -f "$1" ]; then
    awk -F, -v n="$ncols" 'NR > 1 && NF == n' "$1" | wc -l
  else
    echo 0
  fi
}

r_versions() {
  "$rscript" -e '
    cat("R:", R.version.string, "\n")
    for (p in c("forecast", "prophet", "rstan", "StanHeaders"))
      cat(p, ": ", tryCatch(as.character(packageVersion(p)), error = function(e) "not installed"), "\n", sep = "")
  ' 2>/dev/null
}

py_versions() {
  "$python" -c '
import sys
print("python:", sys.version.split()[0], "(" + sys.executable + ")")
for name in ("statsmodels", "numpy", "scipy", "pandas"):
    try:
        mod = __import__(name)
        print(f"{name}: {mod.__version__}")
    except Exception as e:
        print(f"{name}: not available ({e})")
' 2>/dev/null
}

write_meta() {  # method stride out status started finished
  local method="$1" stride="$2" out="$3" status="$4" started="$5" finished="$6"
  local log="${out%.csv}.log"
  {
    echo "method: $method"
    echo "train: $train"
    if [ "$method" = statsmodels ]; then
      echo "script: bench/peers/m4_statsmodels.py sha256 $(sha256sum < "$snap/m4_statsmodels.py" | cut -c1-64)"
    else
      echo "script: bench/peers/m4_r.R sha256 $(sha256sum < "$snap/m4_r.R" | cut -c1-64)"
    fi
    echo "stride: $stride"
    echo "rows: $(complete_rows "$out") (expected $(( (nseries + stride - 1) / stride )))"
    echo "exit_status: $status"
    echo "fallback_series: $(grep -c 'using seasonal naive' "$log" 2>/dev/null || true)"
    echo "started: $started"
    echo "finished: $finished"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "host: $(uname -srm)"
    echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "cpus_online: $(getconf _NPROCESSORS_ONLN)"
    echo "threads: OMP_NUM_THREADS=$OMP_NUM_THREADS OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS MKL_NUM_THREADS=$MKL_NUM_THREADS"
    if [ "$method" = statsmodels ]; then
      py_versions
    else
      r_versions
    fi
  } > "${out%.csv}.meta"
}

failed=""
for method in $methods; do
  stride=$(stride_of "$method")
  out="$outdir/peer_${method}.csv"
  log="$outdir/peer_${method}.log"
  expected=$(( (nseries + stride - 1) / stride ))
  have=$(complete_rows "$out")
  if [ "$have" -ge "$expected" ]; then
    echo "[$(date '+%F %T')] $method: $out already has $have/$expected rows, skipping"
    [ -f "${out%.csv}.meta" ] || write_meta "$method" "$stride" "$out" "skipped (already complete)" "" ""
    continue
  fi
  echo "[$(date '+%F %T')] $method: running (stride $stride, $have/$expected rows present) -> $out"
  started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  case "$method" in
    statsmodels)
      "$python" "$snap/m4_statsmodels.py" "$train" "$out" "$stride" 2> >(tee -a "$log" >&2)
      ;;
    ets|stlf|auto.arima|tbats|prophet)
      "$rscript" "$snap/m4_r.R" "$method" "$train" "$out" "$stride" 2> >(tee -a "$log" >&2)
      ;;
    *)
      echo "run_peers: unknown method $method" >&2
      false
      ;;
  esac
  status=$?
  wait  # let tee finish writing the log
  finished="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  write_meta "$method" "$stride" "$out" "$status" "$started" "$finished"
  have=$(complete_rows "$out")
  echo "[$(date '+%F %T')] $method: exit $status, $have/$expected rows"
  if [ "$status" -ne 0 ] || [ "$have" -lt "$expected" ]; then
    failed="$failed $method"
  fi
done

if [ -n "$failed" ]; then
  echo "[$(date '+%F %T')] run_peers: incomplete:$failed" >&2
  exit 1
fi
echo "[$(date '+%F %T')] run_peers: all done"
