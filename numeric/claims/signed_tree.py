"""Claim ``L.solver.signed_tree``: the tree walk of the 3^P signed supports behind the certificates
and the pricing on full-rank inputs (numeric.solver.signed_tree). Derived here (issue #4)."""
from __future__ import annotations

import itertools
import os
from fractions import Fraction

import flint
import numpy as np

from numeric.copositivity import decide_copositive
from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.solver import copositive
from numeric.solver import rational as rq
from numeric.solver import signed_tree as tree
from symbolic import solver as sym


def _principal(M: flint.fmpq_mat, J) -> flint.fmpq_mat:
    return flint.fmpq_mat(len(J), len(J), [M[i, j] for i in J for j in J])


def _psd_exact(M: flint.fmpq_mat) -> bool:
    """Every principal minor >= 0 (exact)."""
    n = M.nrows()
    return all(_principal(M, J).det() >= 0 for m in range(1, n + 1)
               for J in itertools.combinations(range(n), m))


def _frac_rows(M: flint.fmpq_mat) -> list[list[Fraction]]:
    return [[Fraction(int(M[i, j].p), int(M[i, j].q)) for j in range(M.ncols())] for i in range(M.nrows())]


def witness_lemma_b() -> Outcome:
    """Lemma B in exact rationals: minimal non-copositive matrices B = -N^{-1} (N >= 0 on a grid,
    minimality decided by the exact CHL recursion) have every proper principal block PSD (all
    principal minors >= 0) and every rational y with y^T B y < 0 of one strict sign."""
    rng = np.random.default_rng(11)
    ok, counts, tried = True, {}, 0
    for k in (3, 4, 5):
        found = 0
        while found < 8:
            u = rng.uniform(0.5, 1.5, k)
            N = np.outer(u, u) - np.diag(rng.uniform(0.05, 0.95, k) * u * u)
            N = N + 0.1 * np.abs(rng.standard_normal((k, k)))
            Nq = rq.mat(np.round((N + N.T) / 2, 3))
            if Nq.det() == 0:
                continue
            B = -Nq.inv()
            Bf = _frac_rows(B)
            if decide_copositive(Bf).copositive:
                continue
            subs = [[r[:i] + r[i + 1:] for r in Bf[:i] + Bf[i + 1:]] for i in range(k)]
            if not all(decide_copositive(S).copositive for S in subs):
                continue
            found += 1
            ok &= all(_psd_exact(_principal(B, J)) for J in itertools.combinations(range(k), k - 1))
            w, V = np.linalg.eigh(np.array([[float(x) for x in r] for r in Bf]))
            for _ in range(30):
                y = np.round((V[:, 0] + 0.4 * rng.standard_normal(k) * abs(V[:, 0]).min()) * 1e6)
                yv = flint.fmpq_mat(k, 1, [flint.fmpq(int(v)) for v in y])
                if (yv.transpose() * B * yv)[0, 0] < 0:
                    tried += 1
                    ok &= bool(np.all(y > 0) or np.all(y < 0))
        counts[k] = found
    return Outcome(ok, 0.0 if ok else 1.0,
                   f"minimal non-copositive matrices of order 3, 4, 5: {counts}; every proper block "
                   f"PSD exactly; {tried} rational negative directions, all of one strict sign")


def witness_same_verdicts() -> Outcome:
    """The tree walk (float proofs, exact test for the rest) against the all-rational check by
    levels, across the feasibility boundary of random dual points; every rejection's witness is
    verified exactly by the check itself."""
    parts, ok = [], True
    saved = os.environ.get("EMERGENCE_EXACT_CONES")
    walk = copositive.SIGNED_WALK
    try:
        for P, dY, seed in ((6, 2, 3), (7, 6, 4)):
            rng = np.random.default_rng(seed)
            G = rng.standard_normal((P, P))
            C = rq.mat(np.round(G @ G.T / P + 0.3 * np.eye(P), 6))
            Lam = rq.mat(np.round(rng.standard_normal((dY, P)) * 0.3, 6))
            verdicts = []
            for a in ("1/20", "1/4", "1/2", "1", "2", "4", "8"):
                res = {}
                for name, env in (("tree", "0"), ("rational", "1")):
                    os.environ["EMERGENCE_EXACT_CONES"] = env
                    copositive.SIGNED_WALK = "tree"
                    res[name] = copositive.signed(rq.q(a), C, Lam, max_p=P)
                ok &= res["tree"].ok == res["rational"].ok
                ok &= res["tree"].ok or res["tree"].value < 0
                verdicts.append("ok" if res["tree"].ok else "violated")
            ok &= "ok" in verdicts and "violated" in verdicts
            parts.append(f"P={P}, dY={dY}: " + ", ".join(verdicts))
    finally:
        copositive.SIGNED_WALK = walk
        if saved is None:
            os.environ.pop("EMERGENCE_EXACT_CONES", None)
        else:
            os.environ["EMERGENCE_EXACT_CONES"] = saved
    return Outcome(ok, 0.0 if ok else 1.0, "; ".join(parts) + " (tree = all rational on every alpha)")


def witness_float_proofs() -> Outcome:
    """The two float proofs against exact rationals at the PSD boundary: smallest eigenvalue
    +-10^-6 .. 10^-18 of the largest (positive definite), y^T B y = +-10^-4 .. 10^-19 |y|^4
    (negative direction); no false proof, and part of each side proved."""
    rng = np.random.default_rng(12)
    k, false_pd, false_neg, n_pd, n_neg = 6, 0, 0, 0, 0
    for a in range(120):
        Q, _ = np.linalg.qr(rng.standard_normal((k, k)))
        lam = rng.uniform(0.5, 2.0, k)
        lam[0] = rng.choice([-1.0, 1.0]) * 10.0 ** rng.uniform(-18, -6)
        B = (Q * lam) @ Q.T
        B = (B + B.T) / 2
        if tree.positive_definite(B[None], tree.shift(B, B))[0]:
            n_pd += 1
            Bq = rq.mat(B)
            false_pd += not all(_principal(Bq, range(m)).det() > 0 for m in range(1, k + 1))
        y = rng.standard_normal(k)
        G = rng.standard_normal((k, k))
        S = (G + G.T) / 2
        n2 = y @ y
        eps = rng.choice([-1.0, 1.0]) * 10.0 ** -rng.uniform(4, 19)
        S = S - ((y @ S @ y) - eps * n2 * n2) * np.outer(y, y) / (n2 * n2)
        S = (S + S.T) / 2
        if tree.negative_direction(S[None], y[None])[0]:
            n_neg += 1
            yv = rq.mat(y[:, None])
            false_neg += not (yv.transpose() * rq.mat(S) * yv)[0, 0] < 0
    ok = false_pd == 0 and false_neg == 0 and n_pd > 0 and n_neg > 0
    return Outcome(ok, float(false_pd + false_neg),
                   f"order 6, 120 boundary matrices each: {n_pd} proved positive definite "
                   f"({false_pd} false), {n_neg} negative directions proved ({false_neg} false)")


register(Claim(
    id="L.solver.signed_tree",
    statement="A minimal non-copositive symmetric matrix has every proper principal block positive "
              "semidefinite and every direction of negative value with entries of one strict "
              "sign. Hence, walking the signed supports (J, s) as a tree (parent: drop the "
              "largest index), a block is no minimal witness when its parent is positive "
              "definite and its last pivot sigma = beta - b^T B_p^{-1} b is > 0, or < 0 with "
              "y = (-B_p^{-1} b, 1) of mixed signs; and no block below an indefinite one is a "
              "minimal witness, so those subtrees are never built.",
    hypotheses=("symmetric blocks of E_s (alpha C - D_s Lambda^T Lambda D_s) E_s, any P <= 16",
                "float proofs: IEEE binary64, round to nearest; entries correctly rounded",
                "blocks the float proofs leave are decided in rationals"),
    provenance=Provenance("derived here (issue #4)", None, "derived",
                          "Replaces a verified float inverse per block (O(k^3), all 3^P blocks) "
                          "by an O(k^2) bordered step on 28-40 % of them: certificates of six "
                          "outputs 29 s -> 1.9 s at P = 14, 323 s -> 18 s at P = 16, solves "
                          "1.7x and 3.1x faster (benchmarks/solver/signed_tree.py)."),
    derivation=sym.signed_tree_derivation,
    witnesses=(Witness("Lemma B on exact minimal non-copositive matrices", "exact", witness_lemma_b),
               Witness("tree walk = all-rational check across the feasibility boundary", "exact",
                       witness_same_verdicts),
               Witness("positive definite and negative-direction proofs never false at the PSD "
                       "boundary (exact rationals)", "exact", witness_float_proofs)),
    notebook="notebooks/08_global_optima.ipynb"))
