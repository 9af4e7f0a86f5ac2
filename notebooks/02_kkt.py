# %% [markdown]
# # 02 — Optimality conditions and copositivity (claim `A.kkt`)
#
# Energy over measures of preactivation patterns (Paper A; see notebook 01):
# $$\mathcal E[\rho]=\lambda_1\!\int h^\top Qh\,d\rho+\lambda_2\,\mathrm{tr}\big((\lambda_2I+K[\rho])^{-1}K_Y\big),\qquad K[\rho]=\int\varphi(h)\varphi(h)^\top d\rho .$$
#
# **First variation** (derived here). Adding mass $\varepsilon$ at $u$ changes $K$ by
# $\varepsilon\,\varphi(u)\varphi(u)^\top$, and $d(A^{-1})=-A^{-1}\,dA\,A^{-1}$ gives
# $$V(u)=\lambda_1u^\top Qu-\lambda_2\,\varphi(u)^\top(\lambda_2+K)^{-1}K_Y(\lambda_2+K)^{-1}\varphi(u).$$
# **Optimality** (stated in Paper A): $V\ge0$ everywhere and $V=0$ on the support of $\rho^*$.
#
# **ReLU reduction** (derived here). With whitened inputs $Q=I-cJ$ ($c=1/(P+1)$ with the bias,
# $c=0$ without), the negative part of a pattern only adds cost, so $V\ge0$ everywhere iff
# $$S=\lambda_1Q-\lambda_2(\lambda_2+K)^{-1}K_Y(\lambda_2+K)^{-1}\ \text{is copositive}.$$

# %%
from fractions import Fraction

import mpmath as mp
import numpy as np
import sympy as sp

from symbolic import kkt as sym
from numeric import registry
from numeric.claims.kkt import exact_certificate
from numeric.exact import dual_matrix_exact, hypercube_matrices, rational_lam1_for
import flint
from numeric.energy import kernel, potential
from numeric.tasks import sign_vectors

# %%
d = sym.derivation()
print(d.report())

# %% [markdown]
# The first step is a genuine symbolic computation: for fully symbolic $2\times2$ $K$, $K_Y$ and
# $f=\varphi(u)$ sympy differentiates the trace term at $\varepsilon=0$ and matches $-\lambda_2 f^\top A f$.
# The last two steps are the ReLU reduction: the cost difference between $u=p-q$ and $p=u_+$
# and its sign (Cauchy–Schwarz, $c=1/(P+1)\le 1/P$).

# %%
lhs, rhs = sym.first_variation_check(2)
print("d/d eps (trace term) + lam2 f^T A f == 0:", sp.simplify(lhs - rhs) == 0)

# %% [markdown]
# ## The reduction needs the whitened structure of $Q$
# For $Q=I-J/(P+1)$, $V(u)\ge V(u_+)$ for every $u$ (checked on random $u$). For a general
# input geometry the negative part of a pattern can *lower* the cost, and the reduction to
# copositivity fails as stated: an example with a random (non-whitened) $K_X$.

# %%
rng = np.random.default_rng(5)
V = sign_vectors(2); P = V.shape[1]; KY = V.T @ V
H = np.abs(rng.standard_normal((4, P))); K = kernel(H)
Q_white = np.eye(P) - np.ones((P, P)) / (P + 1)
A = rng.standard_normal((P, P)); Q_general = np.linalg.inv(A @ A.T + 0.1 * np.eye(P))
for name, Q in (("whitened", Q_white), ("general", Q_general)):
    gaps = [potential(u, K, Q, KY, 0.2, 0.3) - potential(np.maximum(u, 0), K, Q, KY, 0.2, 0.3)
            for u in rng.standard_normal((2000, P))]
    print(f"{name:9s}: min over 2000 u of V(u) - V(u_+) is negative: {min(gaps) < 0}")

# %% [markdown]
# ## Exact certificate at the closed-form optimum
# With $\lambda_2=1/10$ and $\lambda_1$ chosen so that $b^*=1/2$ exactly (rational), the dual
# matrix at $K^*=b^*(d_Y J+K_Y)$ is rational. Its copositivity is decided exactly
# (Cottle–Habetler–Lemke recursion over principal submatrices, python-flint rationals), and
# complementary slackness $p^\top Sp=0$ is checked on every support pattern $p=\mathbf 1\pm v_i$.

# %%
for dY in (2, 3):
    res, slack, lam1 = exact_certificate(dY)
    print(f"dY={dY}: lam1 = {lam1}, S copositive: {res.copositive} "
          f"({res.submatrices_checked} principal submatrices), "
          f"p^T S p on the support: {sorted(set(slack))}")

# %%
# the dual matrix itself, dY = 2, exactly (K* = b*(2J + K_Y), b* = 1/2, lam2 = 1/10)
KY2, Q2 = hypercube_matrices(2)
K2 = (flint.fmpq_mat(4, 4, [1] * 16) * 2 + KY2) * flint.fmpq(1, 2)
S2 = dual_matrix_exact(K2, Q2, KY2, rational_lam1_for(2, Fraction(1, 10), Fraction(1, 2)), Fraction(1, 10))
sp.Matrix(4, 4, lambda i, j: sp.Rational(int(S2[i, j].p), int(S2[i, j].q)))

# %% [markdown]
# ## Negative control: the certificate fails away from $b^*$
# At $b=b^*/2$ the dual matrix is *not* copositive and the decision returns an exact vector
# $x\ge0$ with $x^\top Sx<0$ (a better neuron exists); at $b=2b^*$ it stays copositive but
# $V>0$ on the support, so complementary slackness fails.

# %%
for dY in (2, 3):
    lo, _, _ = exact_certificate(dY, b_used=Fraction(1, 4))
    hi, slack_hi, _ = exact_certificate(dY, b_used=Fraction(1))
    print(f"dY={dY}: b*/2 copositive={lo.copositive}, witness x={[str(v) for v in lo.witness]}, "
          f"x^T S x={lo.value}; 2b*: min V on support = {min(slack_hi)}")

# %% [markdown]
# ## All witnesses of the claim

# %%
for w in registry.run_claim(registry.get("A.kkt")).witnesses:
    print(f"{w.kind:15s} ok={w.ok}  {w.witness}")
