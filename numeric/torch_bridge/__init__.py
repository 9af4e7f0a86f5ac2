"""The one door to torch: train the two-layer network of Paper A with PyTorch (CPU or CUDA).

torch is imported inside the functions of :mod:`numeric.torch_bridge.train`, which this package
imports only when called, so ``import numeric`` never loads torch. Install it with the ``torch``
extra (``make test`` pins the CPU build ``torch==2.13.0``).
"""
from __future__ import annotations


def train_hypercube(**kwargs):
    """See :func:`numeric.torch_bridge.train.train_hypercube`."""
    from numeric.torch_bridge.train import train_hypercube as impl
    return impl(**kwargs)


def train_cli(args) -> dict:
    from numeric.torch_bridge.train import train_cli as impl
    return impl(args)
