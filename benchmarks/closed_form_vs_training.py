"""Closed form vs the tools a user would otherwise reach for, same instances, same process.

For the ReLU whitened hypercube task (A.relu.whitened) it times
  (a) the closed form (float64, lambdified from sympy),
  (b) the 60-digit mpmath minimisation of the energy over the ansatz,
  (c) L-BFGS training of the network loss (scipy, float64) from 10 random starts,
and reports ratios against (a), the fraction of training runs within 1e-3 of E*, and the best
relative gap. Run: `python benchmarks/closed_form_vs_training.py` (or `make bench`).
"""
from __future__ import annotations

import time

import mpmath as mp
import numpy as np

from numeric.claims.relu_whitened import mp_ansatz_minimiser
from numeric.relu_whitened import closed_form
from numeric.tasks import hypercube
from numeric.training import train_network


def timed(fn, repeat=1):
    t0 = time.perf_counter()
    for _ in range(repeat):
        out = fn()
    return (time.perf_counter() - t0) / repeat, out


def main():
    lam = 0.05
    print(f"{'dY':>3} {'closed form [s]':>16} {'mpmath/closed':>14} {'L-BFGS x10/closed':>18} "
          f"{'runs within 1e-3':>17} {'best gap':>9}")
    for dY in (2, 3, 4):
        closed_form(dY, lam, lam)                      # compile the lambdified expressions once
        t_cf, cf = timed(lambda: closed_form(dY, lam, lam), repeat=200)

        def mp_min():
            with mp.workdps(60):
                return mp_ansatz_minimiser(dY, mp.mpf(lam), mp.mpf(lam))
        t_mp, _ = timed(mp_min)
        task = hypercube(dY)
        Xt = task.X_tilde()

        def train():
            return [train_network(Xt, task.Y, lam, lam, 4 * dY, seed=s) for s in range(10)]
        t_tr, runs = timed(train)
        gaps = np.array([(r.loss - cf.energy) / cf.energy for r in runs])
        print(f"{dY:>3} {t_cf:>16.2e} {t_mp / t_cf:>14.0f} {t_tr / t_cf:>18.0f} "
              f"{np.mean(gaps < 1e-3):>17.0%} {gaps.min():>9.1e}")


if __name__ == "__main__":
    main()
