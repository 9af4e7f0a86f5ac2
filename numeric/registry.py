"""The claim registry: every result of the suite, with provenance, derivation and witnesses.

A :class:`Claim` holds an id, a one-line statement, its hypotheses, its provenance (what the
paper states, what we derived, and our verdict), a sympy derivation (a callable returning a
:class:`symbolic.derivation.Derivation`, or ``None``) and a tuple of :class:`Witness` objects.

A witness is an *independent* check: it returns an :class:`Outcome` (ok, measured error, one
line of detail). The derivation, when present, is run as the claim's first witness (kind
``symbolic``): it is ok iff sympy confirms every step and every lemma it appeals to is a
registered claim. A witness that raises is a failed witness, reported with the exception.

Claims are defined in ``numeric/claims/*.py`` and collected by :func:`all_claims`.
"""
from __future__ import annotations

import importlib
import pkgutil
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

KINDS = ("symbolic", "high-precision", "exact", "float64", "optimisation", "network", "lemma")
VERDICTS = ("confirmed", "derived", "refuted", "open")


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class Witness:
    name: str
    kind: str
    run: Callable[[], Outcome]

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"`kind` must be one of {KINDS}; got {self.kind!r}")


@dataclass(frozen=True)
class Provenance:
    """``stated``: the paper's claim as the seed summaries give it (None if the claim is ours).
    ``source``: paper and section. ``verdict``: confirmed / derived / refuted / open.
    ``finding``: what our derivation and witnesses established, in one or two sentences."""

    source: str
    stated: str | None
    verdict: str
    finding: str

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"`verdict` must be one of {VERDICTS}; got {self.verdict!r}")


@dataclass(frozen=True)
class Claim:
    id: str
    statement: str
    hypotheses: tuple[str, ...]
    provenance: Provenance
    derivation: Callable | None = None
    witnesses: tuple[Witness, ...] = ()
    notebook: str | None = None


@dataclass
class WitnessReport:
    claim: str
    witness: str
    kind: str
    ok: bool
    error: float | None
    detail: str
    seconds: float


@dataclass
class ClaimReport:
    claim: Claim
    witnesses: list[WitnessReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.witnesses) and all(w.ok for w in self.witnesses)


_REGISTRY: dict[str, Claim] = {}
_LOADED = False


def register(claim: Claim) -> Claim:
    if claim.id in _REGISTRY:
        raise ValueError(f"claim id {claim.id!r} registered twice")
    _REGISTRY[claim.id] = claim
    return claim


def _load() -> None:
    """Import every module of numeric/claims once (a module imported directly before this
    registers its own claims; the others are still loaded here)."""
    global _LOADED
    if _LOADED:
        return
    import numeric.claims as pkg
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        importlib.import_module(f"numeric.claims.{info.name}")
    _LOADED = True


def all_claims() -> list[Claim]:
    """Every registered claim, sorted by id."""
    _load()
    return sorted(_REGISTRY.values(), key=lambda c: c.id)


def get(claim_id: str) -> Claim:
    _load()
    if claim_id not in _REGISTRY:
        raise KeyError(f"unknown claim id {claim_id!r}; known: {', '.join(_REGISTRY)}")
    return _REGISTRY[claim_id]


def _timed(claim_id: str, name: str, kind: str, fn) -> WitnessReport:
    t0 = time.perf_counter()
    try:
        out = fn()
    except Exception as exc:  # a crashing witness is a failed witness, reported
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        out = Outcome(False, None, f"raised {type(exc).__name__}: {exc} "
                                   f"({tb.filename.rsplit('/', 1)[-1]}:{tb.lineno})")
    return WitnessReport(claim_id, name, kind, bool(out.ok), out.error, out.detail,
                         time.perf_counter() - t0)


def _derivation_outcome(claim: Claim) -> Outcome:
    deriv = claim.derivation()
    results = deriv.check()
    bad = [i + 1 for i, r in enumerate(results) if not r.ok]
    missing = [lem for lem in deriv.lemmas() if lem not in _REGISTRY]
    ok = not bad and not missing
    n_cite, n_lem = len(deriv.citations()), len(deriv.lemmas())
    detail = f"{len(results) - n_cite - n_lem} steps checked by sympy"
    if n_cite:
        detail += f", {n_cite} cited standard facts"
    if bad:
        detail += f"; steps {bad} not confirmed: " + "; ".join(results[i - 1].reason for i in bad)
    if missing:
        detail += f"; lemmas not in the registry: {missing}"
    elif deriv.lemmas():
        detail += f"; lemmas: {', '.join(sorted(set(deriv.lemmas())))}"
    return Outcome(ok, None, detail)


def run_claim(claim: Claim) -> ClaimReport:
    _load()
    report = ClaimReport(claim)
    if claim.derivation is not None:
        report.witnesses.append(_timed(claim.id, "sympy derivation", "symbolic",
                                       lambda: _derivation_outcome(claim)))
    for w in claim.witnesses:
        report.witnesses.append(_timed(claim.id, w.name, w.kind, w.run))
    return report
