"""Derivations as checked chains of steps.

A :class:`Derivation` is a list of :class:`Step` objects. Each step asserts one relation between
two sympy expressions (or matrices) and says why it holds. ``Step.check`` asks sympy to confirm
it:

* ``relation="eq"``:  ``simplify(lhs - rhs) == 0`` (element-wise for matrices);
* ``relation="ge"``:  ``simplify(lhs - rhs)`` is provably non-negative under the assumptions
  carried by the symbols (``positive=True`` etc.), via sympy's assumption system;
* ``relation="gt"``:  the same, provably *positive* (strict inequalities, e.g. definiteness);
* ``relation="lemma"``: an appeal to another registry claim by id; the step itself checks
  nothing, the registry checks that the named claim exists and passes.
* ``relation="cite"``: a standard textbook fact (named in the justification) that the chain uses
  without proving; reports list these separately so a reader sees exactly what is assumed.

Failure modes: sympy's ``simplify`` is a heuristic. A true identity it cannot close is reported
as *undecided* (``ok=False`` with that reason), never as proved; the remedy is a finer chain of
steps. A sign step that sympy cannot decide is also reported as undecided.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import sympy as sp

RELATIONS = ("eq", "ge", "gt", "lemma", "cite")


@dataclass(frozen=True)
class StepResult:
    ok: bool
    reason: str
    seconds: float


@dataclass(frozen=True)
class Step:
    """One asserted relation ``lhs <relation> rhs`` with its justification."""

    claim: str
    lhs: object
    rhs: object = 0
    justification: str = ""
    relation: str = "eq"
    lemma: str | None = None

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise ValueError(
                f"`relation` must be one of {RELATIONS}, got {self.relation!r}")
        if self.relation == "lemma" and not self.lemma:
            raise ValueError("a step with relation='lemma' needs `lemma` (a claim id)")

    def check(self) -> StepResult:
        t0 = time.perf_counter()
        if self.relation == "lemma":
            return StepResult(True, f"appeal to claim {self.lemma}", time.perf_counter() - t0)
        if self.relation == "cite":
            return StepResult(True, f"cited: {self.justification}", time.perf_counter() - t0)
        diff = _difference(self.lhs, self.rhs)
        if self.relation == "eq":
            ok = _is_zero(diff)
            reason = "simplify(lhs - rhs) == 0" if ok else f"undecided: lhs - rhs = {diff}"
        elif self.relation == "gt":
            ok = _is_positive(diff)
            reason = ("lhs - rhs > 0 under the symbols' assumptions" if ok
                      else f"undecided (strict) sign of lhs - rhs = {diff}")
        else:
            ok = _is_nonnegative(diff)
            reason = ("lhs - rhs >= 0 under the symbols' assumptions" if ok
                      else f"undecided sign of lhs - rhs = {diff}")
        return StepResult(ok, reason, time.perf_counter() - t0)

    def latex(self) -> str:
        if self.relation == "lemma":
            return rf"\text{{by claim {self.lemma}}}"
        if self.relation == "cite":
            return r"\text{(cited)}"
        op = {"eq": "=", "ge": r"\geq", "gt": ">"}[self.relation]
        return f"{sp.latex(self.lhs)} {op} {sp.latex(self.rhs)}"


def _difference(lhs, rhs):
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        return sp.Matrix(lhs) - sp.Matrix(rhs)
    return sp.sympify(lhs) - sp.sympify(rhs)


def _is_zero(diff) -> bool:
    if isinstance(diff, sp.MatrixBase):
        return all(_is_zero(e) for e in diff)
    d = sp.simplify(diff)
    if d == 0:
        return True
    # radicals sometimes need a second pass: rationalise and factor
    return sp.simplify(sp.radsimp(sp.together(sp.expand(d)))) == 0


def _provably(diff, attr: str) -> bool:
    """sympy's assumption ``attr`` ("is_positive" / "is_nonnegative") on lhs - rhs, tried on a few
    equivalent forms (element-wise for matrices)."""
    if isinstance(diff, sp.MatrixBase):
        return all(_provably(e, attr) for e in diff)
    for form in (diff, sp.simplify(diff), sp.factor(diff), sp.expand(diff)):
        if getattr(sp.sympify(form), attr) is True:
            return True
    return False


def _is_positive(diff) -> bool:
    return _provably(diff, "is_positive")


def _is_nonnegative(diff) -> bool:
    return _provably(diff, "is_nonnegative")


@dataclass
class Derivation:
    """A titled chain of steps ending in a conclusion.

    ``conclusion`` names the step (by index, default the last) whose relation is the claim's
    statement; the other steps are the route to it.
    """

    title: str
    steps: list[Step] = field(default_factory=list)
    assumptions: str = ""

    def add(self, claim, lhs, rhs=0, justification="", relation="eq", lemma=None) -> Step:
        step = Step(claim, lhs, rhs, justification, relation, lemma)
        self.steps.append(step)
        return step

    def check(self) -> list[StepResult]:
        return [s.check() for s in self.steps]

    def lemmas(self) -> list[str]:
        return [s.lemma for s in self.steps if s.relation == "lemma"]

    def citations(self) -> list[str]:
        return [s.justification for s in self.steps if s.relation == "cite"]

    def latex(self) -> str:
        """Render as a LaTeX ``align`` block: one line per step, with its justification."""
        lines = []
        for i, s in enumerate(self.steps, 1):
            just = s.justification.replace("_", r"\_")
            lines.append(rf"&\text{{({i}) {s.claim}}}\\ &\quad {s.latex()} "
                         rf"\quad\text{{[{just}]}}")
        return r"\begin{align}" + r"\\".join(lines) + r"\end{align}"

    def report(self) -> str:
        """Plain-text table of steps and whether sympy confirmed each."""
        out = [self.title]
        for i, (s, r) in enumerate(zip(self.steps, self.check()), 1):
            tag = {"lemma": "lemma", "cite": "cited"}.get(s.relation, "ok" if r.ok else "FAIL")
            out.append(f"  ({i}) [{tag}] {s.claim}")
        return "\n".join(out)
