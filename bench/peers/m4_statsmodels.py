"""Peer forecaster for the M4-Hourly benchmark: statsmodels Holt-Winters.

Usage: /usr/bin/python3 bench/peers/m4_statsmodels.py TRAIN.csv OUT.csv [STRIDE]

Same contract as bench/peers/m4_r.R:
  TRAIN   M4 Hourly-train.csv (col V1 = id, then observations, rows padded
          with empty fields)
  OUT     output CSV: id,ms,F1..F48,L1..L48,U1..U48 (point forecast, lower
          95%, upper 95%), one row per series, appended one at a time; ids
          already in OUT are skipped (resume), incomplete trailing lines from
          a killed run are dropped first.
  STRIDE  k (default 1): only series at 0-based file position i with
          i % k == 0 are run.

Model: classic Holt-Winters,
  statsmodels.tsa.holtwinters.ExponentialSmoothing(y, trend='add',
      damped_trend=True, seasonal='mul', seasonal_periods=24).fit()
with fit() defaults (estimated smoothing parameters, default initialization).

95% interval -- choice: Holt-Winters in statsmodels has no analytic
prediction intervals, so they come from simulation:
  fit.simulate(48, anchor='end', repetitions=200, error='mul',
               random_state=seed)
and the interval is the 2.5% / 97.5% quantile over the 200 paths at each step.
error='mul' because the model is multiplicative-seasonal on strictly positive
data whose noise scales with the level (the ETS(M,Ad,M) reading of this
model); the error scale is estimated by statsmodels from the fit's
residuals (normal errors). The point forecast is fit.forecast(48), not the
simulation mean. seed = 20240 + 0-based file position, so runs are
reproducible. If simulation fails or gives non-finite values for a series,
that series falls back to normal intervals from the in-sample one-step
residual std widening with sqrt(h), point +- 1.96 * sd * sqrt(h) (counted and
warned on stderr as "interval fallback").

Timing: wall clock (time.perf_counter) around model construction, fit,
forecast and simulation (the simulation is part of producing the interval),
in ms; file reading and writing are excluded. One untimed warm-up fit is done
before the timed loop so that one-time costs (lazy imports inside
statsmodels/scipy) are not charged to the first series.

Per-series errors: the series falls back to seasonal naive (m = 24, interval
as forecast::snaive), a warning naming the id goes to stderr, and fallbacks
are counted at the end. Fit warnings (e.g. ConvergenceWarning) are silenced,
but the ids whose fit() optimizer reports failure (mle_retvals.success False;
it then often ends at the parameter bounds, e.g. alpha = beta = 0.995, and
the damped trend can run the forecast negative) are counted and listed on
stderr at the end. Their forecasts are kept: fit() defaults are the contract.
"""

import csv
import math
import os
import sys
import time
import warnings

import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing

H = 48
M = 24
NREP = 200
SEED_BASE = 20240
NCOL_OUT = 2 + 3 * H
Z95 = 1.959963984540054

HEADER = ",".join(["id", "ms"] + [f"F{i}" for i in range(1, H + 1)]
                  + [f"L{i}" for i in range(1, H + 1)]
                  + [f"U{i}" for i in range(1, H + 1)])

n_interval_fallback = 0
not_converged = []  # ids whose fit() optimizer reported failure (output kept as is)


def holt_winters(y, seed, sid="?"):
    """Return (f, lo, hi) numpy arrays of length H."""
    global n_interval_fallback
    model = ExponentialSmoothing(y, trend="add", damped_trend=True,
                                 seasonal="mul", seasonal_periods=M)
    fit = model.fit()
    retvals = getattr(fit, "mle_retvals", None)
    if retvals is not None and not getattr(retvals, "success", True):
        not_converged.append(sid)
    f = np.asarray(fit.forecast(H), dtype=float)
    try:
        sims = np.asarray(fit.simulate(H, anchor="end", repetitions=NREP,
                                       error="mul", random_state=seed),
                          dtype=float)
        sims = sims.reshape(H, -1)
        lo = np.quantile(sims, 0.025, axis=1)
        hi = np.quantile(sims, 0.975, axis=1)
        if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
            raise ValueError("non-finite simulated quantiles")
    except Exception as e:  # noqa: BLE001 - documented fallback
        n_interval_fallback += 1
        print(f"WARNING: interval fallback on {sid} (simulate: {e})", file=sys.stderr)
        resid = np.asarray(y, dtype=float) - np.asarray(fit.fittedvalues, dtype=float)
        sd = float(np.std(resid, ddof=1))
        w = Z95 * sd * np.sqrt(np.arange(1, H + 1))
        lo, hi = f - w, f + w
    return f, lo, hi


def snaive_fallback(y):
    y = np.asarray(y, dtype=float)
    f = np.resize(y[-M:], H)
    e = y[M:] - y[:-M]
    sigma = math.sqrt(float(np.mean(e ** 2)))
    k = np.arange(H) // M
    w = Z95 * sigma * np.sqrt(k + 1)
    return f, f - w, f + w


def check(r):
    for name, v in zip(("f", "lo", "hi"), r):
        if v.shape != (H,):
            raise ValueError(f"{name} has shape {v.shape}, expected ({H},)")
        if not np.all(np.isfinite(v)):
            raise ValueError(f"{name} has non-finite values")
    return r


def read_train(path):
    ids, series = [], []
    with open(path, newline="") as fh:
        rd = csv.reader(fh)
        next(rd)  # header V1,V2,...
        for row in rd:
            if not row:
                continue
            ids.append(row[0])
            series.append(np.array([float(v) for v in row[1:] if v.strip() != ""]))
    return ids, series


def prepare_out(path):
    """Make sure OUT starts with the header; return ids of complete rows."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        with open(path, "w") as fh:
            fh.write(HEADER + "\n")
        return set()
    with open(path) as fh:
        text = fh.read()
    lines = text.splitlines()
    if not lines or lines[0] != HEADER:
        sys.exit(f"{path} exists but does not start with the expected header; refusing to touch it")
    body = lines[1:]
    if body and not text.endswith("\n"):
        body = body[:-1]  # last line lost its newline: may be cut inside a number
    good = [ln for ln in body if len(ln.split(",")) == NCOL_OUT]
    if len(good) != len(lines) - 1:
        print(f"note: dropping {len(lines) - 1 - len(good)} incomplete line(s) from {path}",
              file=sys.stderr)
        with open(path, "w") as fh:
            fh.write("\n".join([HEADER] + good) + "\n")
    return {ln.split(",", 1)[0] for ln in good}


def fmt(v):
    return "%.10g" % v


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: m4_statsmodels.py TRAIN.csv OUT.csv [STRIDE]", file=sys.stderr)
        return 2
    train_path, out_path = argv[1], argv[2]
    stride = int(argv[3]) if len(argv) == 4 else 1
    if stride < 1:
        print("STRIDE must be a positive integer", file=sys.stderr)
        return 2

    warnings.simplefilter("ignore")
    ids, series = read_train(train_path)
    selected = [i for i in range(len(ids)) if i % stride == 0]
    done = prepare_out(out_path)
    todo = [i for i in selected if ids[i] not in done]
    print(f"[{time.strftime('%Y-%m-%d %H:%M:%S')}] method=statsmodels-hw series={len(ids)} "
          f"selected={len(selected)} already-done={len(selected) - len(todo)} "
          f"to-run={len(todo)}", file=sys.stderr)

    global n_interval_fallback
    if todo:
        try:  # untimed warm-up, result discarded
            holt_winters(series[todo[0]], SEED_BASE + todo[0], "warm-up")
        except Exception:  # noqa: BLE001
            pass
        n_interval_fallback = 0
        not_converged.clear()

    fallbacks = []
    total_ms = 0.0
    for i in todo:
        sid, y = ids[i], series[i]
        t0 = time.perf_counter()
        try:
            r = check(holt_winters(y, SEED_BASE + i, sid))
        except Exception as e:  # noqa: BLE001 - documented fallback
            r = snaive_fallback(y)
            fallbacks.append(sid)
            print(f"WARNING: statsmodels-hw failed on {sid} ({e}); using seasonal naive",
                  file=sys.stderr)
        ms = (time.perf_counter() - t0) * 1000.0
        total_ms += ms
        f, lo, hi = r
        line = ",".join([sid, "%.3f" % ms] + [fmt(v) for v in f]
                        + [fmt(v) for v in lo] + [fmt(v) for v in hi])
        with open(out_path, "a") as fh:
            fh.write(line + "\n")

    n = len(todo)
    print(f"[{time.strftime('%Y-%m-%d %H:%M:%S')}] method=statsmodels-hw done: ran={n} "
          f"total={total_ms / 1000:.1f} s mean={total_ms / n if n else 0:.1f} ms "
          f"fallbacks={len(fallbacks)}"
          + (f" ({' '.join(fallbacks)})" if fallbacks else "")
          + f" interval-fallbacks={n_interval_fallback}"
          + f" optimizer-not-converged={len(not_converged)}", file=sys.stderr)
    if not_converged:
        print("optimizer did not converge (fit kept, defaults are the contract) on: "
              + " ".join(not_converged), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
