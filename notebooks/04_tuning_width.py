# %% [markdown]
# # 04 — More samples, no bias, neuron tuning and the minimal width
# Claims `A.relu.whitened.n`, `A.relu.nobias`, `A.relu.nobias.not-unique`, `A.relu.tuning`,
# `A.relu.width`.
#
# **Setting.** ReLU network $f(x)=W_2\varphi(W_1x+b)$, loss
# $\|Y-W_2\varphi(W\tilde X)\|_F^2+\lambda_1\|W\|_F^2+\lambda_2\|W_2\|_F^2$, hypercube task: the
# $2^{d_Y}$ sign vectors, each repeated $n$ times, $P=n\,2^{d_Y}$; whitened inputs
# $X^\top X=I_P$ (so two samples of the same class have *orthogonal* inputs). The mean-field
# energy over pre-activation patterns is
# $\mathcal E=\lambda_1\sum_k h_k^\top Qh_k+\lambda_2\operatorname{tr}((\lambda_2+K)^{-1}K_Y)$
# with $Q=K_X^{-1}$: $Q=I-J/(P+1)$ with the bias row, $Q=I$ without.
#
# **What the paper's summaries state.** Only $n=1$ with the bias:
# $K^*=b^*(d_YJ+K_Y)$, neurons $h=\alpha(\mathbf 1\pm v_i)$, and "for $M\ge 2^{d_Y}$ every global
# minimum is abstract". The $n>1$ formula, the role of the bias and the smallest width are open.
#
# **The one tool.** Everything below rests on a Walsh-basis identity (module `symbolic/walsh.py`):
# for a pattern $p\ge0$ with Walsh coordinates $s=\mathbf 1^\top p$, $c_i=v_i^\top p$, higher-degree
# weights $T_e,T_o$ (even/odd degree $\ge2$) and within-class weight $W$,
# $$s^2-\textstyle\sum_ic_i^2+T_e-T_o \;=\; n^2 2^{d_Y}\sum_y q(y)q(-y)\;\ge 0,$$
# where $q$ is the class mean of $p$ — the *antipodal inequality*.

# %%
import itertools
from fractions import Fraction

import numpy as np
import sympy as sp

from symbolic import samples as ssym, nobias as nsym, width as wsym
from numeric.claims.samples import exact_certificate
from numeric.claims.nobias import _alternative_measure
from numeric.claims.width import _S_rows, runs, WIDTH_LAM
from numeric.energy import meanfield_energy
from numeric.nobias import closed_form as nobias_cf, relu_linear_neurons
from numeric.parallelism import parallelism_score
from numeric.samples import closed_form, optimal_neurons
from numeric.tasks import hypercube, hypercube_targets
from numeric.width import forced_masses, width_one_dy1, zero_set

# %% [markdown]
# ## 1. More samples per class (`A.relu.whitened.n`)
# The derivation: the cost of a half-cube pattern, the fit term and hence $E(b)$ are those of
# $n=1$ with $P=n2^{d_Y}$ (only $\mathbf 1^\top v_i=0$ and $v_i^\top v_j=P\delta_{ij}$ are used).
# The dual matrix at $K^*$ is $S=\frac{\lambda_1}{P+1}[(P+1)I-J-\frac{P+2}{P}K_Y]$ and Parseval plus
# the antipodal identity give
# $\frac{P(P+1)}{\lambda_1}p^\top Sp=A+PT_e+(P+2)T_o+P(P+1)W\ge0$: $S$ is copositive for **every**
# $d_Y$ and $n$, so $K^*$ is a global optimum (with the ReLU reduction of `A.kkt` and convexity of
# $\mathcal E$ in $\rho$).

# %%
d = ssym.derivation()
print(d.report())

# %%
print("b*(n) =", ssym.b_star())
print("E*(n) =", ssym.energy_star())
print("S*    =", ssym.dual_closed_form())

# %% [markdown]
# Numbers ($\lambda_1=\lambda_2=0.1$), and the energy recomputed from its definition (dense
# $P\times P$ matrices, explicit neurons $\sqrt{b^*/2}(\mathbf 1\pm v_i)$ on the repeated rows):

# %%
for dY in (1, 2, 3):
    for n in (1, 2, 3):
        cf = closed_form(dY, n, 0.1, 0.1)
        task = hypercube(dY, n)
        E_def = meanfield_energy(optimal_neurons(dY, n, cf.b), task.X_tilde(), task.Y, 0.1, 0.1)
        print(f"dY={dY} n={n} P={cf.P:2d}: b* = {cf.b:.6f}, E* = {cf.energy:.6f}, "
              f"definition agrees: {abs(E_def - cf.energy) < 1e-12 * cf.energy}")

# %% [markdown]
# Exact certificate (python-flint rationals; $\lambda_2=1/10$ and $\lambda_1$ chosen so that
# $b^*=1/2$): $S$ from its definition is copositive and vanishes on the neurons.

# %%
for dY, n in ((2, 2), (2, 3), (3, 2)):
    res, slack, E, lam1 = exact_certificate(dY, n)
    print(f"(dY, n) = ({dY}, {n}): lam1 = {lam1}, S copositive: {res.copositive}, "
          f"V = 0 on the 2dY neurons: {all(v == 0 for v in slack)}, E* = {E}")

# %% [markdown]
# ## 2. Tuning: the zero set of $S^*$ and the uniqueness of $K^*$ (`A.relu.tuning`)
# Equality in the Walsh certificate needs $W=T_e=T_o=0$ (class-constant, degree $\le1$:
# $q=a+c\cdot y$) and $A=0$, i.e. $a=|c|_2$; positivity at $y=-\mathrm{sign}(c)$ needs $a\ge|c|_1$.
# Hence $|c|_1=|c|_2$: one non-zero $c_i$, $q=a(1\pm y_i)$. Every optimal measure lives on these
# $2d_Y$ rays (complementary slackness; the dual matrix is the same at every optimum because the
# fit term is strictly convex along $R Y^\top$), and $Kv_j=b^*Pv_j$ forces mass $b^*/2$ on each.

# %%
print(wsym.tuning_derivation().report())

# %% [markdown]
# Exact enumeration of **every** support $F$ on which $S^*$ has a non-negative zero (for a
# copositive $S$, such a zero spans $\ker S_{FF}$ with positive entries): only the half-cubes.

# %%
for dY, n in ((2, 1), (3, 1), (2, 2)):
    Y, rows = _S_rows(dY, n)
    zeros, undecided = zero_set(rows)
    halves = []
    for F, _ in zeros:
        cols = {tuple(int(v) for v in Y[:, k]) for k in F}
        fixed = [(i, s) for i in range(dY) for s in (1, -1) if all(c[i] == s for c in cols)]
        halves.append(fixed)
    print(f"(dY, n) = ({dY}, {n}): {len(zeros)} zero supports, each = {{y_i = s}} for "
          f"(i, s) in {sorted(h[0] for h in halves)}; undecided: {len(undecided)}")
print("forced masses for b* = 1/2:", [str(m) for m in forced_masses(3, 1, Fraction(1, 2))])

# %% [markdown]
# ## 3. The minimal width (`A.relu.width`)
# Each of the $2d_Y$ rays must carry mass $b^*/2>0$ and a width-$M$ network realises at most $M$
# atoms: the optimum is reachable **iff $M\ge2d_Y$** (the stated $M\ge2^{d_Y}$ is sufficient, tight
# only for $d_Y\le2$). Below, the minimum over $M$ patterns is attained and not optimal: strictly
# worse. For $d_Y=1$, $M=1$ it is exactly $E_1=E^*+(1-u)^2$, $u=\sqrt{2\lambda_1\lambda_2/3}$.

# %%
print(wsym.width_derivation().report())

# %%
for lam in (0.05, 0.2, 0.5):
    t2, e1 = width_one_dy1(lam, lam)
    print(f"lam1 = lam2 = {lam}: E* = {closed_form(1, 1, lam, lam).energy:.6f}, "
          f"E_1 (width 1) = {e1:.6f}")

# %% [markdown]
# Trained networks (profile-loss L-BFGS, fixed seeds, $\lambda=0.05$), $d_Y=2$: at $M=3$ every
# run stays at least 1% above $E^*$; at $M=4$ the best reaches it.

# %%
cf2 = closed_form(2, 1, WIDTH_LAM, WIDTH_LAM)
for M in (3, 4):
    _, rs = runs(2, M)
    gaps = np.array([(r.loss - cf2.energy) / cf2.energy for r in rs])
    print(f"M = {M}: every run >= 1e-2 above E*: {bool(gaps.min() >= 1e-2)}; best run within "
          f"1e-3 of E*: {bool(gaps.min() <= 1e-3)}" + (f"; best gap {gaps.min():.3f}" if M == 3 else ""))

# %% [markdown]
# ## 4. Without the bias (`A.relu.nobias`, `A.relu.nobias.not-unique`)
# With $Q=I$ the constant direction is no longer discounted. The same ansatz gives
# $b^*=\sqrt{\lambda_2/(2\lambda_1P)}-\lambda_2/P$ with the **same** $c=d_Y$, and the certificate
# becomes $\frac{P}{\lambda_1}p^\top Sp=A+2T_o+PW\ge0$. Its zero set is larger: $T_e$ is free, so
# every class-constant pattern with linear odd part and disjoint antipodes — exactly
# $\mathrm{ReLU}(w\cdot y)$ for any $w$ — is an optimal neuron.

# %%
print(nsym.derivation().report())

# %%
for dY in (2, 3):
    a, b = nobias_cf(dY, 1, 0.05, 0.05), closed_form(dY, 1, 0.05, 0.05)
    print(f"dY={dY}: no bias b* = {a.b:.6f}, E* = {a.energy:.6f} | with bias b* = {b.b:.6f}, "
          f"E* = {b.energy:.6f}")

# %% [markdown]
# Non-uniqueness: the one-hot code ($d_Y=2$, neurons $\mathrm{ReLU}(\pm y_1\pm y_2)$) and the edge
# code ($d_Y=3$, $\mathrm{ReLU}(\pm y_i\pm y_j)$) reach $E^*$ exactly, and they are not abstract.

# %%
print(nsym.nonunique_derivation().report())
for dY in (2, 3):
    ws, pats, wgt = _alternative_measure(dY)
    cf = nobias_cf(dY, 1, 0.05, 0.05)
    H = np.sqrt(float(wgt) * cf.b / 0.5) * relu_linear_neurons(dY, 1, ws)   # weight scaled to b*
    task = hypercube(dY, 1, bias=False)
    E = meanfield_energy(H, task.X_tilde(), task.Y, 0.05, 0.05)
    print(f"dY={dY}: {len(ws)} neurons, E = {E:.8f} vs E* = {cf.energy:.8f}; "
          f"PS = {parallelism_score(np.maximum(H, 0), task.Y):.4f}")

# %% [markdown]
# ## All witnesses (fast ones)

# %%
from numeric import registry
for cid in ("A.relu.whitened.n", "A.relu.nobias", "A.relu.nobias.not-unique", "A.relu.tuning",
            "A.relu.width"):
    c = registry.get(cid)
    print(f"{cid:26s} [{c.provenance.verdict}] witnesses: "
          + ", ".join(f"{w.kind}" for w in c.witnesses))
