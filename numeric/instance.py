"""Validated problem instances for ``emergence solve`` and the library.

An instance is a plain dict (it is echoed verbatim in ``solve --json``)::

    {"task": "hypercube" | "data", "dY", "n", "P", "lam1", "lam2", "activation", "bias",
     "depth", "inputs": "whitened" | "data"}

``--data FILE.npz`` must hold ``X`` (dX x P) and ``Y`` (dY x P), finite. A data instance that is
exactly a whitened hypercube (X^T X = I to 1e-12 and the columns of Y are the 2^dY sign vectors,
each n times) is recognised as such, so closed forms apply to it.
"""
from __future__ import annotations

import os

import numpy as np

from numeric import activations
from numeric.tasks import hypercube, Task
from numeric.validation import InputError, choice, finite_matrix, integer_at_least, positive

TASKS = ("hypercube",)
MAX_DY = 1000          # P = 2^dY must stay a finite float64


INPUT_FAMILIES = ("whitened", "aligned", "anisotropic", "interaction")


def make_instance(*, task="hypercube", dY=None, n=1, lam1=None, lam2=None, activation="relu",
                  bias=True, depth=1, data=None, inputs="whitened",
                  input_params=None) -> tuple[dict, Task | None]:
    """Validate arguments; return (instance dict, Task or None when P is too large to build).

    ``inputs`` picks the input geometry of the hypercube task: ``whitened`` (X^T X = I) or one of
    the families of :mod:`numeric.inputs` (``aligned`` {"gamma"}, ``anisotropic`` {"gammas"},
    ``interaction`` {"eta"}), which need n = 1 and no ``--data``.
    """
    lam1 = positive("lam1", lam1)
    choice("inputs", inputs, INPUT_FAMILIES)
    if inputs != "whitened":
        if data is not None:
            raise InputError(f"`--data` cannot be combined with `inputs`={inputs!r}; the file "
                             "fixes the inputs")
        if n != 1:
            raise InputError(f"`n` must be 1 with `inputs`={inputs!r}; got {n!r}")
    lam2 = positive("lam2", lam2)
    activation = choice("activation", activation, activations.NAMES)
    depth = integer_at_least("depth", depth, 1)
    if data is not None:
        task_obj = load_data(data, bias)
        inst = {"task": "data", "file": os.fspath(data), "dY": task_obj.dY, "n": None,
                "P": task_obj.P, "inputs": "data"}
        hc = _recognise_hypercube(task_obj)
        if hc is not None:
            inst.update({"task": "hypercube", "n": hc, "inputs": "whitened"})
    else:
        choice("task", task, TASKS)
        dY = integer_at_least("dY", dY, 1)
        if dY > MAX_DY:
            raise InputError(f"`dY` must be <= {MAX_DY} (P = 2^dY must fit in float64); got {dY}")
        n = integer_at_least("n", n, 1)
        P = n * 2 ** dY
        inst = {"task": task, "dY": dY, "n": n, "P": P, "inputs": inputs}
        if inputs == "whitened":
            task_obj = hypercube(dY, n, bias=bias) if P <= 4096 else None
        else:
            from numeric import inputs as families
            params = dict(input_params or {})
            inst["input_params"] = params
            task_obj = (Task(families.inputs(dY, inputs, params), hypercube(dY).Y, bias)
                        if P <= 4096 else None)
    inst.update({"lam1": lam1, "lam2": lam2, "activation": activation, "bias": bool(bias),
                 "depth": depth})
    return inst, task_obj


def load_data(path, bias: bool) -> Task:
    if not os.path.isfile(path):
        raise InputError(f"`--data` must be an existing .npz file; got {os.fspath(path)!r}")
    try:
        z = np.load(path, allow_pickle=False)
    except Exception as exc:
        raise InputError(f"`--data` must be a readable .npz file; got {os.fspath(path)!r} ({exc})") from None
    for key in ("X", "Y"):
        if key not in z.files:
            raise InputError(f"`--data` must hold arrays 'X' and 'Y'; {os.fspath(path)!r} has {z.files}")
    X = finite_matrix("X", z["X"])
    Y = finite_matrix("Y", z["Y"], cols=X.shape[1])
    return Task(X, Y, bias)


def _recognise_hypercube(task: Task) -> int | None:
    X, Y = task.X, task.Y
    if not np.all(np.abs(Y) == 1):
        return None
    P, dY = Y.shape[1], Y.shape[0]
    if P % (2 ** dY):
        return None
    n = P // 2 ** dY
    _, counts = np.unique(Y.T, axis=0, return_counts=True)
    if len(counts) != 2 ** dY or np.any(counts != n):
        return None
    if not np.allclose(X.T @ X, np.eye(P), atol=1e-12, rtol=0):
        return None
    return n
