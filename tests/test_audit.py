from numeric import audit, registry


def test_every_audit_row_cites_registered_claims():
    known = {c.id for c in registry.all_claims()}
    for row in audit.rows():
        assert row.claims and set(row.claims) <= known, (row.dropped, set(row.claims) - known)
        for verdict in (row.kernel, row.abstract, row.b_star):
            assert verdict in (audit.SURVIVES, audit.CHANGES, audit.FAILS, audit.NA)


def test_a_failing_conclusion_has_a_counterexample_claim():
    """A row where a conclusion fails must cite a claim whose finding records the failure."""
    for row in audit.rows():
        if audit.FAILS in (row.kernel, row.abstract, row.b_star):
            findings = " ".join(registry.get(c).provenance.finding + registry.get(c).statement
                                for c in row.claims)
            assert any(w in findings.lower() for w in ("not", "fail", "no ", "silent", "strictly")), row
