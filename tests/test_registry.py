"""Every claim is well formed, and every witness of every claim passes (the suite's main job)."""
import pytest

from numeric import registry

CLAIMS = registry.all_claims()


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_claim_is_well_formed(claim):
    assert claim.statement and claim.provenance.source and claim.provenance.finding
    kinds = {w.kind for w in claim.witnesses} | ({"symbolic"} if claim.derivation else set())
    assert len(kinds) >= 2, f"{claim.id} needs witnesses of at least two kinds, has {kinds}"
    if claim.provenance.verdict in ("confirmed", "refuted"):
        assert claim.provenance.stated, "a confirmed/refuted claim quotes what the paper states"


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_all_witnesses_pass(claim):
    report = registry.run_claim(claim)
    failed = [(w.witness, w.detail) for w in report.witnesses if not w.ok]
    assert not failed, failed


def test_a_crashing_witness_is_a_failed_witness():
    def boom():
        raise ZeroDivisionError("boom")
    c = registry.Claim("T.crash", "s", (), registry.Provenance("t", None, "open", "f"),
                       witnesses=(registry.Witness("crash", "float64", boom),))
    (w,) = registry.run_claim(c).witnesses
    assert not w.ok and "ZeroDivisionError" in w.detail


def test_derivation_appealing_to_an_unregistered_lemma_fails():
    from symbolic.derivation import Derivation

    def deriv():
        d = Derivation("t")
        d.add("by magic", 0, 0, relation="lemma", lemma="No.such.lemma")
        return d
    c = registry.Claim("T.lemma", "s", (), registry.Provenance("t", None, "open", "f"), derivation=deriv)
    (w,) = registry.run_claim(c).witnesses
    assert not w.ok and "No.such.lemma" in w.detail
