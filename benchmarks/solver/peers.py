"""Peers for the solver benchmark: cvxpy DNN relaxation (Clarabel), torch L-BFGS / Adam training,
pyscnn convex reformulation. Heavy optional imports stay inside the functions; none of this is
used by the package or its tests.

Every peer is scored by the *defining* loss of the network it returns (or, for the relaxation,
by its optimal value), against the certified optimum E* of :mod:`numeric.solver`.
"""
from __future__ import annotations

import time

import numpy as np


#: the random instances the fan benchmarks share: label -> (dX, P, dY, seed)
FAN_INSTANCES = {f"{['', 'one', 'two', 'three', 'four'][dY]} outputs, dX = {dX}, P = {P}"
                 + (f" (rank {dX + 1})" if dX + 1 < P else ""): (dX, P, dY, seed)
                 for dX, P, dY, seed in ((11, 12, 2, 23), (13, 14, 2, 25), (9, 10, 3, 32),
                                         (5, 12, 3, 34), (7, 8, 4, 41), (11, 12, 4, 42),
                                         (13, 14, 3, 35), (15, 16, 3, 36), (15, 16, 4, 43),
                                         (15, 16, 2, 24))}


def fan_instances(*which: int) -> list[tuple]:
    """(label, dX, P, dY, seed) rows of FAN_INSTANCES by position, in the order given."""
    labels = list(FAN_INSTANCES)
    return [(labels[k], *FAN_INSTANCES[labels[k]]) for k in which]


def on_fans(run_one):
    """``run_one`` with two to five outputs on full-rank inputs routed through the cell fans
    (``numeric.solver.simplices.fans_on_full_rank``): the fan benchmarks measure the fans, which
    the solver's default no longer takes for their full-rank instances up to P = 14 .. 16."""
    import functools

    from numeric.solver import simplices

    @functools.wraps(run_one)
    def wrapped(*args, **kwargs):
        with simplices.fans_on_full_rank():
            return run_one(*args, **kwargs)
    return wrapped


def solved_instance(dX: int, P: int, dY: int, seed: int):
    """The ReLU solution (bias, lam1 = lam2 = 0.05) of a random instance, and its seconds."""
    from numeric.solver import make_problem, solve_relu
    X, Y = random_instance(dX, P, dY, seed)
    t0 = time.perf_counter()
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05, bias=True))
    return sol, time.perf_counter() - t0


def markdown(columns, rows) -> str:
    """A markdown table: ``columns`` are (header, row -> cell text) pairs."""
    out = ["| " + " | ".join(h for h, _ in columns) + " |", "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(f(r) for _, f in columns) + " |" for r in rows]
    return "\n".join(out)


def run_rows(doc: str, instances: list[tuple], run_one, table, default_out) -> None:
    """A benchmark's command line: run ``run_one(*row)`` for the chosen rows of ``instances``
    (``--only I ...`` re-runs rows in place, keeping the others of an existing ``--out``), save
    them as JSON after each row and print ``table(rows)``."""
    import argparse
    import json
    from pathlib import Path
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--only", type=int, nargs="*", help="indices into INSTANCES")
    ap.add_argument("--out", default=str(default_out))
    args = ap.parse_args()
    chosen = instances if args.only is None else [instances[i] for i in args.only]
    out = Path(args.out)
    old = json.loads(out.read_text())["rows"] if args.only is not None and out.exists() else []
    rows = {r["instance"]: r for r in old}
    ordered = []
    for inst in chosen:
        print("==", inst[0], flush=True)
        rows[inst[0]] = run_one(*inst)
        print(json.dumps(rows[inst[0]]), flush=True)
        ordered = [rows[i[0]] for i in instances if i[0] in rows]
        out.write_text(json.dumps({"rows": ordered}, indent=1))
    print(table(ordered))


def bench_main(path: str, doc: str, instances: list[tuple], run_one, columns) -> None:
    """:func:`run_rows` for a benchmark script at ``path`` whose table is ``columns`` (see
    :func:`markdown`), saved next to it as JSON."""
    from pathlib import Path
    run_rows(doc, instances, run_one, lambda rows: markdown(columns, rows),
             Path(path).with_suffix(".json"))


def route_cell(route: str, text):
    """A table column (see :func:`markdown`) for the sub-dict ``route`` of a row: ``text`` of it,
    or a dash where the row has none."""
    def cell(row):
        sub = row.get(route)
        return "—" if sub is None else text(sub)
    return cell


def gap_text(o: dict) -> str:
    """A certified run's relative bracket, flagged when it is not certified."""
    return f"{o['rel_gap']:.1e}" + ("" if o["certified"] else ", NOT certified")


def timed_certificate(sol):
    """Build the exact certificate of a solution and re-verify it from its JSON, timed apart:
    (certificate, verify report, {"certificate_seconds", "verify_seconds"})."""
    from numeric.solver import build_certificate, verify_certificate
    t0 = time.perf_counter()
    cert = build_certificate(sol)
    t1 = time.perf_counter()
    rep = verify_certificate(cert)
    return cert, rep, {"certificate_seconds": t1 - t0, "verify_seconds": time.perf_counter() - t1}


def timed_certified_solve(X, Y, lam1: float = 0.05, lam2: float = 0.05):
    """Solve (ReLU, bias), then :func:`timed_certificate`: (solution, certificate, verify report,
    {"solve_seconds", "certificate_seconds", "verify_seconds"})."""
    from numeric.solver import make_problem, solve_relu
    t0 = time.perf_counter()
    sol = solve_relu(make_problem(X, Y, lam1, lam2))
    t1 = time.perf_counter()
    cert, rep, seconds = timed_certificate(sol)
    return sol, cert, rep, {"solve_seconds": t1 - t0, **seconds}


def route_comparison(a: dict, b: dict) -> dict:
    """Whether two routes' exact brackets overlap, and their (solve + certificate) time ratio a / b."""
    return {"overlap": max(a["lower"], b["lower"]) <= min(a["upper"], b["upper"]),
            "ratio": ((a["solve_seconds"] + a["certificate_seconds"])
                      / (b["solve_seconds"] + b["certificate_seconds"]))}


def certified_fields(cert: dict, rep) -> dict:
    """What a benchmark row records of a certificate and its re-verification report."""
    return {"rel_gap": rep.rel_gap, "certified": bool(rep.ok and rep.global_optimum),
            "kind": cert["cost_bound"]["kind"], "upper": float(rep.upper), "lower": float(rep.lower)}


def certified_or_refused(sol) -> tuple[dict, dict]:
    """:func:`timed_certificate` and :func:`certified_fields` of a solution, or, when the exact
    check refuses it, the refusal as the row's fields (lower bound -inf, not certified)."""
    from numeric.solver.certificate import CertificateError
    t0 = time.perf_counter()
    try:
        cert, rep, seconds = timed_certificate(sol)
        return seconds, certified_fields(cert, rep)
    except CertificateError as exc:
        return ({"certificate_seconds": time.perf_counter() - t0, "verify_seconds": 0.0},
                {"rel_gap": None, "certified": False, "kind": f"refused: {exc}",
                 "upper": float(sol.network_energy), "lower": float("-inf")})


def walked_certified_solve(prob) -> dict:
    """Solve a problem, count the signed tree walks (``pricing.walk_flags`` calls) and certify
    it (:func:`certified_or_refused`): the fields of one side of a :func:`paired_row`."""
    from numeric.solver import pricing, solve_relu
    with timed_calls(pricing, "walk_flags") as walks:
        t0 = time.perf_counter()
        sol = solve_relu(prob)
        t1 = time.perf_counter()
    seconds, fields = certified_or_refused(sol)
    return {"solve_seconds": t1 - t0, **seconds, "walks": walks.calls, "rounds": sol.iterations,
            "stop_reason": sol.stop_reason, "converged": bool(sol.converged), **fields}


def paired_row(label: str, P: int, new_name: str, new: dict, old_name: str, old: dict, **extra) -> dict:
    """A row comparing a method (``new``) with its peer (``old``) on one instance: both runs, whether
    their certified brackets overlap and the peer / method time ratio of solve + certificate."""
    cmp = route_comparison(old, new)
    return {"instance": label, "P": P, new_name: new, old_name: old, "overlap": cmp["overlap"],
            "ratio": cmp["ratio"], **extra, "peak_rss_gb": peak_rss_gb()}


def paired_columns(old_name: str, old_title: str, new_name: str, new_title: str, side,
                   short: tuple[str, str]) -> list:
    """The columns (see :func:`markdown`) of a :func:`paired_row` table of ill- and
    well-conditioned instances: instance, cond(K_X), each method's ``side(run)`` text, the time
    ratios peer / method (solve, and solve + certificate; ``short`` names peer and method), and
    :data:`PAIRED_COLUMNS`."""
    return [("instance", lambda r: r["instance"]),
            ("cond(K_X)", lambda r: f"{r['cond']:.1e}"),
            (old_title, lambda r: side(r[old_name])),
            (new_title, lambda r: side(r[new_name])),
            (f"solve {short[0]} / {short[1]}", lambda r: f"{r['ratio_solve']:.2f}×"),
            (f"solve + certificate {short[0]} / {short[1]}", lambda r: f"{r['ratio']:.2f}×")
            ] + PAIRED_COLUMNS


#: the last columns of a :func:`paired_row` table
PAIRED_COLUMNS = [("brackets overlap", lambda r: "yes" if r["overlap"] else "NO"),
                  ("peak memory", lambda r: f"{r['peak_rss_gb']:.2f} GB")]


class timed_calls:
    """Context manager: while inside, every call of ``module.name`` is counted and timed
    (``.calls``, ``.seconds``); the original is put back on exit."""

    def __init__(self, module, name: str):
        self.module, self.name, self.calls, self.seconds = module, name, 0, 0.0

    def __enter__(self):
        inner = self.inner = getattr(self.module, self.name)

        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                self.calls += 1
                self.seconds += time.perf_counter() - t0

        setattr(self.module, self.name, timed)
        return self

    def __exit__(self, *exc):
        setattr(self.module, self.name, self.inner)
        return False


def peak_rss_gb() -> float:
    """The process's peak resident memory so far, in GB (Linux reports kB)."""
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20


def random_instance(dX: int, P: int, dY: int, seed: int):
    """The benchmarks' random instances: X ~ N(0, 1) (dX x P) and labels sign(N(0, 1)) (dY x P),
    drawn in that order from their own generator."""
    g = np.random.default_rng(seed)
    return g.standard_normal((dX, P)), np.sign(g.standard_normal((dY, P)))


def dnn_sdp(Q, Y, lam1, lam2):
    """min lam1 tr(QK) + lam2 sum_i y_i^T (lam2 I + K)^{-1} y_i over K PSD, K >= 0 (DNN relaxation
    of the completely positive program of the whitened ReLU problem), cvxpy + Clarabel."""
    import cvxpy as cp
    P = Q.shape[0]
    K = cp.Variable((P, P), PSD=True)
    M = lam2 * np.eye(P) + K
    obj = lam1 * cp.trace(Q @ K) + lam2 * sum(cp.matrix_frac(Y[i], M) for i in range(Y.shape[0]))
    prob = cp.Problem(cp.Minimize(obj), [K >= 0])
    t0 = time.perf_counter()
    prob.solve(solver="CLARABEL")
    return {"seconds": time.perf_counter() - t0, "energy": float(prob.value), "status": prob.status}


def _phi(torch, name):
    """The suite's activations (numeric.activations) in torch, for the defining loss."""
    return {"relu": torch.relu, "linear": lambda z: z, "tanh": torch.tanh,
            "hard-tanh": lambda z: torch.clamp(z, -1.0, 1.0),
            "hard-sigmoid": lambda z: torch.clamp((z + 1.0) / 2.0, 0.0, 1.0),
            "clipped-relu": lambda z: torch.clamp(z, 0.0, 1.0)}[name]


def _torch_loss(torch, W, W2, Xt, Y, lam1, lam2, activation="relu"):
    R = Y - W2 @ _phi(torch, activation)(W @ Xt)
    return (R * R).sum() + lam1 * (W * W).sum() + lam2 * (W2 * W2).sum()


def train_torch(Xt, Y, lam1, lam2, width, seed, *, optimizer="lbfgs", time_limit=5.0,
                targets=(1e-4, 1e-8), E_star=None, activation="relu"):
    """One run from a random start; returns final loss, the first times the loss reached
    E*(1 + tau) for each tau in ``targets`` (None if never) and ``stopped``: True when L-BFGS
    ended before the time limit because the loss no longer changed (1e-16 relative) -- a
    stationary point, from which more time does not help."""
    import torch
    torch.manual_seed(seed)
    Xt_t = torch.tensor(Xt, dtype=torch.float64)
    Y_t = torch.tensor(Y, dtype=torch.float64)
    D, dY = Xt.shape[0], Y.shape[0]
    W = (0.5 * torch.randn(width, D, dtype=torch.float64)).requires_grad_()
    W2 = (0.5 * torch.randn(dY, width, dtype=torch.float64)).requires_grad_()
    hit = {tau: None for tau in targets}
    stopped = False
    t0 = time.perf_counter()

    def record(val):
        el = time.perf_counter() - t0
        for tau in targets:
            if hit[tau] is None and E_star is not None and val <= E_star * (1 + tau):
                hit[tau] = el

    if optimizer == "lbfgs":
        opt = torch.optim.LBFGS([W, W2], lr=1.0, max_iter=50, history_size=50,
                                line_search_fn="strong_wolfe", tolerance_grad=1e-14,
                                tolerance_change=1e-16)

        def closure():
            opt.zero_grad()
            loss = _torch_loss(torch, W, W2, Xt_t, Y_t, lam1, lam2, activation)
            loss.backward()
            return loss
        prev = np.inf
        while time.perf_counter() - t0 < time_limit:
            opt.step(closure)
            with torch.no_grad():
                val = float(_torch_loss(torch, W, W2, Xt_t, Y_t, lam1, lam2, activation))
            record(val)
            if abs(prev - val) <= 1e-16 * abs(val):
                stopped = True
                break
            prev = val
    else:
        opt = torch.optim.Adam([W, W2], lr=1e-2)
        step = 0
        while time.perf_counter() - t0 < time_limit:
            opt.zero_grad()
            loss = _torch_loss(torch, W, W2, Xt_t, Y_t, lam1, lam2, activation)
            loss.backward()
            opt.step()
            step += 1
            if step % 50 == 0:
                record(float(loss.detach()))
    with torch.no_grad():
        val = float(_torch_loss(torch, W, W2, Xt_t, Y_t, lam1, lam2, activation))
    record(val)
    return {"loss": val, "hit": hit, "seconds": time.perf_counter() - t0, "stopped": stopped}


def pyscnn_fit(Xt, Y, lam1, lam2, max_neurons, seed=0):
    """pyscnn's convex ReLU reformulation with matched regularisation.

    pyscnn minimises |y - h(X)|^2 / (2n) + lam sum_i |u_i| (loss_functions.squared_error, scaled
    by 2n in models/convex/*_mlp.py). Per-neuron rescaling turns lam1 |W|^2 + lam2 |W2|^2 into
    2 sqrt(lam1 lam2) sum_j |w_j||a_j|, so matching the two objectives (multiply pyscnn's by 2n)
    gives lam = sqrt(lam1 lam2)/n. Inputs are X~^T (bias row included, pyscnn's own bias off,
    no unitisation, float64). The returned non-convex network is scored by our loss after the
    optimal per-neuron rescaling (balanced weights)."""
    from scnn.optimize import optimize
    from scnn.regularizers import NeuronGL1
    n = Xt.shape[1]
    lam = np.sqrt(lam1 * lam2) / n
    t0 = time.perf_counter()
    model, _ = optimize("relu", max_neurons, Xt.T, Y.T, regularizer=NeuronGL1(lam), bias=False,
                        unitize_data=False, dtype="float64", seed=seed)
    secs = time.perf_counter() - t0
    W1, W2 = model.parameters[0], model.parameters[-1]
    Z = (np.maximum(Xt.T @ W1.T, 0) @ W2.T).T
    reg = 2 * np.sqrt(lam1 * lam2) * float(np.sum(np.linalg.norm(W1, axis=1) * np.linalg.norm(W2, axis=0)))
    return {"seconds": secs, "energy": float(np.sum((Y - Z) ** 2) + reg),
            "neurons": int(np.sum(np.linalg.norm(W1, axis=1) * np.linalg.norm(W2, axis=0) > 0))}
