#!/usr/bin/env python3
"""Picks the detector's global parameters on NAB by coordinate descent, and checks them by
2-fold cross-validation (docs/benchmarks.md, NAB section).

Coordinate descent: from START, try every value of GRID for one flag at a time, keep any
change that raises the standard-profile NAB score of `nab_run`, repeat until a full round
gains nothing. With --cv it tunes on the odd-numbered files (sorted by path, numbered from 1)
and scores the tuned parameters on the even ones, then the other way round.

Usage: bench/anomaly/nab_tune.py [--nab-run=build/bench/nab_run] [--cv]
"""
import subprocess
import sys

# The untuned starting point: Numenta's likelihood settings where they exist, the runner's
# earlier band settings, suppression 300 rows. Every flag is passed, so the result does not
# depend on nab_run's defaults.
START = {
    'sigma': 2, 'level-gain': 0.05, 'daily-gain': 0.05, 'weekly-gain': 0.1,
    'spread-gain': 0.02, 'clip': 1.5, 'daily': 1, 'weekly': 1,
    'raw-floor': 1, 'raw-scale': 2, 'short': 10, 'history': 4000, 'learning': 300,
    'min-stdev': 0.0173, 'min-mean': 0.03, 'spatial': 0.05, 'alert': 0.5,
    'suppress': 300, 'warmup': 300,
}
GRID = {
    'suppress': [30, 50, 75, 100, 150, 200],
    'raw-floor': [1, 1.5, 2, 2.5, 3, 4],
    'raw-scale': [3, 5, 8, 12, 20],
    'short': [1, 3, 5, 10, 20],
    'history': [200, 300, 500, 700, 1000, 1500],
    'learning': [150, 300, 450],
    'min-stdev': [0.0005, 0.001, 0.002, 0.005, 0.01],
    'spatial': [0.0, 0.02, 0.05, 0.1],
    'level-gain': [0.01, 0.02, 0.05, 0.1, 0.2],
    'clip': [1, 1.5, 2, 3],
    'spread-gain': [0.001, 0.002, 0.005, 0.01],
    'daily-gain': [0.02, 0.05, 0.1, 0.2],
    'weekly-gain': [0.01, 0.02, 0.05, 0.1],
    'weekly': [0, 1],
    'daily': [0, 1],
    'alert': [0.3, 0.4, 0.5, 0.6, 0.7],
    'min-mean': [0, 0.01, 0.03, 0.1],
}


def score(nab_run, params, fold):
    args = [nab_run, f'--fold={fold}'] + [f'--{k}={v}' for k, v in params.items()]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith('standard'):
            return float(line.split()[2])
    raise RuntimeError('nab_run printed no standard score')


def tune(nab_run, fold, rounds=6):
    params, cache = dict(START), {}

    def run(p):
        key = tuple(sorted(p.items()))
        if key not in cache:
            cache[key] = score(nab_run, p, fold)
        return cache[key]

    best = run(params)
    for _ in range(rounds):
        improved = False
        for flag, values in GRID.items():
            for v in values:
                trial = dict(params, **{flag: v})
                s = run(trial)
                if s > best + 1e-9:
                    best, params, improved = s, trial, True
        if not improved:
            break
    return params, best


def flags(params):
    return ' '.join(f'--{k}={v}' for k, v in params.items() if START.get(k) != v)


def main():
    nab_run = 'build/bench/nab_run'
    cv = False
    for arg in sys.argv[1:]:
        if arg.startswith('--nab-run='):
            nab_run = arg.split('=', 1)[1]
        elif arg == '--cv':
            cv = True
        else:
            sys.exit(f'nab_tune: unknown argument {arg}')
    print(f'start: {score(nab_run, START, 0):.2f} (all files)')
    params, best = tune(nab_run, 0)
    print(f'tuned on all files: {best:.2f}  changed: {flags(params)}')
    if not cv:
        return
    for train, test in ((1, 2), (2, 1)):
        params, best = tune(nab_run, train)
        held_out = score(nab_run, params, test)
        names = {1: 'odd', 2: 'even'}
        print(f'tuned on {names[train]} files: {best:.2f}; scored on {names[test]} files: '
              f'{held_out:.2f}  changed: {flags(params)}')


if __name__ == '__main__':
    main()
