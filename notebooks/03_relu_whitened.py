# %% [markdown]
# # 03 — ReLU, whitened hypercube task: $b^*$, $K^*$, $E^*$ (claim `A.relu.whitened`)
#
# **Instance.** $Y$ holds the $P=2^{d_Y}$ sign vectors as columns ($n=1$); its rows $v_i$ satisfy
# $\mathbf 1^\top v_i=0$, $v_i^\top v_j=P\delta_{ij}$. Whitened inputs with the bias row:
# $K_X=\tilde X^\top\tilde X=I+J$, so $Q=I-J/(P+1)$. Activation ReLU.
#
# **Seed's headline** (stated in Paper A):
# $K^*=b^*(d_YJ+K_Y)$, $b^*=\sqrt{\tfrac{\lambda_2}{\lambda_1}\tfrac{P+1}{P(P+2)}}-\tfrac{\lambda_2}{P}$,
# optimal neurons $h=\alpha(\mathbf 1\pm v_i)$.
#
# **Derived here.** The route from the ansatz to $b^*$, the optimal energy $E^*$, and the *silent
# regime* $\lambda_1\lambda_2\ge P(P+1)/(P+2)$ in which the stated $b^*\le 0$ and the optimum is the
# network that does nothing ($E=d_YP$). Global optimality over *all* measures is the exact
# copositivity certificate of notebook 02.

# %%
import numpy as np
import mpmath as mp
import sympy as sp
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

from symbolic import relu_whitened as sym
from numeric import registry
from numeric.claims.relu_whitened import _mp_ansatz_energy, mp_ansatz_minimiser, train_sweep
from numeric.parallelism import parallelism_score
from numeric.relu_whitened import closed_form, optimal_neurons
from numeric.tasks import hypercube

# %% [markdown]
# ## The derivation, step by step

# %%
d = sym.derivation()
print(d.report())

# %%
print("cost of one pattern:       ", sp.factor(sym.cost_per_pattern()))
print("energy along the ansatz:   ", sym.energy_along_ansatz())
print("stationary point (derived):", sym.b_star_derived())
print("optimal energy E*:         ", sym.energy_star())
print("activity threshold:        ", sym.activity_threshold())

# %% [markdown]
# ## Numbers, and a 60-digit check from the definition of the energy
# The energy below is evaluated from its definition (dense mpmath matrices, an explicit inverse),
# on neurons $\sqrt{b/2}(\mathbf 1\pm v_i)$, and minimised over $b$ (grid start, then `findroot`
# on its numerical derivative) — it never sees the closed form.

# %%
with mp.workdps(60):
    for dY in (2, 3):
        lam1 = lam2 = mp.mpf(1) / 10
        b_num, E_num = mp_ansatz_minimiser(dY, lam1, lam2)
        cf = closed_form(dY, lam1, lam2, module="mpmath")
        print(f"dY={dY}: b* = {mp.nstr(cf.b, 20)}, E* = {mp.nstr(cf.energy, 20)}; "
              f"agree with the numerical minimiser to 1e-40: "
              f"{abs(b_num - cf.b) < 1e-40 and abs(E_num - cf.energy) < 1e-40}")

# %%
bs = np.linspace(0.0, 1.2, 200)
fig, ax = plt.subplots(figsize=(5, 3))
for dY in (2, 3):
    cf = closed_form(dY, 0.1, 0.1)
    with mp.workdps(20):
        Es = [float(_mp_ansatz_energy(dY, mp.mpf("0.1"), mp.mpf("0.1"), [mp.mpf(b) / 2] * (2 * dY))) for b in bs]
    ax.plot(bs, Es, label=f"$d_Y={dY}$")
    ax.plot([cf.b], [cf.energy], "k.")
ax.set_xlabel("b"); ax.set_ylabel("energy on the ansatz"); ax.legend()
fig.tight_layout()

# %% [markdown]
# ## The silent regime (derived here; the summaries do not state it)
# $b^*>0$ iff $\lambda_1\lambda_2<P(P+1)/(P+2)$. Beyond it the stated formula turns negative and
# the minimiser over $b\ge0$ is $b=0$.

# %%
for lam in (0.5, 1.0, 1.5, 2.0):
    cf = closed_form(2, lam, lam)
    raw = float(sym.b_star_seed().subs({sym.P: 4, sym.lam1: lam, sym.lam2: lam}))
    print(f"lam1=lam2={lam}: stated formula gives {raw:+.4f}; optimum b = {cf.b:.4f}, "
          f"E* = {cf.energy:.4f}, active: {cf.active}")

# %% [markdown]
# ## Trained networks
# L-BFGS on the network loss (float64), 6 random starts at widths $2d_Y$ and $4d_Y$,
# $\lambda_1=\lambda_2=0.05$. No run goes below $E^*$; the best reaches it; a sizeable fraction
# stalls in local minima (the reason the solver issue exists).

# %%
for dY in (2, 3):
    task, runs, cf = train_sweep(dY)
    gaps = np.array([(r.loss - cf.energy) / cf.energy for r in runs])
    best = runs[int(np.argmin(gaps))]
    ps = parallelism_score(np.maximum(best.W @ task.X_tilde(), 0), task.Y)
    print(f"dY={dY}: no run below E*: {bool(gaps.min() > -1e-9)}, best gap < 1e-3: "
          f"{bool(gaps.min() < 1e-3)}, PS of the best run = {ps:.2f}")

# %% [markdown]
# ## Abstraction at the optimum
# The closed-form hidden layer $\varphi(h)$ with $h=\sqrt{b/2}(\mathbf 1\pm v_i)$ is affine in the
# latent variables, so PS = 1 for every variable:

# %%
for dY in (2, 3, 4):
    cf = closed_form(dY, 0.1, 0.1)
    R = np.maximum(optimal_neurons(dY, cf.b), 0)
    print(f"dY={dY}: PS per variable = {np.round(parallelism_score(R, hypercube(dY).Y, per_variable=True), 12).tolist()}")

# %% [markdown]
# ## All witnesses

# %%
for cid in ("A.relu.whitened", "A.relu.whitened.abstract"):
    for w in registry.run_claim(registry.get(cid)).witnesses:
        print(f"{cid:26s} {w.kind:15s} ok={w.ok}  {w.witness}")
