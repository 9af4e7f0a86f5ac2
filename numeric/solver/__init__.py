"""Certified global solver for Paper A's mean-field problem, ReLU and linear (issue #4).

Modules: ``problem`` (instances, pattern modes), ``master`` (weights on patterns), ``pricing``
(most negative first variation, exhaustive over supports), ``cells`` / ``sectors`` (the 2^P
cells of the input arrangement: exact pricing and certificates for dY <= 2 on any inputs),
``simplices`` (fans of simplicial cones of output directions, dY = 3, 4), ``polish`` (local
pattern refinement), ``landing`` (merge round-off copies, Newton on the fixed-support energy),
``relu`` (the column-generation solver), ``linear`` (the linear activation: nuclear-norm
reduction, PSD dual, exact certificate), ``rational`` / ``copositive`` /
``certificate`` (exact certificates: build, JSON, re-verify), ``zeroset`` (exact zero set of a
copositive form), ``outputs_ball`` / ``not_abstract`` (what every global minimum computes on the
data; refuting PS = 1 from it), ``symmetry`` (hypercube reduction to an LP over Krawtchouk eigenvalues),
``api`` (:func:`solve_instance` for ``emergence solve``). Nothing here imports torch.
"""
from numeric.solver.api import closed_form_checks, solve_instance
from numeric.solver.certificate import build as build_certificate
from numeric.solver.certificate import verify as verify_certificate
from numeric.solver.problem import make_problem
from numeric.solver.relu import solve_relu
from numeric.solver.symmetry import solve_hypercube

__all__ = ["solve_instance", "closed_form_checks", "build_certificate", "verify_certificate",
           "make_problem", "solve_relu", "solve_hypercube"]
