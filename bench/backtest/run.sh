#!/usr/bin/env bash
# `make bench-backtest`: all four policies on every trace in ../shared/data/traces, then
# the replay-speed bench; writes the tables into docs/benchmarks.md (between the
# <!-- backtest:begin --> and <!-- backtest:end --> markers).
#
# Default scaling (documented in docs/benchmarks.md): each trace is scaled so that its
# 99th-percentile rate needs 20 pods of 100 rps; the scored window starts after 7 days
# of history (2 days for traces shorter than 8 days) and runs to the trace's end; seed 1.
#
# Usage: bench/backtest/run.sh [BUILD_DIR]   (TRACES=dir to use other traces)
set -euo pipefail
build="${1:-build}"
traces="${TRACES:-/work/shared/data/traces}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$build/bench/backtest"
mkdir -p "$out"
cd "$repo"
bin="$build/src/prescient/prescient"
# SKIP_RUNS=1 re-renders the tables from the JSON of the last run.
[ "${SKIP_RUNS:-0}" = 1 ] || for f in "$traces"/*.csv; do
  name=$(basename "$f" .csv)
  echo "backtest: $name" >&2
  "$bin" backtest --trace "$f" --format json > "$out/$name.json"
done
# The cost/SLO trade-off of predictive's sizing, on the demo trace.
nasa="$traces/nasa_http_1995_07_1min.csv"
mkdir -p "$out/sweep"
if [ "${SKIP_RUNS:-0}" != 1 ] && [ -f "$nasa" ]; then
  for variant in "peak 95" "peak 90" "peak 80" "mean 95" "mean 80"; do
    set -- $variant
    "$bin" backtest --trace "$nasa" --policies hpa,predictive --size-to "$1" --level "$2" --format json \
      > "$out/sweep/$1_$2.json"
  done
fi
[ "${SKIP_RUNS:-0}" = 1 ] || "$build/bench/replay_bench" --benchmark_format=json > "$out/replay_bench.json"

python3 - "$out" > "$out/tables.md" <<'PY'
import json, os, sys, glob, platform, datetime, subprocess
out = sys.argv[1]
cpu = "unknown"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip(); break
print("<!-- backtest:begin (written by bench/backtest/run.sh; do not edit by hand) -->")
print(f"Measured {datetime.date.today().isoformat()} on {cpu}, {os.cpu_count()} cores; "
      "command: `make bench-backtest`.\n")
print("Per trace: SLO-violation minutes (p99 > 500 ms or errors > 1%), pod-hours and cost; "
      "ratios are predictive over hpa and over oracle.\n")
print("| trace | days | policy | SLO-viol min | failed req | pod-hours | node-hours | cost $ | scale events | CPU % | MAPE % |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
summary = []
for path in sorted(glob.glob(os.path.join(out, "*.json"))):
    name = os.path.basename(path)[:-5]
    if name == "replay_bench": continue
    r = json.load(open(path))
    from_, to = r["from"], r["to"]
    days = (datetime.datetime.fromisoformat(to.replace("Z", "")) - datetime.datetime.fromisoformat(from_.replace("Z", ""))).total_seconds() / 86400
    pol = {p["policy"]: p for p in r["policies"]}
    for p in r["policies"]:
        mape = p["forecast"]["mape_percent"] if p["forecast"] else None
        print(f"| {name} | {days:.1f} | {p['policy']} | {p['slo_violation_minutes']} | {p['failed_requests']:.0f} | "
              f"{p['pod_hours']:.0f} | {p['node_hours']:.0f} | {p['cost_usd']:.0f} | {p['scale_events']} | "
              f"{p['mean_cpu_utilization_percent']:.1f} | {'-' if mape is None else f'{mape:.1f}'} |")
    h, pr, o = pol["hpa"], pol["predictive"], pol["oracle"]
    red = (1 - pr["slo_violation_minutes"] / h["slo_violation_minutes"]) * 100 if h["slo_violation_minutes"] else float("nan")
    summary.append((name, red, pr["pod_hours"] / h["pod_hours"], pr["pod_hours"] / o["pod_hours"],
                    h["slo_violation_minutes"], pr["slo_violation_minutes"], o["slo_violation_minutes"]))
print("\nTargets: predictive at least 90% fewer SLO-violation minutes than hpa, pod-hours at most "
      "1.10x hpa's and at most 1.25x oracle's.\n")
print("| trace | SLO-viol min hpa / predictive / oracle | reduction vs hpa | pod-hours / hpa | pod-hours / oracle |")
print("|---|---|---|---|---|")
for name, red, ph, po, a, b, c in summary:
    ok = lambda cond: "" if cond else " (missed)"
    reduction = "n/a (hpa had none)" if a == 0 else f"{red:.1f}%{ok(red >= 90)}"
    print(f"| {name} | {a} / {b} / {c} | {reduction} | {ph:.2f}x{ok(ph <= 1.10)} | {po:.2f}x{ok(po <= 1.25)} |")
sweep = sorted(glob.glob(os.path.join(out, "sweep", "*.json")))
if sweep:
    print("\nThe trade-off of predictive's sizing on the NASA trace (`--size-to`, `--level`); hpa alone "
          "for reference:\n")
    print("| predictive sizes to | SLO-viol min | vs hpa | pod-hours | / hpa | cost $ |")
    print("|---|---|---|---|---|---|")
    for path in sweep:
        agg, level = os.path.basename(path)[:-5].split("_")
        r = {p["policy"]: p for p in json.load(open(path))["policies"]}
        h, p = r["hpa"], r["predictive"]
        what = ("busiest minute" if agg == "peak" else "mean") + f" of each 5 min, upper {level}%"
        print(f"| {what} | {p['slo_violation_minutes']} | {100 * (p['slo_violation_minutes'] / h['slo_violation_minutes'] - 1):+.1f}% | "
              f"{p['pod_hours']:.0f} | {p['pod_hours'] / h['pod_hours']:.2f}x | {p['cost_usd']:.0f} |")
    print(f"| (hpa alone) | {h['slo_violation_minutes']} | | {h['pod_hours']:.0f} | 1.00x | {h['cost_usd']:.0f} |")
bench = json.load(open(os.path.join(out, "replay_bench.json")))
print("\nReplay speed (Google Benchmark, one iteration each, `build/bench/replay_bench`):\n")
print("| replay | wall s | CPU s | target |")
print("|---|---|---|---|")
targets = {"BM_Replay14Days": "< 2 s", "BM_Services100Days7": "< 60 s"}
for b in bench["benchmarks"]:
    n = b["name"].split("/")[0]
    label = {"BM_Replay14Days": "1 service, 14 days, 10 s steps, predictive (forecast every 15 min)",
             "BM_Services100Days7": "100 services, 7 days, predictive"}[n]
    print(f"| {label} | {b['real_time']:.2f} | {b['cpu_time']:.2f} | {targets[n]} |")
print("<!-- backtest:end -->")
PY
bash bench/splice_doc.sh backtest docs/benchmarks.md "$out/tables.md"
cat "$out/tables.md"
