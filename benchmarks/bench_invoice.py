"""Benchmark: issuing an invoice against a bare WeasyPrint render.

Issuing is: load the ledger, number, render the PDF/A-3b, build and embed
the Factur-X XML (XSD checked), post-check, write the PDF and append the
entry atomically under the lock. The baseline renders the very same HTML
with WeasyPrint alone (``HTML(string=...).write_pdf()``), same process,
same fonts, warm caches. Prints both medians and their ratio (target <= 1.3).

    .venv/bin/python benchmarks/bench_invoice.py [--runs 15]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from beancount_micro.invoice import issue_invoice, load_config, render, terms
from beancount_micro.invoice.books import load_ledger
from beancount_micro.invoice.issue import _apply_terms, _document
from beancount_micro.invoice.source import load_catalogue, load_source
from weasyprint import HTML

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "invoice"))
from conftest import BUSINESS_SOURCE, CATALOGUE, LEDGER  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        ledger = root / "ledger.beancount"
        ledger.write_text(LEDGER, encoding="utf-8")
        (root / "catalogue.toml").write_text(CATALOGUE, encoding="utf-8")
        source = root / "lumiere.toml"
        source.write_text(BUSINESS_SOURCE, encoding="utf-8")
        config = load_config(ledger)

        # The HTML the issue renders, for the bare baseline.
        loaded = load_ledger(ledger)
        doc = _document(
            loaded,
            load_source(source, load_catalogue(config.catalogue)),
            "invoice",
            None,
        )
        _apply_terms(loaded, doc, config, None, None)
        doc.number = "F-2026-0001"
        franchise = loaded.regime().text("vat_franchise_mention", "all", doc.issued)
        page = render.render_html(
            doc, terms.required_mentions(doc, franchise), franchise
        )
        base = render.TEMPLATES.as_uri() + "/"

        issue_invoice(config, source)  # warm up both paths
        HTML(string=page, base_url=base).write_pdf()
        bare, issue = [], []
        for _ in range(runs):
            start = time.perf_counter()
            HTML(string=page, base_url=base).write_pdf()
            bare.append(time.perf_counter() - start)
            start = time.perf_counter()
            issue_invoice(config, source)
            issue.append(time.perf_counter() - start)

    bare_ms = statistics.median(bare) * 1000
    issue_ms = statistics.median(issue) * 1000
    print(f"bare WeasyPrint render: {bare_ms:.1f} ms (median of {runs})")
    print(f"issue (PDF/A + Factur-X + write-back): {issue_ms:.1f} ms")
    print(f"ratio: {issue_ms / bare_ms:.2f} (target <= 1.30)")


if __name__ == "__main__":
    main()
