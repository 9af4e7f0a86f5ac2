"""Claim ``L.solver.box_newton``: the exact Hessian of the energy in the neurons' firing entries,
behind the projected Newton polish of the certified solver (numeric.solver.box_newton). Derived
here (issue #4)."""
from __future__ import annotations

import numpy as np

from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.solver import box_newton, ridge
from symbolic import solver as sym


def _instance(rng, m: int, P: int, dY: int):
    Q = rng.standard_normal((P, P))
    C = Q @ Q.T / P + 0.5 * np.eye(P)
    Y = rng.standard_normal((dY, P))
    return rng.standard_normal((m, P)), C, Y.T @ Y


def witness_second_differences() -> Outcome:
    """The closed-form Hessian against central second differences of the energy's *value* (ridge
    least squares, not the gradient formula), signed masks, random instances."""
    rng = np.random.default_rng(2026)
    worst = 0.0
    for _ in range(3):
        H, C, KY = _instance(rng, 3, 4, 2)
        pos = H > 0
        B = ridge.gram_factor(KY)
        lam1, lam2 = 0.2, 0.6
        _, _, Phi, A = box_newton.energy(H, pos, C, B, lam1, lam2)
        Hs = box_newton.hessian(Phi, A, pos, C, lam1, lam2)
        n, h = H.size, 1e-4
        E = np.eye(n).reshape(n, *H.shape)

        def f(X):
            return box_newton.energy(X, pos, C, B, lam1, lam2)[0]
        fd = np.array([[(f(H + h * (E[i] + E[j])) - f(H + h * (E[i] - E[j]))
                         - f(H - h * (E[i] - E[j])) + f(H - h * (E[i] + E[j]))) / (4 * h * h)
                        for j in range(n)] for i in range(n)])
        worst = max(worst, float(np.max(np.abs(fd - Hs)) / np.max(np.abs(Hs))))
    return Outcome(worst <= 1e-5, worst,
                   f"3 instances (3 neurons, 4 samples, signed masks): max relative deviation "
                   f"{worst:.1e} from second differences of the value (h = 1e-4)")


def witness_kkt() -> Outcome:
    """The projected Newton polish ends at a KKT point of its box problem: signs kept, energy not
    raised, zero gradient on free entries, outward gradient on entries held at zero."""
    rng = np.random.default_rng(7)
    worst, failures = 0.0, 0
    for _ in range(8):
        H0, C, KY = _instance(rng, 5, 6, 3)
        pos = H0 > 0
        B = ridge.gram_factor(KY)
        H = box_newton.polish(H0, C, KY, 0.05, 1.0, signed=True)
        f0, g0 = box_newton.energy(H0, pos, C, B, 0.05, 1.0)[:2]
        f, g = box_newton.energy(H, pos, C, B, 0.05, 1.0)[:2]
        scale = float(np.max(np.abs(g0)))
        free = H != 0
        stat = max(float(np.max(np.abs(g[free]), initial=0.0)),
                   float(np.max(-np.where(pos, g, -g)[~free], initial=0.0))) / scale
        worst = max(worst, stat)
        failures += not (f <= f0 and np.all(H[pos] >= 0) and np.all(H[~pos] <= 0) and stat <= 1e-11)
    return Outcome(failures == 0, worst,
                   f"8 random box problems (5 neurons, 6 samples, 3 outputs): {failures} failed; "
                   f"worst stationarity residual {worst:.1e} of the starting gradient")


register(Claim(
    id="L.solver.box_newton",
    statement="For firing parts Phi = pos o H, fit(Phi) = lam2 tr(R K_Y) with R = (lam2 + Phi^T Phi)^{-1} "
              "and A = R K_Y R has gradient -2 lam2 Phi A and Hessian -2 lam2 [delta_kl A_ij - "
              "(Phi R)_kj (Phi A)_li - (Phi A)_kj (Phi R)_li - (Phi R Phi^T)_kl A_ij - "
              "(Phi A Phi^T)_kl R_ij]; with it, a projected Newton method on the sign-fixed box "
              "ends at a KKT point of the polish problem.",
    hypotheses=("lam2 > 0, K_Y symmetric positive semidefinite",
                "each entry of H kept on the side of zero it starts on (orthant: all >= 0)",
                "a local method: the pricing, not the polish, decides global optimality"),
    provenance=Provenance("derived here (issue #4)", None, "derived",
                          "Replaces L-BFGS-B (500-2 800 iterations per round) by ~20 Newton steps: "
                          "solve + certificate 1.2-3.5x faster on the signed supports up to "
                          "P = 14 (five outputs at P = 12: 26.4 s -> 7.4 s), 1.03x at P = 16 "
                          "where the pricing dominates (benchmarks/solver/box_newton.py)."),
    derivation=sym.box_newton_derivation,
    witnesses=(Witness("closed-form Hessian = second differences of the energy's value", "float64",
                       witness_second_differences),
               Witness("the polish ends at a KKT point of the box problem", "optimisation",
                       witness_kkt)),
    notebook=None))
