"""``emergence figures``: every figure as PNG, from the registry's own computations.

Each figure is a function ``fig_<name>(full: bool) -> matplotlib Figure`` listed in ``FIGURES``
with the claim it illustrates. ``--full`` uses the larger sweeps (more seeds, more dY); the
default is quick enough for a laptop.

* ``A.kernels``   closed-form K* = b*(dY J + K_Y) next to the hidden kernel of the best trained
                  network (L-BFGS, several starts), dY = 2, 3 (Paper A's predicted-vs-trained
                  kernel figure, our reproduction).
* ``A.silent``    E*/(dY P) against lam = lam1 = lam2 for dY = 1..4 (5..7 with --full), showing the
                  silent regime lam1 lam2 >= P(P+1)/(P+2) derived here.
* ``A.training``  relative gap to E* and PS of every training run (local minima visible).
"""
from __future__ import annotations

import os

import numpy as np

from numeric.validation import InputError


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def fig_kernels(full: bool):
    from numeric.claims.relu_whitened import train_sweep
    plt = _plt()
    dys = (2, 3)
    fig, axes = plt.subplots(len(dys), 2, figsize=(6, 3 * len(dys)))
    for row, dY in zip(axes, dys):
        task, runs, cf = train_sweep(dY, seeds=range(12 if full else 6))
        best = min(runs, key=lambda r: r.loss)
        Hd = np.maximum(best.W @ task.X_tilde(), 0)
        for ax, K, title in ((row[0], cf.kernel(), f"closed form, dY={dY}"),
                             (row[1], Hd.T @ Hd, f"trained (gap {(best.loss - cf.energy) / cf.energy:.1e})")):
            im = ax.imshow(K, cmap="viridis")
            ax.set_title(title, fontsize=9)
            ax.set_xticks([]); ax.set_yticks([])
            fig.colorbar(im, ax=ax, fraction=0.046)
    fig.tight_layout()
    return fig


def fig_silent(full: bool):
    from numeric.relu_whitened import closed_form
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5, 3.5))
    lams = np.logspace(-3, 1.5, 200)
    for dY in range(1, 8 if full else 5):
        P = 2 ** dY
        E = [closed_form(dY, l, l).energy / (dY * P) for l in lams]
        ax.semilogx(lams, E, label=f"dY={dY}")
        ax.axvline(np.sqrt(P * (P + 1) / (P + 2)), color="gray", lw=0.5, ls=":")
    ax.set_xlabel("lambda1 = lambda2"); ax.set_ylabel("E* / (dY P)")
    ax.set_title("ReLU, whitened hypercube: optimal energy (silent beyond dotted lines)", fontsize=8)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def fig_training(full: bool):
    from numeric.claims.relu_whitened import _ps_or_none, train_sweep
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for dY, marker in ((2, "o"), (3, "s")):
        task, runs, cf = train_sweep(dY, seeds=range(12 if full else 6))
        gaps = [max((r.loss - cf.energy) / cf.energy, 1e-8) for r in runs]
        ps = [_ps_or_none(r, task) for r in runs]
        ax.semilogx(gaps, [np.nan if p is None else p for p in ps], marker, label=f"dY={dY}", alpha=0.7)
    ax.set_xlabel("relative gap to E* (L-BFGS run)"); ax.set_ylabel("parallelism score")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


FIGURES = {"A.kernels": fig_kernels, "A.silent": fig_silent, "A.training": fig_training}


def write_figures(out: str, *, only=None, full: bool = False) -> list[str]:
    names = list(FIGURES) if not only else list(only)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise InputError(f"`--only` must name figures among {sorted(FIGURES)}; got {unknown}")
    os.makedirs(out, exist_ok=True)
    plt = _plt()
    paths = []
    for name in names:
        fig = FIGURES[name](full)
        path = os.path.join(out, f"{name}.png")
        fig.savefig(path, dpi=120)
        plt.close(fig)
        paths.append(path)
    return paths
