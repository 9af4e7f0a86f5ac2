# %% [markdown]
# # 08 — Global optima and their certificates (claims `A.copositive`, `A.relu.all-minima`)
#
# **Conventions** (Paper A, as throughout the suite). Samples are columns, $X\in\mathbb R^{d_X\times P}$,
# $Y\in\mathbb R^{d_Y\times P}$; $\tilde X=[X;\mathbf 1^\top]$ with the bias; the loss is
# $E(W,W_2)=\|Y-W_2\,\mathrm{relu}(W\tilde X)\|_F^2+\lambda_1\|W\|_F^2+\lambda_2\|W_2\|_F^2$ and the
# mean-field energy is $\mathcal E=\lambda_1\sum_k h_k^\top Qh_k+\lambda_2\mathrm{tr}((\lambda_2+K)^{-1}K_Y)$
# with $Q=(\tilde X^\top\tilde X)^+$.
#
# Gradient training of the network gets stuck in local minima. This notebook solves the problem
# **globally** and proves it: every answer comes with a certificate that is re-checked in exact
# rational arithmetic, without trusting floating point.
#
# 1. *Weak duality* (derived here): for any $\Lambda\in\mathbb R^{d_Y\times P}$ with
#    $\|\Lambda\,\mathrm{relu}(h)\|^2\le\lambda_1\lambda_2\,h^\top Qh$ for all reachable $h$,
#    every network has loss $\ge D(\Lambda)=2\langle\Lambda,Y\rangle-\|\Lambda\|^2$.
#    For ReLU the condition is the copositivity of $\lambda_1\lambda_2C-\Lambda^\top\Lambda$.
# 2. *Certificate* = a concrete network (upper bound, its exact loss) + a dual point (lower bound,
#    exact copositivity check). At the optimum the copositive matrix is **tight** (zero on the
#    optimal patterns), so no float or interval test could decide it; the dual point is shrunk by
#    $1-2^{-44}$, which makes it strictly copositive at a cost of $\sim10^{-13}$ in the bound.

# %%
import json
from fractions import Fraction

import numpy as np
from IPython.display import Math, display

from symbolic import solver as sym
from numeric.relu_whitened import closed_form
from numeric.solver import build_certificate, make_problem, solve_hypercube, solve_relu, verify_certificate
from numeric.solver import arrangement, copositive, simplices
from numeric.solver import rational as rq
from numeric.solver.zeroset import zero_set
from numeric.tasks import hypercube, hypercube_targets
from numeric.training import train_network

# %% [markdown]
# ## The duality argument, checked by sympy

# %%
d = sym.duality_derivation()
print(d.report())
display(Math(d.latex()))

# %% [markdown]
# ## A certified optimum: the ReLU hypercube task, $d_Y=3$, with the bias
# The dense solver (column generation over firing patterns, exhaustive pricing over all $2^P$
# supports, local polishing) returns a network; the certificate brackets $E^*$.

# %%
T = hypercube(3)
sol = solve_relu(make_problem(T.X, T.Y, 0.1, 0.2, bias=True))
cert = build_certificate(sol)
rep = verify_certificate(json.loads(json.dumps(cert)))
cf = closed_form(3, 0.1, 0.2)
print("neurons (basic optimal solution):", sol.width)
pats = sorted(tuple(int(v) for v in np.round(np.maximum(hk, 0) / hk.max())) for hk in sol.H)
print("firing patterns (relu(h)/max, sorted):", pats)
print("certificate re-verified:", rep.ok, "| cone check:", rep.cone)
print("certified relative gap <= 1e-12 (global optimum):", rep.global_optimum)
print("closed form A.relu.whitened inside the bracket:",
      float(rep.lower) * (1 - 1e-14) <= cf.energy <= float(rep.upper) * (1 + 1e-14))

# %% [markdown]
# A certificate that has been tampered with is rejected: scaling the dual point up by $2^{-20}$
# breaks copositivity, and the verifier exhibits an exact pattern $h$ that violates the cone
# condition.

# %%
bad = json.loads(json.dumps(cert))
bad["dual"]["Lambda"] = [[str(Fraction(v) * (1 + Fraction(1, 2 ** 20))) for v in r] for r in bad["dual"]["Lambda"]]
Lam = rq.from_strings(bad["dual"]["Lambda"], "L")
bad["bounds"]["lower"] = str(rq.dual_value(Lam, rq.from_strings(bad["problem"]["Y"], "Y")))
rb = verify_certificate(bad)
print("tampered certificate accepted:", rb.ok)
print("reason:", rb.problems[0].split(":")[0])

# %% [markdown]
# ## General data: training stalls, the solver does not
# Random inputs ($d_X=7$, $P=6$, with the bias: $K_X$ invertible but $Q$ is not a Z-matrix, so both
# signs of every pattern entry matter — $3^P$ signed supports) and real-valued targets.

# %%
rng = np.random.default_rng(11)
X, Y = rng.standard_normal((7, 6)), rng.standard_normal((2, 6))
prob = make_problem(X, Y, 0.05, 0.1, bias=True)
sg = solve_relu(prob)
rg = verify_certificate(build_certificate(sg))
losses = np.array([train_network(prob.X_tilde, Y, 0.05, 0.1, 12, seed=s, maxiter=800).loss for s in range(5)])
U = float(rg.upper)
print("pattern mode:", prob.mode, "| certified:", rg.ok, "| gap <= 1e-12:", rg.global_optimum)
print("L-BFGS relative gaps above the certified optimum:", np.round((losses - U) / U, 2))
print("any run below the certified lower bound:", bool(np.any(losses < float(rg.lower))))

# %% [markdown]
# ### Six outputs: the $3^P$ signed supports, walked as a tree and filtered in binary64
# Beyond five outputs the fans below are out of reach, and the check runs over the signed
# supports: the dual condition holds iff no principal block $B$ of any sign-flipped
# $\alpha C-D_s\Lambda^\top\Lambda D_s$ is invertible with $B^{-1}\le 0$ entrywise
# (Cottle–Habetler–Lemke, order-free). In rationals each block costs a determinant and an
# inverse. A rigorous binary64 filter (`numeric/solver/signed_filter.py`, derived here) takes
# a float guess $R$ of $B^{-1}$, bounds $\|I-RB\|_\infty\le\delta\le 1/2$ with every rounding
# error counted, and then $|B^{-1}-R|_{ij}\le 2\delta\max_l|R_{lj}|$: an entry of $R$ above that
# margin proves $B^{-1}$ has a positive entry, so $B$ is no witness. Only the blocks it cannot
# prove are decided in rationals, so the verdict cannot change; `EMERGENCE_EXACT_CONES=1` turns
# it off.
#
# Most blocks need not be built at all (derived here, `numeric/solver/signed_tree.py`, claim
# `L.solver.signed_tree`): a *minimal* non-copositive block has every proper principal block
# positive semidefinite and every negative direction of one strict sign. Walking the supports as
# a tree (parent: drop the largest index), a child of a positive definite parent is decided by
# its last Cholesky pivot $\sigma=\beta-b^\top B_p^{-1}b$ in $O(k^2)$: $\sigma>0$, positive
# definite; $\sigma<0$ with $y=(-B_p^{-1}b,1)$ of mixed signs, no minimal witness -- and the
# whole subtree below an indefinite block is skipped. Both float steps carry rounding proofs.
# Six outputs, eight random samples: the same certificate by the tree, by levels with the
# filter, and all in rationals.

# %%
import os

from numeric.solver import copositive

rng = np.random.default_rng(72)
X6, Y6 = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((6, 8)))
s6 = solve_relu(make_problem(X6, Y6, 0.05, 0.05))
c6 = {}
for name, flag, walk in (("tree", "0", "tree"), ("levels", "0", "levels"), ("rational", "1", "tree")):
    os.environ["EMERGENCE_EXACT_CONES"] = flag
    copositive.SIGNED_WALK = walk
    c6[name] = build_certificate(s6)
copositive.SIGNED_WALK = "tree"
os.environ.pop("EMERGENCE_EXACT_CONES")
m6 = c6["tree"]["summary"]["cone_method"]
visited = int(m6.split("walked as a tree: ")[1].split()[0])
left = int(m6.split(", ")[-1].split()[0])
print("dY = 6:", c6["tree"]["cost_bound"]["kind"], "| certified:", verify_certificate(c6["tree"]).global_optimum,
      "| same bounds by tree, levels and rationals:",
      c6["tree"]["bounds"] == c6["levels"]["bounds"] == c6["rational"]["bounds"])
print("blocks the tree built: under half of 3^P:", visited < 0.5 * 3 ** 8,
      "| left to rationals: under 2 %:", left < 0.02 * c6["tree"]["summary"]["supports_checked"])

# %% [markdown]
# ### Ill-conditioned inputs
# The signed supports work with $Q=K_X^{-1}$, so ill-conditioned inputs test them twice
# (derived and measured here, claim `L.solver.conditioning`). The certificate rounds the exact
# $Q$ and subtracts the certified error $\delta I$; on the smallest direction of $Q$ that costs a
# fraction $\sim P\,\mathrm{cond}(K_X)\,2^{-b}$ of the cost, which must stay below the margin
# that the dual point's shrink by $2^{-44}$ buys, so $Q$ is rounded to $b=52+\log_2(P\,
# \mathrm{cond})$ bits. (With a fixed 60 bits the bracket below stays above the tolerance: an
# earlier diagnosis blamed the float dual point; its exact check passes.) The solver's float
# quotients through $Q$ err by $\sim\varepsilon\,\mathrm{cond}(K_X)$, so each violation is
# confirmed by the quotient with the least-squares cost $|w|^2$, $\tilde X^\top w=h$ (error
# $\sim\varepsilon\sqrt{\mathrm{cond}}$), before it becomes a column. Six outputs, six samples
# with $\mathrm{cond}(K_X)\approx 3\cdot10^7$:

# %%
from numeric.solver import certificate as cert_mod

ri = np.random.default_rng(4)
Xi = ri.standard_normal((5, 6)) * np.logspace(0, -2.5, 5)[:, None]
p_ill = make_problem(Xi, np.sign(ri.standard_normal((6, 6))), 0.05, 0.05)
si = solve_relu(p_ill)
ci = build_certificate(si)
ri_rep = verify_certificate(ci)
saved_bits = cert_mod.cost_round_bits
cert_mod.cost_round_bits = lambda Qf: cert_mod.ROUND_BITS
r60 = verify_certificate(build_certificate(si))
cert_mod.cost_round_bits = saved_bits
print(f"cond(K_X) = {p_ill.input_cond():.0e}; Q rounded to {cert_mod.cost_round_bits(p_ill.Q)} bits")
print("certified (gap <= 1e-12):", ri_rep.global_optimum, "| bracket below 1e-13:", ri_rep.rel_gap < 1e-13)
print("with Q rounded to 60 bits: certified:", r60.global_optimum, "| still a valid bracket:", r60.ok)

# %% [markdown]
# The solve above ends where no violation survives the accurate quotient: the float noise floor.
# Before it stops (on inputs with $\mathrm{cond}(K_X)>10^5$, where the float walk's error
# $\sim\varepsilon\,\mathrm{cond}(K_X)\lambda_1$ nears the violation threshold
# $10^{-10}\lambda_1$), every block the float walk flagged is priced again in the weight-space form
# $\max_u|\Lambda_F B_F u|^2/|u|^2$, $B=\tilde X_J^\top Z$ with $Z$ an orthonormal basis of
# $\ker\tilde X_{J^c}^\top$ (`numeric/solver/accurate_blocks.py`, derived there; errors
# $\sim\varepsilon\sqrt{\mathrm{cond}}$): at $\mathrm{cond}(K_X)=4.4\cdot10^{10}$ a float
# eigenvector with the wrong signs had hidden a violation of $-1.2\cdot10^{-10}\lambda_1$ there.
# The float lower bound then scales the dual point by the least *accurate* quotient found
# (`relu.NOISE_FLOOR_MU`), so the float gap reads converged, as the exact bracket does. Scaled by
# the walk's own float quotient, the noise of $K_X^{-1}$, the same solve reads "not converged"
# (a float gap of $\sim10^{-10}$): an estimate either way; only the certificate proves.

# %%
from numeric.solver import relu as relu_mod

relu_mod.NOISE_FLOOR_MU = "float"
si_float = solve_relu(p_ill)
relu_mod.NOISE_FLOOR_MU = "accurate"
print("same rounds and energy:", si_float.iterations == si.iterations and si_float.energy == si.energy)
print("float gap, accurate quotients: converged:", si.converged, "| below 1e-13:", si.rel_gap < 1e-13)
print("float gap, float quotients: converged:", si_float.converged, "| stop:", si_float.stop_reason)

# %% [markdown]
# ### Six outputs on singular inputs: the faces of the arrangement
# With fewer input dimensions than samples the reachable patterns are $h=\tilde X^\top w$, and
# the dual condition is a copositivity statement on the cone $\{x\ge 0,\ Ex=0\}$ of each
# orthant. Derived here (`numeric/solver/faces.py`, claim `L.solver.faces`): $A$ is copositive
# on $\{x\ge0, Ex=0\}$ iff no support $S$ has $G_S=Z^\top A_{SS}Z$ invertible ($Z$ a basis of
# $\ker E_S$) with $ZG_S^{-1}Z^\top\mathbf 1<0$; only supports with sign vectors of reachable
# patterns -- the *faces* of the data's hyperplane arrangement -- can pass that test. So the exact
# check is one $k\times k$ rational solve per face ($k\le$ rank), whatever $d_Y$ -- after a
# rigorous binary64 filter (a verified inverse per face, `numeric/solver/face_filter.py`) has
# proved all but a handful of faces -- and the float pricing is one small eigenproblem per face.
# This is the route for six or more outputs on singular inputs, for three to five when the
# arrangement has at most $2^{16}$ faces, and for two up to $2^{22}$ (faster than the cell fans
# there, `benchmarks/solver/faces.py`). Six outputs, ten samples in the plane (rank 3):

# %%
from numeric.solver import faces

rng = np.random.default_rng(0)
Xs, Ys = rng.standard_normal((2, 10)), np.sign(rng.standard_normal((6, 10)))
ps = make_problem(Xs, Ys, 0.05, 0.05)
cs = build_certificate(solve_relu(ps))
geom = faces.geometry(rq.mat(ps.X_tilde))
Lc = np.array([[float(Fraction(v)) for v in row] for row in cs["dual"]["Lambda"]])
Ws = rng.standard_normal((200_000, 3))
sampled = np.max(np.sum((np.maximum(Ws @ ps.X_tilde, 0) @ Lc.T) ** 2, axis=1)
                 / np.sum(Ws * Ws, axis=1)) / (0.05 * 0.05)
print("rank", ps.rank, "< P =", ps.P, "| dY = 6:", cs["cost_bound"]["kind"],
      "| certified:", verify_certificate(cs).global_optimum)
print("faces checked:", cs["summary"]["supports_checked"], "of", geom.n_faces, "| 3^P =", 3 ** ps.P)
print("sampled sup of |Lambda relu(h)|^2 / (lam1 lam2 cost(h)) at the certified dual point <= 1:",
      bool(sampled <= 1), "| the faces' sup is 1 to 1e-9 (the dual point is tight):",
      bool(abs(faces.price(geom, Lc).ratio / (0.05 * 0.05) - 1) < 1e-9))
# the binary64 filter and the integers alone decide the same, the filter leaving few faces
Lq_s, al_s = rq.from_strings(cs["dual"]["Lambda"], "Lambda"), rq.q(0.05) * rq.q(0.05)
with_f, without_f = faces.certify(geom, Lq_s, al_s), faces.certify(geom, Lq_s, al_s, use_filter=False)
print("certified with and without the filter:", with_f.ok and without_f.ok,
      "| faces left to the integers by the filter: under 10 %:", with_f.exact < 0.1 * geom.n_faces)

# %% [markdown]
# The faces themselves are enumerated exactly from the arrangement's *rays* (its one-dimensional
# flats; `numeric/solver/flat_faces.py`, derived there): every face of a flat of dimension
# $\ge 2$ is a pointed cone whose closure has an extreme ray of the arrangement, so each flat
# completes the signs of the rays it contains -- by every orthant in general position, by the
# exact cells of the local arrangement where more hyperplanes meet. Before, each flat's cells
# were found on their own, one integer null space per subset of its hyperplanes (5-7x slower,
# `benchmarks/solver/face_enumeration.py`). The two agree flat by flat on points of a grid, with
# repeated, collinear and coplanar points, and on the ten points above:

# %%
grid = np.random.default_rng(8).integers(-1, 2, (3, 24)).astype(float)
for name, Xt_e in (("grid points in 3-d, P = 24", np.vstack([grid, np.ones(24)])),
                   ("the ten points in the plane", ps.X_tilde)):
    enumerations = {}
    for how in ("rays", "nullspaces"):
        faces.ENUMERATION = how
        enumerations[how] = faces.geometry(rq.mat(Xt_e))
    faces.ENUMERATION = "rays"
    a, b = enumerations["rays"], enumerations["nullspaces"]
    same = len(a.flats) == len(b.flats) and all(
        fa.zeros == fb.zeros and np.array_equal(fa.signs, fb.signs) for fa, fb in zip(a.flats, b.flats))
    print(f"{name}: {a.n_faces} faces on {len(a.flats)} flats | the two enumerations identical: {same}")

# %% [markdown]
# ### The fit term without the resolvent's round-off
# Every route evaluates $\mathrm{fit}(\Phi)=\min_A\|Y-A\Phi\|^2+\lambda_2\|A\|^2
# =\lambda_2\,\mathrm{tr}\,Y(\lambda_2+\Phi^\top\Phi)^{-1}Y^\top$ and its residual
# $\Lambda=Y-A^*\Phi$, the dual point. Through the inverse both lose
# $\sim\varepsilon\,\mathrm{cond}(\lambda_2+K)$; on many points of a line that left the dual
# point infeasible by $7.5\cdot10^{-12}$ and the certified bracket at $1.05\cdot10^{-12}$ (eight
# outputs, $P=40$). By least squares on $[\Phi^\top;\sqrt{\lambda_2}I]A^\top=[Y^\top;0]$ the
# error is $\sim\varepsilon\|A^*\|\|\Phi\|$ (`numeric/solver/ridge.py`, derived here), and that
# instance is certified at $2.6\cdot10^{-13}$. Below, firing parts with singular values
# $1\ldots10^5$ against the normal equations solved at 50 digits:

# %%
import mpmath as mp

from numeric.solver import ridge

gr = np.random.default_rng(0)
Ur, _ = np.linalg.qr(gr.standard_normal((7, 7)))
Vr, _ = np.linalg.qr(gr.standard_normal((12, 7)))
Phr = Ur @ np.diag(np.logspace(0, 5, 7)) @ Vr.T
Yr = np.sign(gr.standard_normal((3, 12)))
with mp.workdps(50):
    Pm, Ym = mp.matrix(Phr.tolist()), mp.matrix(Yr.tolist())
    Am = (Ym * Pm.T) * (Pm * Pm.T + mp.mpf(1e-4) * mp.eye(7)) ** -1
    exact_fit = float(sum(x ** 2 for x in Ym - Am * Pm) + mp.mpf(1e-4) * sum(x ** 2 for x in Am))
for method in ("lstsq", "inverse"):
    err = abs(ridge.fit(Phr, Yr, 1e-4, method=method)[0] - exact_fit) / exact_fit
    print(f"{method:8s} relative error of the fit term below 1e-12: {err < 1e-12}")

# %% [markdown]
# ## Beyond $3^P$: the cells of the input arrangement
# The dual condition $|\Lambda\,\mathrm{relu}(\tilde X^\top w)|^2 \le \lambda_1\lambda_2|w|^2$ is a
# statement about input weights $w$. On each of the $2^P$ cells $C_F$ of the hyperplane
# arrangement (firing set $F$) the ReLU is linear, and for one output ($d_Y = 1$) the largest
# ratio on $C_F$ is a box-constrained QP, $\min\{c^\top K_X c : c_i \ge \pm\lambda_i\ (i\in F),\
# c_i \le 0\ (i \notin F)\}$ (Moreau decomposition; `numeric/solver/cells.py`). Any feasible $c$ bounds
# the cell, so the float optimum, rounded and checked in exact integers, is a certificate — no
# inverse of $K_X$, any rank, $2^{P+1}$ small QPs instead of $3^P$ signed supports. For two outputs
# the same bound, linear in the output direction, is certified on a fan of sectors per cell
# (`numeric/solver/sectors.py`). Here: rank-deficient inputs ($d_X = 3$, rank 4 < $P = 12$).

# %%
rng = np.random.default_rng(5)
X, Y = rng.standard_normal((3, 12)), np.sign(rng.standard_normal((1, 12)))
prob = make_problem(X, Y, 0.05, 0.05, bias=True)
sc = solve_relu(prob)
cc = build_certificate(sc)
rc = verify_certificate(cc)
print("pattern mode:", prob.mode, "| rank:", prob.rank, "| cost bound:", cc["cost_bound"]["kind"])
print("cells checked:", rc.checked, "| certified gap <= 1e-12:", rc.global_optimum)

# %% [markdown]
# ### Many samples in low dimension
# With data of rank $r < P$ most firing sets are empty cells: a central arrangement of $P$
# hyperplanes of rank $r$ has at most $2\sum_{k<r}\binom{P-1}{k}$ cells (Cover's count).
# `numeric/solver/arrangement.py` lists exactly the non-empty ones (integer arithmetic on the
# arrangement's null lines), so $P$ is no longer limited by $2^P$. Here: 28 samples on a line
# ($d_X = 1$ with a bias, rank 2), target $\mathrm{sign}(\sin 2.5x)$; the verifier re-enumerates
# the $2(2P - 1) - 1$ non-silent cells and checks both signs of each. Input weights live on a
# circle here, so the exact cone check can be cross-checked by sampling that circle densely.

# %%
rng = np.random.default_rng(12)
X = np.sort(rng.uniform(-2, 2, (1, 28)), axis=1)
Y = np.sign(np.sin(2.5 * X))
prob = make_problem(X, Y, 0.02, 0.05, bias=True)
sl = solve_relu(prob)
cl = build_certificate(sl)
rl = verify_certificate(cl)
print("P =", prob.P, "| rank:", prob.rank, "| cells (Cover):", arrangement.generic_count(prob.P, prob.rank),
      "| (cell, sign) bounds checked exactly:", rl.checked)
print("certified:", rl.ok, "| certified relative gap <= 1e-12:", rl.global_optimum)
Lam_l = np.array([[float(v) for v in row] for row in rq.from_strings(cl["dual"]["Lambda"], "L").tolist()])
t = np.linspace(0, 2 * np.pi, 200_001)
ratio = (np.maximum(np.stack([np.cos(t), np.sin(t)], 1) @ prob.X_tilde, 0) @ Lam_l[0]) ** 2
print("sampled max of |Lambda relu(X~^T w)|^2 / (lam1 lam2 |w|^2):", f"{ratio.max() / (0.02 * 0.05):.6f}")

# %% [markdown]
# ### Three outputs: simplicial cones of output directions
# For $d_Y \ge 2$ the square $|\Lambda\,\mathrm{relu}|^2 = \max_{|u|=1}(u^\top\Lambda\,\mathrm{relu})^2$
# turns the sign of the single-output case into a direction $u$ on the sphere. On each cell the
# bound $\min\{c^\top K_X c: c_i \ge (\Lambda^\top u)_i \text{ on } F,\ c_i \le 0 \text{ off } F\}$
# is certified on simplicial cones $\mathrm{cone}(r_1,\dots,r_{d_Y})$ of directions by box points
# given at the rays (the box moves linearly with $u$, so they are feasible on the whole cone)
# and one exact $d_Y\times d_Y$ copositivity test per cone (Cottle–Habetler–Lemke). The cones
# come from the orthants by splitting edges at integer points, so they cover every direction
# exactly (`numeric/solver/simplices.py`, derived here). The same dual point is re-checked by the
# independent $3^P$ signed-support test. On full-rank inputs this small the solver's default is
# that signed test itself (faster with two to four outputs up to $P = 14$–$16$ while
# $\mathrm{cond}(K_X) \le 10^5$, `simplices.prefers_fan`; on worse-conditioned inputs the fans);
# `simplices.fans_on_full_rank()` routes solve and certificate through the fans.

# %%
rng = np.random.default_rng(31)
X3, Y3r = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((3, 8)))
with simplices.fans_on_full_rank():
    s3 = solve_relu(make_problem(X3, Y3r, 0.05, 0.05))
    c3 = build_certificate(s3)
r3 = verify_certificate(c3)
print("dY = 3, P = 8, signed Q:", c3["cost_bound"]["kind"], "|", r3.cone)
print("certified:", r3.ok, "| certified relative gap <= 1e-12:", r3.global_optimum)
Xq3 = rq.augment(rq.mat(X3), True)
Lq3 = rq.from_strings(c3["dual"]["Lambda"], "Lambda")
a3 = rq.q(0.05) * rq.q(0.05)
print("same dual point, 3^P signed-support check:", copositive.signed(a3, (Xq3.transpose() * Xq3).inv(), Lq3).ok,
      "| 1% larger refused by both:", not simplices.certify(Xq3, Lq3 * rq.q(1.01), a3).ok,
      not copositive.signed(a3, (Xq3.transpose() * Xq3).inv(), Lq3 * rq.q(1.01)).ok)

# %% [markdown]
# The same fans work in five dimensions ($2^5$ orthants, 31 principal blocks per cone; twice the
# split depth, since a split halves one of ten edges). On full-rank inputs the $3^P$ signed
# supports, with the binary64 filter above, stay faster up to $P=16$ (`simplices.prefers_fan`,
# measured in `benchmarks/solver/five_outputs.py`); on singular inputs only the non-empty cells
# are visited (when they have more than $2^{16}$ faces; with fewer, the faces of the
# arrangement above are the default, and the fans a fallback and a cross-check).
# Five labels on eight points of a line: the default certificate (faces), the fan certificate
# (`build_on_fans`), and the independent penalised $3^P$ (`range`) certificate of the same
# solution.

# %%
from numeric.solver import certificate as cm

rng = np.random.default_rng(1)
X5, Y5 = rng.standard_normal((1, 8)), np.sign(rng.standard_normal((5, 8)))
s5 = solve_relu(make_problem(X5, Y5, 0.1, 0.1))
c5 = build_certificate(s5)
r5 = verify_certificate(c5)
r5f = verify_certificate(cm.build_on_fans(s5))
r5b = verify_certificate(cm.build_without_fans(s5))
print("dY = 5 on a line:", c5["cost_bound"]["kind"], "| certified:", r5.ok and r5.global_optimum,
      "| fan certificate of the same solution:", r5f.ok and r5f.global_optimum,
      "| 3^P range certificate:", r5b.ok and r5b.global_optimum,
      "| brackets overlap:", max(r5.lower, r5f.lower, r5b.lower) <= min(r5.upper, r5f.upper, r5b.upper))

# %% [markdown]
# The exact cone tests are Python integers, millions of them at $P=16$. A rigorous binary64
# filter settles most cones first (`numeric/solver/float_filter.py`, derived here). It computes
# the cone's form in floating point and subtracts a bound on every rounding error, which gives a
# matrix $L\le T$ entrywise. Copositivity is monotone, so it suffices that $L$ is copositive.
# That is proved in one of two ways:
#
# - $L$'s $Z$-part (its positive off-diagonal entries moved into $N\ge 0$) has an $x>0$ with
#   $Zx>0$ (an M-matrix, so positive definite);
# - $L-\theta N$ is positive definite, by a Cholesky congruence and Gershgorin with rounding
#   bounds.
#
# A cone it cannot prove goes to the exact test, so no verdict can change. Setting
# `EMERGENCE_EXACT_CONES=1` turns the filter off.

# %%
import os

runs = {}
for flag in ("0", "1"):
    os.environ["EMERGENCE_EXACT_CONES"] = flag
    runs[flag] = simplices.certify(Xq3, Lq3, a3)
os.environ.pop("EMERGENCE_EXACT_CONES")
print("same verdict with and without the filter:", runs["0"].ok == runs["1"].ok == True,
      "| cones left to the exact test: under 10 %:", runs["0"].exact_cones < 0.1 * runs["1"].exact_cones)

# %% [markdown]
# Most rounds of the column generation only need *some* violated pattern, not a proof that none
# exists. Dropping a cell's sign constraints bounds its worst ratio by the top eigenvalue of
# $G_F=\Lambda D_F K_X D_F\Lambda^\top$; from that eigenvector an alternating ascent (box optimum
# for $u$, then $u\propto\Lambda\,\mathrm{relu}(h)$) climbs to a reachable pattern whose ratio
# is evaluated from its definition (`numeric/solver/cell_ascent.py`, derived here). The fan is
# built only when that finds nothing — once per solve on the instance above. It is a heuristic:
# the fan remains the proof.

# %%
from numeric.solver import cell_ascent
from numeric.solver import cells as cells_mod

fans = sum(r["exhaustive"] for r in s3.log)
# (the number of rounds depends on the BLAS build and threads: 9 single-threaded, 6 with two
# threads on the reference machine; one fan either way)
print("rounds that built the fan (exhaustive):", fans, "| rounds priced by the ascent alone:",
      len(s3.log) - fans > 0)
pr3 = make_problem(X3, Y3r, 0.05, 0.05)
K3, al3 = pr3.X_tilde.T @ pr3.X_tilde, pr3.lam1 * pr3.lam2
for scale in (1.02, 0.98):
    ratio, hs = cell_ascent.price(K3, scale * s3.Lambda, al3, cells_mod.CellSet(pr3.P))
    print(f"dual point x {scale}: violations found {len(hs)}, best ratio / alpha {ratio / al3:.3f}")

# %% [markdown]
# ### Landing the atoms
# The column generation stops when the pricing at the dual point of the current measure shows a
# gap below $\sim10^{-13}$. That gap grows like the *square* of the atoms' displacement from the
# optimum, with a large constant, so an energy-converged polish is not enough; and columns added
# at such a point are near-copies of existing atoms, along which the energy is flat. Every round
# therefore merges copies (same firing set, same direction: relu is positively homogeneous, so
# $a u$ and $b u$ are one neuron $\sqrt{a^2+b^2}\,u$) and takes pseudo-inverse Newton steps on
# the energy with each neuron's firing and zero sets fixed, exact Hessian
# (`numeric/solver/landing.py`, derived here). Below: the optimum above, displaced by $10^{-5}$
# inside its supports and doubled into copies, then landed again.

# %%
from numeric.solver import cells, sectors
from numeric.solver.landing import FixedSupport, merge_parallel, newton_range
from numeric.solver.master import _parts, solve_master
from numeric.solver.relu import _dual_bound

p3 = make_problem(X3, Y3r, 0.05, 0.05)
a1 = p3.lam1 * p3.lam2                               # lam2 = 1 units


def fan_gap(W):
    amp = np.linalg.norm(W, axis=1)
    F = np.maximum(W / amp[:, None] @ p3.X_tilde, 0)
    w = solve_master(F, p3.KY, a1, 1.0, amp ** 2).w
    E, _, R, _ = _parts(w, F, p3.KY, a1, 1.0)
    fp = simplices.price(p3.X_tilde.T @ p3.X_tilde, p3.Y @ R, a1, cells=cells.cell_set(p3.X_tilde),
                         margin=sectors.PRICING_MARGIN)
    return (E - _dual_bound(p3, R, a1 - fp.ratio, a1, 1.0, np.sqrt(w)[:, None] * F)[0]) / E


W3 = s3.W / np.sqrt(p3.lam2)
sup = FixedSupport(W3, p3.X_tilde)
g3 = np.random.default_rng(4)
Wd = sup.unpack(sup.pack(W3) + 1e-5 * g3.standard_normal(sup.size) * np.max(np.abs(W3)))
copies = np.vstack([np.sqrt(0.4) * Wd, np.sqrt(0.6) * sup.unpack(sup.pack(Wd) + 1e-9 * g3.standard_normal(sup.size))])
landed = newton_range(merge_parallel(copies, p3.X_tilde), p3.X_tilde, p3.KY, a1, 1.0)
# (the optimum's width, 9 or 10, depends on the BLAS threads: the optimal measure is not unique)
print("copies double the atoms:", len(copies) == 2 * len(W3), "| landed back to the optimum's width:",
      len(landed) == len(W3))
print("pricing gap > 1e-9 when displaced:", fan_gap(copies) > 1e-9, "| < 1e-12 after landing:", fan_gap(landed) < 1e-12)

# %% [markdown]
# ## Many samples in low dimension, several outputs
# With inputs of rank $r<P$ only the non-empty cells of the data's hyperplane arrangement can
# hold a pattern (at most $2\sum_{k<r}\binom{P-1}{k}$ of them), so the fans run over those cells
# and $P$ is limited by their number, not by $2^P$: 30 points on a line with a bias ($r=2$) and two
# binary labels. For two outputs on such data the simplicial fan is used (the sector fan leaves
# tight directions undecided when the atoms sit on many cell faces). The check below is
# independent of the certificate: every input weight lies on a circle, and the certificate's
# exact dual point must satisfy the cone condition on a dense sample of it.

# %%
rng_l = np.random.default_rng(1)
Xl1 = np.sort(rng_l.uniform(-2, 2, (1, 30)), axis=1)
Yl1 = np.sign(np.sin(np.array([[2.5], [1.3]]) * Xl1 + rng_l.uniform(0, 1, (2, 1))))
pl1 = make_problem(Xl1, Yl1, 0.02, 0.05)
cl1 = build_certificate(solve_relu(pl1))
rl1 = verify_certificate(cl1)
Ll1 = np.array([[float(v) for v in row] for row in rq.from_strings(cl1["dual"]["Lambda"], "Lambda").tolist()])
tl1 = np.linspace(0, 2 * np.pi, 2_000_001)
Vl1 = np.maximum(np.stack([np.cos(tl1), np.sin(tl1)], axis=1) @ pl1.X_tilde, 0) @ Ll1.T
top = float(np.max(np.sum(Vl1 * Vl1, axis=1))) / (0.02 * 0.05)
print(f"P = {pl1.P}, rank {pl1.rank}, dY = {pl1.dY}: {cells.cell_set(pl1.X_tilde).count} non-empty cells "
      f"(of 2^30 - 1 firing sets)")
print("re-verified:", rl1.ok, "| global optimum (gap <= 1e-12):", rl1.global_optimum,
      "| sampled sup / alpha in (1 - 1e-6, 1 + 1e-9]:", 1 - 1e-6 < top <= 1 + 1e-9)

# %% [markdown]
# The optimal kernel need not be unique on general data, so no proof that every global minimum
# is abstract can come from one optimum. What is certified for all of them: $D(\Lambda)=2\langle\Lambda,Y\rangle
# -\|\Lambda\|^2$ is strongly concave, so the dual optimum $\Lambda^*$ is unique and
# $\|\hat\Lambda-\Lambda^*\|_F^2\le U-L$; by `A.kkt` every global minimum outputs $Y-\Lambda^*$ on
# the data (claim `L.solver.outputs`, derived here) -- and from these outputs, below, that none of
# them is abstract (`L.solver.not-abstract`).

# %%
from numeric.solver.outputs_ball import outputs_ball

bl1 = outputs_ball(cl1, rl1)
err = float(np.linalg.norm(Yl1 - bl1.center))
print(f"every global minimum's outputs within 1e-5 (relative, Frobenius) of Y - Lambda^: {bl1.rel_radius < 1e-5}; "
      f"its training error |Y - F| = {err:.4f} (certified to +- {'< 1e-5' if bl1.radius < 1e-5 else bl1.radius})")

# %% [markdown]
# ## The linear activation: a nuclear-norm ridge with a PSD dual
# For $\phi(z)=z$ only the product $A=W_2W$ matters, and the cheapest factorisation costs
# $\lambda_1\|W\|^2+\lambda_2\|W_2\|^2=2\tau\|A\|_*$, $\tau=\sqrt{\lambda_1\lambda_2}$ (AM-GM per
# singular value), so $E^*=\min_A\|Y-A\tilde X\|^2+2\tau\|A\|_*$. The cone condition becomes
# $\|\Lambda\tilde X^\top\|_2\le\tau$, i.e. $\tau^2I-\Lambda K_X\Lambda^\top\succeq0$: positive
# semi-definiteness instead of copositivity, decided exactly by Sylvester's criterion
# (claim `A.solver.linear`, derived here; `numeric/solver/linear.py`).

# %%
from numeric.odd import closed_form as odd_closed_form
from numeric.solver.linear import certify_linear, solve_linear

print(sym.linear_derivation().report())
for dY in (2, 3, 5):
    T = hypercube(dY)
    cl = certify_linear(solve_linear(T.X_tilde(), T.Y, 0.05, 0.05), T.X_tilde(), T.Y, 0.05, 0.05)
    E_odd = odd_closed_form("linear", dY, 0.05, 0.05).energy
    inside = float(Fraction(str(cl.lower))) * (1 - 1e-13) <= E_odd <= float(Fraction(str(cl.upper))) * (1 + 1e-13)
    print(f"dY = {dY}: certified gap <= 1e-12: {cl.global_optimum} | A.odd closed form in the bracket: {inside}")
gl = np.random.default_rng(21)
Xl = np.vstack([gl.standard_normal((6, 14)), np.ones(14)])
Yl = np.sign(gl.standard_normal((3, 14)))
cl = certify_linear(solve_linear(Xl, Yl, 0.05, 0.05), Xl, Yl, 0.05, 0.05)
print("random data, P = 14, dY = 3: certified:", cl.global_optimum)

# %% [markdown]
# ## Symmetry: the hypercube for any $d_Y$
# By uniqueness and symmetry the optimal dual point is $\Lambda^*=\kappa Y$. Its copositivity is
# certified by $T=N+\text{PSD}$ with $N=\sum_d\nu_dA_d\ge0$ ($A_d$ the distance-$d$ adjacency of the
# cube): in the Walsh basis this is a linear program in $d_Y+2$ unknowns (Krawtchouk eigenvalues),
# solved exactly; the half-cube network reaches $D(\kappa^*Y)$ **exactly** (sympy, $\kappa^*=\sqrt{r}$).

# %%
h = sym.hypercube_derivation()
print(h.report())

# %%
for dY in (2, 3, 5, 10):
    s = solve_hypercube(dY, 1, 0.05, 0.05, bias=True)
    cfd = closed_form(dY, 0.05, 0.05)
    print(f"dY={dY:2d} P={s.P:5d}: E* = {s.energy:.12f}, exact zero gap: {s.exact_match}, "
          f"agrees with A.relu.whitened: {abs(s.energy - cfd.energy) <= 1e-13 * cfd.energy}, "
          f"nu nonzero at distances {[k for k, v in enumerate(s.nu) if v > 0]}, "
          f"zero levels {s.checks['zero_levels']}")

# %% [markdown]
# ## Is *every* global minimum abstract?
# The possible optimal neurons are the zero set of the copositive form on the orthant. With the
# bias the kernel of $T-N$ is Walsh levels $\{0,1\}$ and $N$ forbids antipodal pairs, so the only
# optimal patterns are the half-cubes $1\pm v_i$; $YK=cY$ forces their weights, the optimal kernel
# is unique and abstract. Without the bias every even level joins the kernel: quadrant neurons
# $\mathbf 1\{y_1=s,y_2=t\}$ are optimal and build a global minimum with PS $<1$.
# An independent check enumerates the exact zero set of the rational $T^*$ for $d_Y=3$:

# %%
Y3 = hypercube_targets(3)
for bias in (True, False):
    s = solve_hypercube(3, 1, Fraction(1, 10), Fraction(1, 5), bias=bias)
    c = Fraction(1, 9) if bias else Fraction(0)
    Tm = (rq.eye(8) - rq.ones(8, 8) * rq.q(c)) * rq.q(s.lam1 * s.lam2) - rq.mat(Y3.T @ Y3) * rq.q(s.kappa2)
    z = zero_set(Tm)
    print(f"bias={bias}: {len(z.rays)} zero rays, {len(z.faces)} zero faces; "
          f"every global minimum abstract: {s.all_minima_abstract}")
    if bias:
        print("   rays:", [[int(v) for v in r] for r in z.rays])
    else:
        w = s.witness
        print(f"   witness: quadrant measure optimal (exact) = {w['optimal']}, PS = {w['ps']:.4f}")

# %% [markdown]
# ### Target-aligned inputs: the zero set over all sign patterns
# Paper A states the all-minima result for whitened *or target-aligned* inputs. With
# $X=[I;\sqrt\gamma\,Y]$ the matrix $Q=K_X^{-1}$ is no longer a Z-matrix, so the cone condition
# must hold over every sign pattern of $u$, not only on the orthant. On exact instances (rational
# $\lambda$'s chosen so the closed form of `A.inputs.aligned` is rational) we enumerate the zero set
# of $V(u)=\lambda_1u^\top Qu-\lambda_2u_+^\top Au_+$ exactly, one firing set per orbit of the
# label sign flips. Every zero fires an activity affine in the labels, $a_0+\sum_i a_iy_i$, which
# codes each variable by the same number in every context; no variable is silent at the optimum,
# and all global minima share their outputs: **every global minimum is abstract** (claim
# `L.solver.affine-minima`, derived here; `numeric/solver/affine_minima.py`). Without the bias the
# same enumeration finds a quadrant neuron among the zeros and claims nothing. For every $d_Y$ the
# same conclusion follows from the Walsh certificate, positive definite on every character of
# degree $\ge2$ (claim `L.inputs.all-minima`, notebook 06), which `emergence solve --aligned`
# uses from $d_Y=4$ on.

# %%
from numeric.claims.inputs import ALIGNED_EXACT, LAM2 as LAM2_IN, abstract_instance
from numeric.solver.affine_minima import decide as decide_affine

print(sym.affine_minima_derivation().report())
for dY, params in ALIGNED_EXACT:
    lam1_a, Ya, Qa, Aa, _, Ea, Ecfa, Ka = abstract_instance(dY, "aligned", params, with_kernel=True)
    da = decide_affine(Qa, Aa, lam1_a, LAM2_IN, Ya, Ka)
    print(f"aligned dY={dY}, gamma={params['gamma']}: exact optimum {Ea == Ecfa}; every global "
          f"minimum abstract = {da.all_minima_abstract} ({da.kernels} zero kernels, {da.orbits} orbits)")

# %% [markdown]
# ### The linear activation: one kernel for every global minimum
# For $\varphi$ linear every global minimum is *balanced*: $W^\top W=\sqrt{\lambda_2/\lambda_1}\,|A^*|$
# with $A^*$ the minimiser of $|Y-A\tilde X|^2+2\sqrt{\lambda_1\lambda_2}\,\|A\|_*$, which is unique
# (the nuclear norm strictly prefers $A=A\Pi$, and the fit is strictly convex in $A\tilde X$). So
# all global minima share the kernel $\tilde X^\top|A^*|\tilde X$ up to a positive factor and one
# PS (claim `A.solver.linear.all-minima`, derived here; `numeric/solver/linear_abstraction.py`).
# When $YK_X^{-1}Y^\top=\mathrm{diag}(c_i)$ (hypercube tasks with whitened, aligned, anisotropic or
# interaction inputs, bias or not) the optimum is exact, $A^*=\mathrm{diag}(s_i)\,Y\tilde X^+$, and
# every optimal kernel is $Y^\top\mathrm{diag}(w)Y$ with $w>0$: **proved** abstract.
# Elsewhere the exact bracket bounds $|A^*|$ in a Frobenius ball (quadratic growth,
# Araki–Yamagami, Powers–Størmer) and PS in a ball-arithmetic interval: an upper end below 1
# **refutes** abstraction for every global minimum; an interval containing 1 decides nothing.
# The minimal width is rank $A^*$, bracketed by Weyl bounds on the primal and the dual side
# (`numeric/solver/linear_width.py`).

# %%
from numeric.solver.linear_abstraction import decide as decide_linear
from numeric.solver.linear_width import width_bracket


def linear_decision(X, Y, lam=0.05):
    """certified linear optimum and the all-minima decision for (X~, Y)"""
    c = certify_linear(solve_linear(X, Y, lam, lam), X, Y, lam, lam)
    return c, decide_linear(c, X, Y, lam, lam)


print(sym.linear_abstraction_derivation().report())
for dY, bias in ((3, True), (4, False)):
    T = hypercube(dY, bias=bias)
    _, d = linear_decision(T.X_tilde(), T.Y)
    print(f"hypercube dY={dY}, bias={bias}: every global minimum abstract = "
          f"{d['all_minima_abstract']} ({d['path']})")
rng_l = np.random.default_rng(31)
Yr = np.repeat(hypercube_targets(2), 4, axis=1)
Xr = np.vstack([rng_l.standard_normal((5, 16)), np.ones(16)])
_, d = linear_decision(Xr, Yr)
lo, hi = d["witness"]["ps_interval"]
print(f"random inputs, P=16, dY=2: every global minimum abstract = {d['all_minima_abstract']}; "
      f"PS of every global minimum in [{lo:.6f}, {hi:.6f}]")
for lam in (0.05, 5.0):
    cw, _ = linear_decision(Xr, Yr, lam)
    print(f"lam = {lam}: minimal width (rank A*) in {width_bracket(cw.data, cw.upper, cw.lower)}")
# more inputs than samples (21 > 12): PS is within ~1.5e-6 of 1, inside the float interval;
# the mpmath polish (exact re-certification) decides it
rng_d = np.random.default_rng(41)
rng_d.standard_normal((5, 16))
Xd = np.vstack([rng_d.standard_normal((20, 12)), np.ones(12)])
_, d = linear_decision(Xd, np.repeat(hypercube_targets(2), 3, axis=1))
lo, hi = d["witness"]["ps_interval"]
print(f"D = 21 > P = 12: every global minimum abstract = {d['all_minima_abstract']}; "
      f"PS in [{lo:.12f}, {hi:.12f}] after refinement (gap < 1e-50: {d['refined']['rel_gap'] < 1e-50})")

# %% [markdown]
# ### ReLU on general data: refuting abstraction from the certified outputs
# The ReLU kernel of a global minimum need not be unique, but its outputs are (`L.solver.outputs`).
# The network has no output bias, so the outputs' coding vectors are $W_2$ times the hidden ones,
# and $\mathrm{PS}_k=1$ (all hidden coding vectors of variable $k$ positive multiples of one
# vector) makes the output ones non-negatively dependent. If two of them stay non-parallel over the
# whole certified ball around $Y-\hat\Lambda$ (ball arithmetic), **no** global minimum is abstract,
# and by weak duality at $\Lambda^*$, $E\ge E^*+\|Z-F^*\|^2$ for every network with outputs $Z$,
# so every network with PS $=1$ costs at least $E^*+(t-r)^2$ ($t$ the certified clearance, $r$ the
# radius; claim `L.solver.not-abstract`, derived here; `numeric/solver/not_abstract.py`). The test
# is one-sided: on the hypercube the outputs $(1-\kappa^*)Y$ have parallel coding vectors and
# nothing is refuted, as it must be where every global minimum is proved abstract.

# %%
from numeric.parallelism import parallelism_score
from numeric.solver.not_abstract import refute_from_certificate

print(sym.not_abstract_derivation().report())
for name, (Xn, Yn) in {"whitened hypercube dY=2": (hypercube(2).X, hypercube(2).Y),
                       "random inputs dX=7, P=8, dY=2": (np.random.default_rng(5).standard_normal((7, 8)),
                                                         np.tile(hypercube(2).Y, 2))}.items():
    soln = solve_relu(make_problem(Xn, Yn, 0.05, 0.05))
    ref = refute_from_certificate(build_certificate(soln))
    print(f"{name}: no global minimum abstract = {ref.refuted}; refuted variables "
          f"{[w.variable for w in ref.witnesses]}; every PS = 1 network costs >= E* + "
          f"{'%.1e' % ref.price if ref.refuted else '0'}; the solver's optimum has PS < 1: "
          f"{parallelism_score(np.maximum(soln.H, 0), Yn) < 1 - 1e-6}")
ref = refute_from_certificate(cl1, rl1)
print(f"30 points on a line, two labels: no global minimum abstract = {ref.refuted}; refuted "
      f"variables {[w.variable for w in ref.witnesses]}")

# %% [markdown]
# ### Beyond $P=8$: Walsh-block certificates of the cone condition
# For the input families of `A.inputs` the kernel $Q=K_X^{-1}$ and the dual matrix $A$ are
# invariant under the label sign flips, hence diagonal in the Walsh basis $\chi_S$. Write
# $u=p-q$ ($p,q\ge0$, $p_iq_i=0$). Then
# $V(u)=u^\top Qu-u_+^\top Au_+=x^\top\begin{pmatrix}Q-A&-Q\\-Q&Q\end{pmatrix}x$, $x=(p,q)$, and
# subtracting a flip-invariant $N\ge0$ (whose $p$–$q$ diagonal is free, since it multiplies
# $p_iq_i=0$) leaves a flip-invariant PSD part: $2^{d_Y}$ blocks of size $2\times2$, one per
# character. So $V\ge0$ for **all** $u$ follows from $3P$ rationals checked exactly — no $3^P$
# enumeration. Requiring the certificate to vanish on the known optimal neurons is linear in $N$,
# which makes tight certificates rational; blocks of degree $\ge2$ that are positive definite
# force every zero to fire an affine activity (claim `L.solver.walsh`, derived here;
# `numeric/solver/walsh_certificate.py`). The relaxation is sufficient only. When the inputs are
# also invariant under permutations of the variables (target-aligned, interaction) the blocks
# depend on $|S|$ only and the certificate has $d_Y+1$ blocks (Krawtchouk numbers;
# `numeric/solver/walsh_symmetric.py`): $P=256$ in a fraction of a second.

# %%
from fractions import Fraction

from numeric.inputs import exact_input_matrices, exact_kkt_check
from numeric.solver import rational as rq
from numeric.solver.affine_minima import decide_inputs_family
from numeric.solver.symmetric_witness import non_abstract_optimum, pair_and_half_supports
from numeric.solver.walsh_certificate import certify as walsh_certify, verify as walsh_verify

print(sym.walsh_certificate_derivation().report())
for dY in (3, 4, 5):
    Yw, KYw, Qw = exact_input_matrices(dY, "interaction", {"eta": Fraction(2)})
    r = non_abstract_optimum(Qw, Yw, pair_and_half_supports(Yw))
    how = "all sign patterns" if r.walsh is None else "Walsh blocks"
    print(f"interaction eta = 2, dY = {dY}: rho = {r.rho} ({how}); {len(r.weights)} pair conjunctions "
          f"with equal weights form a global minimum with PS = {Fraction(r.ps).limit_denominator(100)}")
Yw, KYw, Qw = exact_input_matrices(3, "interaction", {"eta": Fraction(2)})
r = non_abstract_optimum(Qw, Yw, pair_and_half_supports(Yw))
cert, _ = walsh_certify(Qw, KYw * rq.q(1 / r.rho), Yw, r.patterns)
print(f"dY = 3 cross-check at rho: Walsh certificate {walsh_verify(cert)[0]}, exhaustive check "
      f"{exact_kkt_check(Qw, KYw * rq.q(1 / r.rho), 1, 1, Yw)[0]}; 1% past rho: Walsh "
      f"{walsh_certify(Qw, KYw * rq.q(100 / (99 * r.rho)), Yw)[0] is not None}, exhaustive "
      f"{exact_kkt_check(Qw, KYw * rq.q(100 / (99 * r.rho)), 1, 1, Yw)[0]}")
for gam in ([0.2, 0.3, 0.4, 0.5], [0, 0.5, 2, 1], [2, 3, 4, 5]):
    d = decide_inputs_family(4, "anisotropic", {"gammas": gam}, 0.05, 0.05)
    print(f"anisotropic gammas {gam}: every global minimum abstract = {d.all_minima_abstract}")
from numeric.solver.walsh_family import answer as walsh_answer

for dY in (6, 8):
    a = walsh_answer(dY, "interaction", {"eta": 2.0}, 0.05, 0.05)
    print(f"interaction eta = 2, dY = {dY} (P = {2 ** dY}, certificate with {dY + 1} blocks): "
          f"rho = {a['certificate']['witness']['rho']}, every minimum abstract = "
          f"{a['certificate']['all_minima_abstract']}, PS of the pair-conjunction optimum = "
          f"{Fraction(float(np.mean(a['ps']))).limit_denominator(1000)}, checks "
          f"{all(c['ok'] for c in a['checks'])}")
from numeric.solver.inputs_family import answer as family_answer

for dY, eta in ((9, 1.5), (9, 2.0)):
    a = walsh_answer(dY, "interaction", {"eta": eta}, 0.05, 0.05)
    print(f"interaction eta = {eta}, dY = {dY}: " + ("no certificate (the relaxation falls short)"
          if a is None else f"every minimum abstract = {a['certificate']['all_minima_abstract']}, "
          f"checks {all(c['ok'] for c in a['checks'])}"))
a = family_answer(10, "interaction", {"eta": 1.0}, 0.05, 0.05)
print(f"interaction eta = 1 (the tie), dY = 10 (P = 1024): every minimum abstract = "
      f"{a['certificate']['all_minima_abstract']}, global optimum {a['certificate']['global_optimum']}")
from numeric.solver.affine_minima import decide_by_walsh, closed_form_dual

d23 = closed_form_dual(2, "anisotropic", {"gammas": [2, 3]}, Fraction(1, 20), Fraction(1, 20))
print("gammas (2, 3) at dY = 2: exhaustive check proves abstraction =",
      decide_inputs_family(2, "anisotropic", {"gammas": [2, 3]}, 0.05, 0.05).all_minima_abstract,
      "| Walsh route (singular blocks, next cell) =",
      decide_by_walsh(d23.Q, d23.A * rq.q(d23.lam2 / d23.lam1), d23.Y, d23.zeros).all_minima_abstract)

# %% [markdown]
# ### When a block of degree $\ge2$ is singular: the certificate's exact zero set
# With two high-regime gammas beside a different one only a certificate with a singular block of
# degree 2 exists; for gammas (2, 3, 4, 5) or (2, 3) even the blocks the known zeros leave free
# must be singular (null vector (1, 1)), so the search keeps only their traces away from zero.
# The zeros are still computable exactly (derived here,
# `numeric/solver/walsh_zeros.py`): $V(u)=0$ iff $Sx=0$ and the supports of $p$, $q$ avoid the
# positive entries of $N$. These conditions forbid *pairs* of support points, so the zero set is a
# union of faces of the pointed cone $\{z: Bz\ge0\}$ ($B$ a basis of $\ker S$, columns
# $(\alpha\chi_S,\beta\chi_S)$), each generated by admissible extreme rays. Listing the extreme
# rays (double description, exact integers) therefore decides whether a non-affine zero exists.
# Every admissible ray is re-checked to be an exact zero of $V$ from $Q$ and $A$.

# %%
from numeric.solver.affine_minima import closed_form_dual
from numeric.solver.walsh_zeros import decide as decide_zeros

for fam, params in (("anisotropic", {"gammas": [0, 2, 2, Fraction(1, 2)]}),
                    ("anisotropic", {"gammas": [0, Fraction(1, 2), 2, 5]}),
                    ("anisotropic", {"gammas": [2, 3, 4, 5]}),
                    ("interaction", {"eta": Fraction(1)})):
    d = closed_form_dual(4, fam, params, Fraction(1, 20), Fraction(1, 20))
    A1 = d.A * rq.q(d.lam2 / d.lam1)
    strict = walsh_certify(d.Q, A1, d.Y, d.zeros, strict_degree=2)[0] is not None
    cert = walsh_certify(d.Q, A1, d.Y, d.zeros)[0]
    ab, why, z = decide_zeros(cert, d.Q, A1, d.Y)
    print(f"{fam} {params}: strict certificate {strict}; singular blocks {walsh_verify(cert)[2]}; "
          f"dim ker S = {z.dim}, {z.rays} rays enumerated, {len(z.admissible)} admissible, "
          f"{len(z.non_affine)} non-affine -> every minimum abstract: {ab}")

# %% [markdown]
# ## Lipschitz activations on the hypercube: tanh, hard-tanh, hard-sigmoid, clipped-relu
# For $\psi=\varphi-\varphi(0)$ odd and $L$-Lipschitz every network of every width has
# $E\ge d_Y e^*$ (`A.odd`, lemma `L.lipschitz-cost`); for threshold-like $\varphi$ with gain $L$
# (clipped-relu) $E\ge E^*_{\rm ReLU}(\lambda_1/L^2,\lambda_2)$ (`A.threshold`), the ReLU optimum
# that the symmetric solver certifies exactly. The solver brackets the optimum between such a
# bound, in ball arithmetic from the exact $\lambda$'s, and the exact loss of a concrete network
# (claims `A.solver.odd`, `A.solver.threshold`; `numeric/solver/lipschitz_hypercube.py`).
# hard-tanh, hard-sigmoid and clipped-relu attain it, and equality in the bound forces the
# abstract kernel, so every global minimum is abstract. tanh has gain 1 only at $z\to0$: the
# bracket closes like $1/M$ and no finite width attains the infimum — there is no global minimum
# to certify. Activations that are not positively 1-homogeneous (relu², and these activations on
# general data) have no convex reformulation over measures here: no certified solver is claimed.

# %%
from numeric.solver.lipschitz_hypercube import hypercube_answer

for act in ("hard-tanh", "hard-sigmoid", "clipped-relu", "tanh"):
    a = hypercube_answer(act, 3, 0.05, 0.05)
    c = a["certificate"]
    w = c["witness"]
    print(f"{act:13s} width {a['numeric']['width']:3d}: bracket [{w['lower']:.15f}, {w['upper']:.15f}] "
          f"(gap {'< 1e-12' if w['rel_gap'] < 1e-12 else format(w['rel_gap'], '.1e')}); global optimum "
          f"{c['global_optimum']}, every minimum abstract {c['all_minima_abstract']}")
