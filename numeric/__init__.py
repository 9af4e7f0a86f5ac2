"""Numeric half of *emergence*: tasks, energies, solvers, certificates, metrics, claims, CLI.

numpy / scipy / mpmath / python-flint only. torch lives behind :mod:`numeric.torch_bridge` and is
imported inside its functions, so ``import numeric`` never loads it.
"""
