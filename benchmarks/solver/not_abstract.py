"""Coverage sweep: how often the certified outputs refute "every global minimum is abstract"
(numeric.solver.not_abstract, claim ``L.solver.not-abstract``) on random ReLU instances.

Random Gaussian inputs with hypercube labels (every condition n times), five shapes (full rank,
low rank, two and three outputs) x four seeds, lam1 = lam2 = 0.05. Per instance: whether the
dense certificate verifies, whether the refutation fires (and for which variables), the
certified price (every PS = 1 network costs >= E* + price), and the cost of the refutation
relative to its peer in the same process, the certificate build and verification it rests on.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/not_abstract.py [--out FILE.json]
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from numeric.solver import build_certificate, make_problem, solve_relu, verify_certificate
from numeric.solver.not_abstract import refute_from_certificate
from numeric.tasks import hypercube

SHAPES = ((2, 2, 7), (2, 2, 3), (2, 3, 2), (3, 1, 7), (2, 4, 5))     # (dY, n, dX)
SEEDS = range(4)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else \
        Path(__file__).with_name("not_abstract.json")
    rows = []
    for dY, n, dX in SHAPES:
        for seed in SEEDS:
            Y = np.tile(hypercube(dY).Y, n)
            X = np.random.default_rng(100 + seed).standard_normal((dX, Y.shape[1]))
            t0 = time.perf_counter()
            cert = build_certificate(solve_relu(make_problem(X, Y, 0.05, 0.05)))
            rep = verify_certificate(cert)
            t1 = time.perf_counter()
            ref = refute_from_certificate(cert, rep)
            t2 = time.perf_counter()
            rows.append({"dY": dY, "P": Y.shape[1], "dX": dX, "seed": seed, "certified": rep.ok,
                         "refuted": bool(ref and ref.refuted),
                         "refuted_variables": [w.variable for w in ref.witnesses] if ref else [],
                         "price": ref.price if ref else None, "solve_and_certify_s": t1 - t0,
                         "refute_s": t2 - t1})
            print(rows[-1], flush=True)
    out.write_text(json.dumps(rows, indent=1))
    ok = [r for r in rows if r["certified"]]
    ref = [r for r in ok if r["refuted"]]
    prices = [r["price"] for r in ref]
    ratio = max(r["refute_s"] / r["solve_and_certify_s"] for r in ok)
    print(f"{len(ref)} of {len(ok)} certified instances refuted ({len(rows)} run); price "
          f"{min(prices):.1e} ... {max(prices):.1e}; refutation time <= {ratio:.3f} x solve + certify")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
