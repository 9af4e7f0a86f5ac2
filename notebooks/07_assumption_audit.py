# %% [markdown]
# # 07 — Assumption audit: which hypothesis does each conclusion really need?
#
# **Baseline theorem** (Paper A, our certified version, notebooks 02–04): ReLU, hypercube task,
# whitened inputs with the bias row, $\lambda_1,\lambda_2>0$ below the silent threshold, width
# $M\ge 2d_Y$. Conclusions:
#
# * **K** — the optimal kernel is $b^*(d_YJ+K_Y)$;
# * **PS** — *every* global minimum is abstract (PS = 1);
# * **b\*** — the seed's formula $b^*=\sqrt{\tfrac{\lambda_2}{\lambda_1}\tfrac{P+1}{P(P+2)}}-\tfrac{\lambda_2}{P}$.
#
# Each row below drops one hypothesis and says what happens, citing the registry claim whose
# witnesses settle it. A conclusion that fails has a registered counterexample, re-derived in the
# cells that follow.

# %%
from fractions import Fraction

import numpy as np
from IPython.display import Markdown, display

from numeric import audit, registry

# %%
lines = ["| hypothesis dropped | K | PS | b* | claims |", "|---|---|---|---|---|"]
for r in audit.rows():
    lines.append(f"| {r.dropped} | {r.kernel} | {r.abstract} | {r.b_star} | "
                 + ", ".join(f"`{c}`" for c in r.claims) + " |")
display(Markdown("\n".join(lines)))

# %%
for r in audit.rows():
    print(f"- {r.dropped}:\n    {r.note}")
    for c in r.claims:
        print(f"    {c} [{registry.get(c).provenance.verdict}]")

# %% [markdown]
# ## Counterexample 1 — without the bias, global minima need not be abstract
# Without the bias row ($K_X=I$, $Q=I$) the optimum still has kernel $b^*(d_YJ+K_Y)$, but other
# measures reach the same energy. For $d_Y=2$ the one-hot code (4 neurons $\mathrm{ReLU}(\pm y_1\pm y_2)$)
# and for $d_Y=3$ an edge code (12 neurons $\mathrm{ReLU}(\pm y_i\pm y_j)$) are global minima with
# PS = 0 and PS = 1/3. The check is exact: energy from the definition equals $E^*$, and the dual
# matrix at that kernel is copositive with complementary slackness (its own KKT certificate).

# %%
from numeric.claims.nobias import witness_alt_exact, witness_alt_ps
print(witness_alt_exact().detail)
print(witness_alt_ps().detail)

# %% [markdown]
# ## Counterexample 2 — input variance along interaction directions
# With extra input variance $\eta$ along the products $y_iy_j$, the abstract kernel stops being
# optimal as soon as $\eta>1$: a conjunction neuron has $V<0$. For $d_Y=2$ the optimum becomes the
# conjunctive (one-hot) code, PS = 0.

# %%
from numeric.inputs import closed_form as inputs_closed_form
for eta in (0.5, 1.0, 2.0, 4.0):
    cf = inputs_closed_form(2, "interaction", {"eta": eta}, 0.05, 0.05)
    print(f"eta = {eta}: optimal code = {cf.code}, E* = {cf.energy:.10f}")

# %% [markdown]
# ## Counterexample 3 — width
# The optimum needs $2d_Y$ neurons (the summaries say $2^{d_Y}$, which is sufficient but not
# tight for $d_Y\ge3$). For $d_Y=1$ the width-1 optimum is known exactly:
# $E_1=E^*+(1-\sqrt{2\lambda_1\lambda_2/3})^2>E^*$.

# %%
from numeric.relu_whitened import closed_form
from numeric.width import min_width, width_one_dy1
for lam in (0.01, 0.1, 0.5):
    print(f"lam = {lam}: E* = {closed_form(1, lam, lam).energy:.10f}, "
          f"E(M=1) = {width_one_dy1(lam, lam)[1]:.10f}, minimal width dY=3: {min_width(3, 1, lam, lam)}")

# %% [markdown]
# ## Counterexample 4 — regularisation
# Without $\lambda_1$ (or $\lambda_2$) there is no minimiser: the one-hot network's loss tends to
# the infimum 0 along a sequence of non-abstract (PS = 0) networks
# (claim `A.audit.regularisation`, derived here).

# %%
from symbolic import regularisation as reg
print(reg.derivation().report())
from numeric.claims.regularisation import witness_lam1_zero, witness_lam2_zero
print(witness_lam1_zero().detail)
print(witness_lam2_zero().detail)

# %% [markdown]
# ## Counterexample 5 — the silent regime
# For $\lambda_1\lambda_2\ge P(P+1)/(P+2)$ the stated $b^*$ is $\le0$; the optimum is the network
# that does nothing and PS is undefined (notebook 03).

# %%
for lam in (1.5, 2.0):
    cf = closed_form(2, lam, lam)
    print(f"lam1 = lam2 = {lam}: active = {cf.active}, b = {cf.b:.6f}, E* = {cf.energy:.6f}")
