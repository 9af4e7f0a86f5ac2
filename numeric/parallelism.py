r"""Abstraction metrics for representations of tasks with binary latent variables.

Setting
-------
A task has ``dY`` binary latent variables.  A *condition* is a sign vector
``y in {-1, +1}^dY``; there are ``2^dY`` of them.  A representation is given
per sample as a matrix ``R`` of shape ``(N_units, P)`` (samples are COLUMNS)
together with labels ``Y`` of shape ``(dY, P)`` with entries ``+-1``.  Class
means are the special case of one column per condition (pass ``R = means.T``
and ``Y = conds.T``).  Every metric below first reduces the samples to the
class means ``r(y)`` (except CCGP, which trains on the samples themselves).

Canonical condition order: ``itertools.product([-1, 1], repeat=dY)``, i.e. the
first variable is the most significant "bit" and ``-1`` comes before ``+1``;
the row index of ``y`` is ``sum_j b_j 2^(dY-1-j)`` with ``b_j = (y_j + 1)/2``.
Variables are numbered from 0.  For a variable ``k``, a *context* ``alpha`` is
an assignment of the other ``dY - 1`` variables; contexts are enumerated in the
same product order over the remaining variables (in increasing index order).

Definitions
-----------
Coding vector of variable ``k`` in context ``alpha``::

    Delta^(k; alpha) = r(y_k = +1, alpha) - r(y_k = -1, alpha).

Parallelism score (``parallelism_score``; the definition used in Paper A,
Wang, Johnston & Fusi, arXiv:2510.09816)::

    PS_k = mean over unordered pairs {alpha, alpha'} of distinct contexts of
           cos(Delta^(k; alpha), Delta^(k; alpha')),
    PS   = mean_k PS_k.

Max-over-pairings parallelism score (``parallelism_score_max``; Bernardi et
al. 2020, Cell 183:954).  The dichotomy of variable ``k`` splits the conditions
into the halves ``H+ = {y_k = +1}`` and ``H- = {y_k = -1}`` of size
``m = 2^(dY-1)`` each.  For every bijection ``pi: H+ -> H-`` (a *pairing*) the
coding vectors are ``d_c = r(c) - r(pi(c))`` for ``c in H+`` and the pairing's
score is the mean cosine over the ``m(m-1)/2`` unordered pairs of them::

    PSmax_k = max over all m! pairings pi of that score.

The pairing ``pi(y_k=+1, alpha) = (y_k=-1, alpha)`` reproduces ``PS_k``, so
``PSmax_k >= PS_k``.  All ``m!`` pairings are enumerated (no symmetry
reduction: distinct bijections give distinct sets of coding vectors); the
``m``-by-``m`` table of pairwise cosines is computed once and each pairing only
gathers from it.  In practice this is feasible for ``dY <= 4`` (``8! = 40320``).

Cross-condition generalisation performance (``ccgp``; Bernardi et al. 2020).
For variable ``k`` and each context ``alpha``: fit a linear readout of the label
``y_k`` by least squares on ``[r; 1]``, with a ridge penalty ``ridge * |w|^2``
on the weights only (not the bias), using every sample whose context differs
from ``alpha``; predict ``sign(w.r + b)`` on the samples with context ``alpha``
(both ``y_k = +-1`` conditions).  The accuracy is the fraction of correct test
predictions; an output of exactly 0 counts as wrong.  ``CCGP_k`` is the mean
accuracy over the ``2^(dY-1)`` contexts, ``CCGP = mean_k CCGP_k``.

Hypotheses and failure modes
----------------------------
* ``R`` must be real and finite, ``Y`` must contain only ``+-1``, the sample
  counts must agree and every one of the ``2^dY`` conditions must have at least
  one sample; otherwise ``ValueError`` (the message names the argument).
* ``dY = 1``: there is a single context, so no pair of coding vectors exists
  (PS, PSmax undefined) and no held-out context can be trained without (CCGP
  undefined).  ``ValueError``; callers should report the metric as null.
* A zero coding vector makes a cosine undefined.  A vector counts as zero if
  its norm is exactly 0 or ``<= 1e-12 * max_y |r(y)|``.  ``parallelism_score``
  raises ``ValueError`` naming the variable and the context.
  ``parallelism_score_max`` raises if ANY difference ``r(c+) - r(c-)`` between
  the two halves is zero, since then some pairings have no defined score and
  the maximum over all pairings is undefined (e.g. the pure XOR code).
* ``parallelism_score_max`` refuses to enumerate more than ``max_pairings``
  bijections (``ValueError`` naming ``max_pairings`` and the count ``m!``).
* CCGP with ``dY = 2`` trains on a single context, so the readout sees no
  variation of the other variable: a factorised code ``r = A y + c`` reaches
  CCGP = 1 when the columns of ``A`` are orthogonal but may not otherwise
  (for ``dY >= 3`` the training contexts span the other variables and an exact
  linear fit forces perfect generalisation).  ``ridge`` is absolute (units of
  ``r^2``); keep it small relative to the scale of the representation.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = [
    "condition_means",
    "parallelism_score",
    "parallelism_score_max",
    "ccgp",
]

_ZERO_RTOL = 1e-12


# ---------------------------------------------------------------------------
# validation and class means
# ---------------------------------------------------------------------------

def _validate(R, Y):
    """Return (R float64 (N, P), Y int64 (dY, P)) or raise ValueError."""
    R = np.asarray(R)
    Y = np.asarray(Y)
    if np.iscomplexobj(R) or not (np.issubdtype(R.dtype, np.number) or R.dtype == bool):
        raise ValueError(f"R must be a real numeric array; got dtype {R.dtype}")
    if np.iscomplexobj(Y) or not (np.issubdtype(Y.dtype, np.number) or Y.dtype == bool):
        raise ValueError(f"Y must be a real numeric array of +-1 labels; got dtype {Y.dtype}")
    if R.ndim != 2:
        raise ValueError(
            f"R must be a 2-D array of shape (N_units, P) with samples as columns; "
            f"got shape {R.shape}")
    if Y.ndim != 2:
        raise ValueError(
            f"Y must be a 2-D array of shape (dY, P) with samples as columns; "
            f"got shape {Y.shape}")
    if Y.shape[0] < 1:
        raise ValueError(f"Y must have at least one latent variable (dY >= 1); got shape {Y.shape}")
    if R.shape[0] < 1:
        raise ValueError(f"R must have at least one unit (N_units >= 1); got shape {R.shape}")
    if R.shape[1] != Y.shape[1]:
        raise ValueError(
            f"R and Y must have the same number of samples (columns); "
            f"got R.shape={R.shape}, Y.shape={Y.shape}")
    R = R.astype(np.float64)
    if not np.all(np.isfinite(R)):
        bad = np.argwhere(~np.isfinite(R))[0]
        raise ValueError(
            f"R must be finite (no NaN/inf); got {R[tuple(bad)]} at index {tuple(int(i) for i in bad)}")
    Yf = Y.astype(np.float64)
    ok = (Yf == 1.0) | (Yf == -1.0)
    if not np.all(ok):
        bad = np.argwhere(~ok)[0]
        raise ValueError(
            f"Y must contain only -1 and +1; got {Y[tuple(bad)]!r} at index "
            f"{tuple(int(i) for i in bad)}")
    return R, Yf.astype(np.int64)


def _condition_index(Y):
    """Canonical (product-order) condition index of each column of Y."""
    dY = Y.shape[0]
    weights = 2 ** np.arange(dY - 1, -1, -1, dtype=np.int64)
    return ((Y + 1) // 2).T @ weights


def _fmt_cond(y):
    return "(" + ", ".join("+1" if v > 0 else "-1" for v in y) + ")"


def _means(R, Y):
    dY = Y.shape[0]
    n_cond = 2 ** dY
    conds = np.array(list(itertools.product([-1, 1], repeat=dY)), dtype=np.int64)
    idx = _condition_index(Y)
    counts = np.bincount(idx, minlength=n_cond)
    if np.any(counts == 0):
        missing = np.flatnonzero(counts == 0)
        shown = ", ".join(_fmt_cond(conds[i]) for i in missing[:5])
        more = "" if missing.size <= 5 else f", ... ({missing.size} in total)"
        raise ValueError(
            f"Y must contain every one of the 2^dY = {n_cond} conditions at least once; "
            f"no sample for condition(s) {shown}{more}")
    sums = np.zeros((n_cond, R.shape[0]))
    np.add.at(sums, idx, R.T)
    return conds, sums / counts[:, None]


def condition_means(R, Y):
    """Class means of a per-sample representation.

    Parameters
    ----------
    R : array (N_units, P)   -- samples are columns.
    Y : array (dY, P)        -- entries +-1.

    Returns
    -------
    conds : int array (2^dY, dY), all sign vectors in
        ``itertools.product([-1, 1], repeat=dY)`` order.
    means : float array (2^dY, N_units), ``means[i]`` = mean of the columns of
        ``R`` whose label is ``conds[i]``.
    """
    R, Y = _validate(R, Y)
    return _means(R, Y)


def coding_index_sets(Y):
    """The coding vectors as linear maps of the representation, for exact or interval use.

    Returns, for every variable ``k``, the list over contexts ``alpha`` (canonical order) of
    ``(plus, minus)`` sample-index arrays, so that
    ``Delta^(k; alpha) = R[:, plus].mean(1) - R[:, minus].mean(1)``: the same coding vectors
    ``parallelism_score`` builds from the class means. Needs dY >= 2 and every condition present
    (the errors of ``parallelism_score``).
    """
    _, Y = _validate(np.zeros((1, np.asarray(Y).shape[-1])), Y)
    dY = Y.shape[0]
    if dY < 2:
        raise ValueError(f"Y has dY = {dY} latent variable; coding vectors need dY >= 2")
    _means(np.zeros((1, Y.shape[1])), Y)            # raises when a condition has no sample
    idx = _condition_index(Y)
    cube = np.arange(2 ** dY).reshape((2,) * dY)
    out = []
    for k in range(dY):
        plus = np.take(cube, 1, axis=k).ravel()
        minus = np.take(cube, 0, axis=k).ravel()
        out.append([(np.flatnonzero(idx == a), np.flatnonzero(idx == b)) for a, b in zip(plus, minus)])
    return out


def _prepare(R, Y, metric):
    R, Y = _validate(R, Y)
    dY = Y.shape[0]
    if dY < 2:
        raise ValueError(
            f"Y has dY = {dY} latent variable; {metric} needs dY >= 2 "
            f"(with dY = 1 there is a single context, so the metric is undefined)")
    conds, means = _means(R, Y)
    return R, Y, conds, means


def _halves(means, dY, k):
    """(plus, minus) class means of variable k, each (2^(dY-1), N), rows in context order."""
    M = means.reshape((2,) * dY + (means.shape[1],))
    m = 2 ** (dY - 1)
    plus = np.take(M, 1, axis=k).reshape(m, -1)
    minus = np.take(M, 0, axis=k).reshape(m, -1)
    return plus, minus


def _context_str(k, alpha, dY):
    others = [j for j in range(dY) if j != k]
    return "{" + ", ".join(f"y_{j}={'+1' if a > 0 else '-1'}" for j, a in zip(others, alpha)) + "}"


def _zero_tol(means):
    return _ZERO_RTOL * float(np.max(np.linalg.norm(means, axis=1)))


def _mean_offdiag_cos(U):
    """Mean cosine over unordered pairs of rows of the row-normalised matrix U."""
    G = np.clip(U @ U.T, -1.0, 1.0)
    iu = np.triu_indices(U.shape[0], 1)
    return float(np.mean(G[iu]))


def _result(values, per_variable):
    values = [float(v) for v in values]
    return values if per_variable else float(np.mean(values))


# ---------------------------------------------------------------------------
# metrics
# ---------------------------------------------------------------------------

def parallelism_score(R, Y, *, per_variable=False):
    """Parallelism score (mean cosine between coding vectors of distinct contexts).

    Returns ``PS = mean_k PS_k`` as a float, or the list ``[PS_0, ..., PS_{dY-1}]``
    when ``per_variable`` is true.  See the module docstring for the definition
    and failure modes (dY = 1, zero coding vectors).
    """
    _, Y, _, means = _prepare(R, Y, "parallelism_score")
    dY = Y.shape[0]
    tol = _zero_tol(means)
    contexts = list(itertools.product([-1, 1], repeat=dY - 1))
    scores = []
    for k in range(dY):
        plus, minus = _halves(means, dY, k)
        delta = plus - minus
        norms = np.linalg.norm(delta, axis=1)
        for a, nrm in enumerate(norms):
            if nrm == 0.0 or nrm <= tol:
                raise ValueError(
                    f"R gives a zero coding vector for variable k={k} in context "
                    f"{_context_str(k, contexts[a], dY)} (norm {nrm:.3e} <= "
                    f"{_ZERO_RTOL:g} * max class-mean norm); the cosine is undefined")
        scores.append(_mean_offdiag_cos(delta / norms[:, None]))
    return _result(scores, per_variable)


def parallelism_score_max(R, Y, *, per_variable=False, max_pairings=40320):
    """Bernardi et al. (2020) parallelism score: maximum over all pairings.

    For each variable ``k`` every bijection between the ``y_k = +1`` and the
    ``y_k = -1`` conditions is scored by the mean pairwise cosine of its coding
    vectors; ``PS_k`` is the maximum.  Raises ``ValueError`` if the number of
    pairings ``(2^(dY-1))!`` exceeds ``max_pairings``.
    """
    if isinstance(max_pairings, bool) or not isinstance(max_pairings, (int, np.integer)) \
            or max_pairings < 1:
        raise ValueError(f"max_pairings must be a positive integer; got {max_pairings!r}")
    _, Y, conds, means = _prepare(R, Y, "parallelism_score_max")
    dY = Y.shape[0]
    m = 2 ** (dY - 1)
    n_pairings = math.factorial(m)
    if n_pairings > max_pairings:
        raise ValueError(
            f"max_pairings={max_pairings} is smaller than the number of pairings "
            f"({m})! = {n_pairings} for dY = {dY}; raise max_pairings to enumerate them")
    tol = _zero_tol(means)
    contexts = list(itertools.product([-1, 1], repeat=dY - 1))
    iu, lu = np.triu_indices(m, 1)
    n_pairs = iu.size
    chunk = 40320
    scores = []
    for k in range(dY):
        plus, minus = _halves(means, dY, k)
        D = plus[:, None, :] - minus[None, :, :]          # D[i, j] = r(+, alpha_i) - r(-, alpha_j)
        norms = np.linalg.norm(D, axis=2)
        bad = np.argwhere((norms == 0.0) | (norms <= tol))
        if bad.size:
            i, j = (int(v) for v in bad[0])
            raise ValueError(
                f"R gives a zero coding vector for variable k={k}: the conditions "
                f"y_{k}=+1 in context {_context_str(k, contexts[i], dY)} and y_{k}=-1 in "
                f"context {_context_str(k, contexts[j], dY)} have equal class means "
                f"(norm {norms[i, j]:.3e}); pairings using them have undefined cosines")
        U = (D / norms[..., None]).reshape(m * m, -1)
        C = np.clip(U @ U.T, -1.0, 1.0).reshape(m, m, m, m)   # C[i,j,l,q] = cos(D[i,j], D[l,q])
        best = -np.inf
        perms = itertools.permutations(range(m))
        while True:
            block = np.array(list(itertools.islice(perms, chunk)), dtype=np.int64)
            if block.size == 0:
                break
            vals = C[iu, block[:, iu], lu, block[:, lu]].sum(axis=1) / n_pairs
            best = max(best, float(vals.max()))
        scores.append(best)
    return _result(scores, per_variable)


def ccgp(R, Y, *, per_variable=False, ridge=1e-8):
    """Cross-condition generalisation performance (Bernardi et al. 2020).

    For each variable ``k`` and held-out context ``alpha``: ridge-regularised
    least-squares readout of ``y_k`` on ``[r; 1]`` trained on all samples with
    context != ``alpha``, accuracy of ``sign`` of its output on the samples with
    context ``alpha``.  Returns the mean over ``k`` of the mean over contexts,
    or the per-variable list.
    """
    ridge_f = None
    if isinstance(ridge, (int, float, np.integer, np.floating)) and not isinstance(ridge, bool):
        ridge_f = float(ridge)
    if ridge_f is None or not np.isfinite(ridge_f) or ridge_f < 0:
        raise ValueError(f"ridge must be a finite non-negative number; got {ridge!r}")
    R, Y, _, _ = _prepare(R, Y, "ccgp")
    dY = Y.shape[0]
    N, P = R.shape
    X = np.hstack([R.T, np.ones((P, 1))])
    if ridge_f > 0:
        pen = np.hstack([np.sqrt(ridge_f) * np.eye(N), np.zeros((N, 1))])
    else:
        pen = np.zeros((0, N + 1))
    scores = []
    for k in range(dY):
        others = [j for j in range(dY) if j != k]
        ctx = _condition_index(Y[others])
        label = Y[k].astype(np.float64)
        accs = []
        for a in range(2 ** (dY - 1)):
            test = ctx == a
            train = ~test
            A = np.vstack([X[train], pen])
            b = np.concatenate([label[train], np.zeros(pen.shape[0])])
            w, *_ = np.linalg.lstsq(A, b, rcond=None)
            pred = np.sign(X[test] @ w)
            accs.append(np.mean(pred == label[test]))
        scores.append(np.mean(accs))
    return _result(scores, per_variable)
