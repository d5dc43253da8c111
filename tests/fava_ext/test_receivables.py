"""Open invoices: age buckets, legal due dates and late-payment penalties."""

import datetime
import re
from decimal import Decimal

import pytest
from beancount_micro.fava_ext.receivables import (
    BUCKETS,
    bucket_of,
    late_penalty,
    open_invoices,
)
from beancount_micro.model import read_books
from beancount_micro.regime import MissingFigureError, Regime

D = datetime.date
REGIME = Regime.default()


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "non échue"),
        (0, "non échue"),
        (1, "0–30 j"),
        (30, "0–30 j"),
        (31, "31–60 j"),
        (60, "31–60 j"),
        (61, "plus de 60 j"),
    ],
)
def test_age_buckets(days, bucket):
    assert bucket_of(days) == bucket
    assert bucket in BUCKETS


def test_penalty_within_one_half_year():
    # 480 € due 2026-10-01, 60 days late on 2026-11-30 at ECB 2.40 % + 10:
    # 480 × 0.124 × 60 / 365 = 9.784 → 9.78 €.
    assert late_penalty(Decimal("480.00"), D(2026, 10, 1), D(2026, 11, 30), REGIME) == (
        Decimal("9.78")
    )


def test_penalty_across_two_half_years_takes_each_rate():
    # 1000 € due 2026-06-20: 10 days of June at 2.15 % + 10 = 12.15 %, then
    # 10 days of July at 2.40 % + 10 = 12.40 %:
    # 1000 × 0.1215 × 10/365 + 1000 × 0.124 × 10/365 = 3.3288 + 3.3973 = 6.73.
    assert late_penalty(
        Decimal("1000.00"), D(2026, 6, 20), D(2026, 7, 10), REGIME
    ) == Decimal("6.73")


def test_penalty_for_an_unpublished_half_year_is_not_guessed():
    with pytest.raises(MissingFigureError):
        late_penalty(Decimal("100"), D(2030, 1, 1), D(2030, 2, 1), REGIME)


LEDGER = """
option "operating_currency" "EUR"
2025-01-01 custom "micro" "business"
  name: "Camille Durand"
  siret: "73282932000074"
  address: "Lyon"
  categories: "bnc_ssi"
  periodicity: "quarterly"
  versement-liberatoire: FALSE
  acre: FALSE
2025-01-01 open Assets:Banque EUR
  bank: "Banque"
  dedicated: TRUE
2025-01-01 open Income:Prestations EUR
  category: "bnc_ssi"
2025-01-01 open Assets:Clients:Pro EUR
  client: "Pro SAS"
  client-type: "business"
  siren: "732829320"
2025-01-01 open Assets:Clients:Particulier EUR
  client: "Jean Martin"
2026-03-01 * "Pro SAS" "Sans échéance écrite" ^F-2026-0001
  invoice: "F-2026-0001"
  Assets:Clients:Pro        600.00 EUR
  Income:Prestations
2026-03-01 * "Jean Martin" "Particulier" ^F-2026-0002
  invoice: "F-2026-0002"
  Assets:Clients:Particulier   200.00 EUR
  Income:Prestations
2026-03-05 * "Pro SAS" "Acompte payé en partie" ^F-2026-0003
  invoice: "F-2026-0003"
  due: 2026-04-30
  Assets:Clients:Pro        1000.00 EUR
  Income:Prestations
2026-04-02 * "PRO SAS" "Règlement partiel" ^F-2026-0003
  means: "virement"
  Assets:Banque             400.00 EUR
  Assets:Clients:Pro
"""


def test_open_invoices_by_client_with_legal_due_dates(load_ledger):
    entries, _, options = load_ledger(LEDGER)
    books = read_books(entries, options)
    clients = open_invoices(books, D(2026, 5, 10), REGIME)
    by_number = {o.invoice.number: o for c in clients for o in c.invoices}

    assert [c.name for c in clients] == ["Pro SAS", "Jean Martin"]
    # A business without a written term pays 30 days after: 2026-03-31.
    assert by_number["F-2026-0001"].due == D(2026, 3, 31)
    assert by_number["F-2026-0001"].days_late == 40
    assert by_number["F-2026-0001"].bucket == "31–60 j"
    # 600 × 0.1215 × 40 / 365 = 7.989 → 7.99 € and the 40 € indemnity.
    assert by_number["F-2026-0001"].penalty == Decimal("7.99")
    assert by_number["F-2026-0001"].indemnity == Decimal("40")
    # Penalties run on what is still owed: 600 € of 1000 €, 10 days late.
    # 600 × 0.1215 × 10 / 365 = 1.997 → 2.00 €.
    assert by_number["F-2026-0003"].invoice.open_amount == Decimal("600.00")
    assert by_number["F-2026-0003"].penalty == Decimal("2.00")
    # A private client pays on receipt and owes no penalty by default.
    assert by_number["F-2026-0002"].due == D(2026, 3, 1)
    assert by_number["F-2026-0002"].bucket == "plus de 60 j"
    assert by_number["F-2026-0002"].penalty == 0
    assert by_number["F-2026-0002"].indemnity == 0
    assert clients[0].total == Decimal("1200.00")
    assert clients[0].by_bucket["31–60 j"] == Decimal("600.00")
    assert clients[0].by_bucket["0–30 j"] == Decimal("600.00")


def test_example_receivables_on_the_page(example):
    html = example.get("extension/MicroCockpit/").get_data(as_text=True)
    shown = {
        number: (open_, days, penalty, indemnity)
        for number, open_, days, penalty, indemnity in re.findall(
            r'data-invoice="([^"]+)" data-open="([^"]+)" data-days-late="([^"]+)"'
            r'\s+data-penalty="([^"]+)" data-indemnity="([^"]+)"',
            html,
        )
    }

    # Ledger header: three invoices overdue on 2026-11-30, one not yet due.
    assert shown == {
        "F-2026-0040": ("480.00", "60", "9.78", "40"),
        "F-2026-0044": ("480.00", "30", "4.89", "40"),
        "F-2026-0046": ("450.00", "47", "0", "0"),
        "F-2026-0048": ("1000.00", "-2", "0", "0"),
    }
