"""Write the README's claim table from the registry (``--write``), or check it is current.

    python tools/claim_table.py --write   # regenerate between the README markers
    python tools/claim_table.py           # exit 1 if the README table is stale
"""
from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- claims:begin -->", "<!-- claims:end -->"


def table() -> str:
    from numeric.registry import all_claims
    rows = ["| id | verdict | the paper states | what we found | witnesses |",
            "|---|---|---|---|---|"]
    for c in all_claims():
        kinds = (["symbolic"] if c.derivation else []) + [w.kind for w in c.witnesses]
        stated = c.provenance.stated or f"— (derived here; {c.provenance.source})"
        cell = lambda s: s.replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{c.id}` | {c.provenance.verdict} | {cell(stated)} | "
                    f"{cell(c.provenance.finding)} | {', '.join(sorted(set(kinds)))} ({len(kinds)}) |")
    return "\n".join(rows)


def render(readme: str) -> str:
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


def main(argv) -> int:
    path = ROOT / "README.md"
    text = path.read_text()
    new = render(text)
    if "--write" in argv:
        path.write_text(new)
        return 0
    if new != text:
        print("README claim table is stale: run `python tools/claim_table.py --write`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
