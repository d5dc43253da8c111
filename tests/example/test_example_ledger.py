"""The example ledger: what it promises in its header holds in the file."""

import importlib.util
import re
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from beancount import loader
from beancount_micro.model import read_books
from conftest import EXAMPLE_LEDGER, ROOT
from stdnum.fr import siren, siret

TOOLS = ROOT / "tools"


@pytest.fixture(scope="module")
def books():
    # The plugin line is left out: these tests read the entries themselves.
    text = EXAMPLE_LEDGER.read_text("utf-8").replace("\nplugin ", "\n; plugin ")
    entries, errors, options = loader.load_string(text)
    assert errors == []
    return read_books(entries, options)


def cashed(books) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for receipt in books.receipts:
        day = receipt.date
        totals[str(day.year)] += receipt.amount
        totals[f"{day.year}-Q{(day.month - 1) // 3 + 1}"] += receipt.amount
    return totals


def test_committed_example_is_the_generator_output(monkeypatch):
    monkeypatch.syspath_prepend(str(TOOLS))
    spec = importlib.util.spec_from_file_location(
        "make_example", TOOLS / "make_example.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.pop("example_data", None)
    assert module.build() == EXAMPLE_LEDGER.read_text("utf-8")


def test_receipts_by_year_sit_where_the_story_needs_them(books):
    totals = cashed(books)
    # 2025 from 2025-03-10: under the prorated VAT base threshold,
    # 37 500 × 297 / 365 = 30 513.70 €.
    assert totals["2025"] == Decimal("24038.75")
    assert totals["2025"] < Decimal(37500) * 297 / 365
    # 2026 to 2026-11-30: over the 37 500 € base, under the 41 250 € majorated.
    assert totals["2026"] == Decimal("39568.75")
    assert Decimal(37500) < totals["2026"] < Decimal(41250)
    # Both years over 10 000 €: the dedicated account is required (and present).
    assert [a for a, meta in books.banks.items() if meta.get("dedicated")] == [
        "Assets:Banque:Compte-Pro"
    ]


def test_header_figures_are_the_receipts_of_the_file(books):
    header = {}
    for line in EXAMPLE_LEDGER.read_text("utf-8").splitlines():
        match = re.fullmatch(r";\s+(\d{4}(?:-Q\d)?)(?: total)?\s+([\d.]+)", line)
        if match:
            header[match.group(1)] = Decimal(match.group(2))
    assert header == dict(cashed(books))


def test_each_declaration_is_its_period_receipts_rounded_to_the_euro(books):
    totals = cashed(books)
    made = {d.period_id: d.turnover for d in books.declarations}
    assert sorted(made) == [
        "2025-Q1+2025-Q2", "2025-Q3", "2026-Q1", "2026-Q2", "2026-Q3"
    ]  # fmt: skip
    for period, turnover in made.items():
        receipts = sum(totals[p] for p in period.split("+"))
        assert turnover == receipts.quantize(Decimal(1), ROUND_HALF_UP)
    # 8 848.75 € cashed in 2025-Q3 is declared as 8 849 €.
    assert made["2025-Q3"] == Decimal("8849")


def test_contributions_paid_match_the_notice(books):
    paid = {
        period: sum(p.units.number for e in txns for p in e.postings
                    if p.account == "Expenses:Cotisations:Urssaf")
        for period, txns in books.urssaf_payments.items()
    }  # fmt: skip
    # 2025-Q3: 8 849 × 12.3 % = 1 088.43 -> 1 088; × 0.2 % = 17.70 -> 18.
    # 2026-Q2: 13 369 × 25.6 % = 3 422.46 -> 3 422; × 0.2 % = 26.74 -> 27.
    assert paid == {
        "2025-Q1+2025-Q2": Decimal("592.00"),
        "2025-Q3": Decimal("1106.00"),
        "2026-Q1": Decimal("2655.00"),
        "2026-Q2": Decimal("3449.00"),
        "2026-Q3": Decimal("2660.00"),
    }


def test_unpaid_invoices_are_the_planted_ones(books):
    unpaid = {i.number: str(i.due) for i in books.open_invoices()}
    assert unpaid == {
        "F-2026-0040": "2026-10-01",
        "F-2026-0044": "2026-10-31",
        "F-2026-0046": "2026-10-14",
        "F-2026-0048": "2026-12-02",
    }


def test_invoice_numbers_run_without_gaps_and_never_go_back(books):
    series = defaultdict(list)
    for invoice in books.invoices.values():
        prefix, number = invoice.number.rsplit("-", 1)
        series[prefix].append((invoice.date, int(number)))
    assert sorted(series) == ["F-2025", "F-2026"]
    for rows in series.values():
        rows.sort(key=lambda r: r[1])
        assert [n for _, n in rows] == list(range(1, len(rows) + 1))
        assert [d for d, _ in rows] == sorted(d for d, _ in rows)
    assert len(books.invoices) >= 50


def test_identifiers_pass_python_stdnum(books):
    assert siret.is_valid(books.business.siret)
    companies = [c for c in books.clients.values() if c.kind == "business"]
    assert len(companies) == 7
    assert all(siren.is_valid(c.siren) for c in companies)
