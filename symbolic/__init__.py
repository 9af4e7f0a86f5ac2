"""Symbolic half of *emergence*: sympy derivations and closed forms.

This package imports sympy only. It never imports :mod:`numeric` or torch; the numeric side
turns the expressions built here into fast evaluators and checks them against the defining
problems (see ``numeric.registry``).

Modules, one concept each:

* :mod:`symbolic.derivation` -- the proof-step machinery (``Step``, ``Derivation``).
* :mod:`symbolic.meanfield`  -- Paper A's reduction of the network loss to the energy over
  preactivation patterns.
* :mod:`symbolic.kkt`        -- first variation of that energy and, for ReLU, the reduction of the
  optimality condition to copositivity of a matrix.
* :mod:`symbolic.relu_whitened` -- the ReLU hypercube task with whitened inputs: b*, K*, E*.
"""
