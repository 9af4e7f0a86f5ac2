# %% [markdown]
# # 01 — From the network loss to the mean-field energy (claim `A.meanfield`)
#
# **Conventions** (Paper A, as used throughout the suite). Samples are *columns*:
# $X\in\mathbb R^{d_X\times P}$, $Y\in\mathbb R^{d_Y\times P}$. The network is
# $f(x)=W_2\,\varphi(W_1x+b)$; the bias is a regularised input, $\tilde X=[X;\mathbf 1^\top]$,
# $W=[W_1,b]$. The loss (no ½, no 1/P) is
# $$E(W,W_2)=\|Y-W_2\varphi(W\tilde X)\|_F^2+\lambda_1\|W\|_F^2+\lambda_2\|W_2\|_F^2 .$$
#
# **Statement** (stated in Paper A; the route is derived here). For preactivation patterns
# $h_k$ (rows of $H=W\tilde X$) in the row space of $\tilde X$,
# $$\min_{W_2}\ \min_{W:\,W\tilde X=H} E=\lambda_1\sum_k h_k^\top Q h_k+\lambda_2\,\mathrm{tr}\big((\lambda_2I+K)^{-1}K_Y\big),$$
# $K=\sum_k\varphi(h_k)\varphi(h_k)^\top$, $Q=(\tilde X^\top\tilde X)^+$, $K_Y=Y^\top Y$.

# %%
import numpy as np
import mpmath as mp
from IPython.display import Math, display

from symbolic import meanfield as sym
from numeric import registry
from numeric.claims.meanfield import random_instance
from numeric.activations import get
from numeric.energy import meanfield_energy, min_norm_weights, network_loss, optimal_readout

# %% [markdown]
# ## The lemma: both inner problems decouple along singular directions
# Ridge over $W_2$: along a singular direction of $\Phi$ with singular value $s$ the problem is
# $\min_w (y-ws)^2+\lambda_2w^2$. Minimum norm over $W$: along a singular direction of $\tilde X$
# with value $t$ the coordinate is $h/t$. sympy checks every scalar step; the decoupling itself is
# a cited textbook fact.

# %%
lemma = sym.derivation()
print(lemma.report())
display(Math(lemma.latex()))

# %%
obj, w_star, value = sym.scalar_ridge()
print("argmin w* =", w_star)
print("minimum   =", value)

# %% [markdown]
# As an independent check the whole matrix identity is confirmed for fully symbolic
# $\Phi$ and $Y$ at small shapes (a check at those shapes, not a proof for all shapes):

# %%
print(sym.matrix_identity_checks().report())

# %% [markdown]
# ## Assembling the energy
# The assembly appeals to the lemma (a registry claim) and checks that $\Phi^\top\Phi$ is the sum
# of the neurons' outer products.

# %%
print(sym.meanfield_derivation().report())

# %% [markdown]
# ## Witness: the loss of an actual network equals the energy
# Take random reachable patterns $H=W_0\tilde X$, build the *primal* optimal weights
# ($W=H\tilde X^+$, $W_2=Y\Phi^\top(\Phi\Phi^\top+\lambda_2I_M)^{-1}$, an $M\times M$ solve) and compare
# the network loss with the energy computed through the *dual* $P\times P$ resolvent.

# %%
for act, bias in (("relu", True), ("tanh", False)):
    Xt, Y, H, _ = random_instance(4, 6, 5, 2, bias, seed=11)
    W = min_norm_weights(H, Xt)
    W2 = optimal_readout(get(act)(W @ Xt), Y, 0.2)
    loss = network_loss(W, W2, Xt, Y, 0.1, 0.2, act)
    energy = meanfield_energy(H, Xt, Y, 0.1, 0.2, act)
    print(f"{act:5s} bias={bias!s:5s} loss={loss:.10f} energy={energy:.10f} "
          f"agree to 1e-12: {abs(loss - energy) <= 1e-12 * energy}")

# %% [markdown]
# Patterns outside the row space of $\tilde X$ cannot be produced by any $W$; the energy refuses
# them instead of silently charging only their reachable part.

# %%
rng = np.random.default_rng(0)
Xt = np.vstack([rng.standard_normal((2, 6)), np.ones((1, 6))])   # rank 3 < P = 6
try:
    meanfield_energy(rng.standard_normal((2, 6)), Xt, np.ones((1, 6)), 1.0, 1.0)
except ValueError as exc:
    print("ValueError:", str(exc).split(";")[0])

# %% [markdown]
# ## All witnesses of the claim (float64, 60-digit mpmath, minimality)

# %%
for w in registry.run_claim(registry.get("A.meanfield")).witnesses:
    print(f"{w.kind:15s} ok={w.ok}  {w.witness}")
