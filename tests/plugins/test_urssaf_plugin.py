"""The URSSAF plugin: missing, mismatching and impossible declarations."""

import datetime
from decimal import Decimal

from beancount_micro.declarations import urssaf_report
from beancount_micro.model import read_books
from ledgers import invoice, ledger, payment

DECLARED_2025 = """
2025-07-20 custom "micro" "declaration" "2025-Q1+2025-Q2" 0 EUR
2025-10-20 custom "micro" "declaration" "2025-Q3" 0 EUR
"""


def test_missing_declaration_after_its_deadline_costs_the_penalty(load_ledger):
    # Nothing declared for 2025-Q4 (due 2026-01-31); judged on 2026-02-15.
    # Penalty: 1.5 % × PMSS 2026 (4 005 €) = 60.075 € -> 61 € (CSS R613-9).
    _, errors, _ = load_ledger(ledger(DECLARED_2025, "urssaf", "2026-02-15"))
    assert [e.message for e in errors] == [
        "URSSAF declaration 2025-Q4 missing: due 2026-01-31, turnover to declare "
        "0 EUR, penalty 61 EUR (CSS art. R613-9)"
    ]


def test_declaration_not_yet_due_is_no_error(load_ledger):
    _, errors, _ = load_ledger(ledger(DECLARED_2025, "urssaf", "2026-01-31"))
    assert errors == []


def test_receipt_cashed_in_april_counts_in_q2_not_when_invoiced(load_ledger):
    body = (
        DECLARED_2025
        + """
2026-01-20 custom "micro" "declaration" "2025-Q4" 0 EUR
2026-04-20 custom "micro" "declaration" "2026-Q1" 0 EUR
"""
        + invoice("2026-03-25", "F-2026-0001", "1000.40")
        + payment("2026-04-02", "F-2026-0001", "1000.40")
    )
    entries, errors, options = load_ledger(ledger(body, "urssaf", "2026-05-01"))
    assert errors == []
    reports, _ = urssaf_report(read_books(entries, options), datetime.date(2026, 5, 1))
    by_id = {r.period.id: r for r in reports}
    assert by_id["2026-Q1"].books_turnover == 0
    # 1 000.40 € rounds to 1 000 € declared; 25.6 % + CFP 0.2 % in 2026
    # (ACRE ended on 2025-12-31): 256 + 2 = 258 €.
    assert by_id["2026-Q2"].books_turnover == Decimal(1000)
    assert by_id["2026-Q2"].total_to_pay == Decimal(258)
    assert by_id["2026-Q2"].status == "in-progress"


def test_declared_turnover_differing_from_the_books_shows_both(load_ledger):
    body = (
        invoice("2025-04-01", "F-2025-0001", "800.00")
        + payment("2025-04-15", "F-2025-0001", "800.00")
        + """
2025-07-20 custom "micro" "declaration" "2025-Q1+2025-Q2" 700.00 EUR
2025-10-20 custom "micro" "declaration" "2025-Q3" 0 EUR
"""
    )
    _, errors, _ = load_ledger(ledger(body, "urssaf", "2025-12-01"))
    [error] = errors
    assert error.message == (
        "declaration 2025-Q1+2025-Q2 differs from the books: declared 700.00 EUR, "
        "books give 800 EUR"
    )


def test_declaration_for_a_period_that_does_not_exist_is_an_error(load_ledger):
    body = DECLARED_2025 + '2025-10-21 custom "micro" "declaration" "2025-Q1" 0 EUR\n'
    _, errors, _ = load_ledger(ledger(body, "urssaf", "2025-12-01"))
    [error] = errors
    assert "declaration for period '2025-Q1', which is not a declaration period" in (
        error.message
    )
    assert error.source["lineno"] > 0


def test_zero_turnover_declaration_is_due_and_costs_nothing(load_ledger):
    entries, _, options = load_ledger(ledger(DECLARED_2025, "urssaf", "2025-11-01"))
    reports, _ = urssaf_report(read_books(entries, options), datetime.date(2026, 1, 10))
    q4 = {r.period.id: r for r in reports}["2025-Q4"]
    assert (q4.status, q4.books_turnover, q4.total_to_pay) == ("due", 0, 0)


def test_payment_differing_from_the_contributions_due_is_reported(load_ledger):
    # 800 € under ACRE in 2025: 12.3 % -> 98.40 -> 98 €, CFP 0.2 % -> 1.60 -> 2 €.
    body = (
        invoice("2025-04-01", "F-2025-0001", "800.00")
        + payment("2025-04-15", "F-2025-0001", "800.00")
        + """
2025-07-20 custom "micro" "declaration" "2025-Q1+2025-Q2" 800.00 EUR
2025-07-20 * "URSSAF" "Cotisations"
  urssaf-period: "2025-Q1+2025-Q2"
  Expenses:Urssaf   90.00 EUR
  Assets:Banque:Pro
"""
    )
    _, errors, _ = load_ledger(ledger(body, "urssaf", "2025-09-01"))
    [error] = errors
    assert error.message == (
        "URSSAF payment for 2025-Q1+2025-Q2: paid 90.00 EUR, the declaration's "
        "contributions are 100 EUR"
    )


def test_a_period_declared_twice_names_the_first_declaration(load_ledger):
    body = DECLARED_2025 + '2025-10-22 custom "micro" "declaration" "2025-Q3" 0 EUR\n'
    _, errors, _ = load_ledger(ledger(body, "urssaf", "2025-12-01"))
    [error] = errors
    assert error.message.startswith("period 2025-Q3 is declared twice (first at ")
    assert error.source["lineno"] > 0


def test_refunds_over_receipts_are_reported_and_other_periods_still_computed(
    load_ledger,
):
    body = (
        invoice("2025-04-01", "F-2025-0001", "1000.00")
        + payment("2025-04-15", "F-2025-0001", "1000.00")
        + """
2025-07-20 custom "micro" "declaration" "2025-Q1+2025-Q2" 1000.00 EUR
2025-08-01 * "Acme" "Avoir" ^F-2025-0002 ^F-2025-0001
  invoice: "F-2025-0002"
  invoice-kind: "credit-note"
  corrects: "F-2025-0001"
  Assets:Clients:Acme   -1000.00 EUR
  Income:CM
2025-08-05 * "Acme" "Remboursement" ^F-2025-0002
  means: "virement"
  Assets:Clients:Acme    1000.00 EUR
  Assets:Banque:Pro
2025-10-20 custom "micro" "declaration" "2025-Q3" 0 EUR
"""
    )
    entries, errors, options = load_ledger(ledger(body, "urssaf", "2025-11-01"))
    [error] = errors
    assert error.message == (
        "period 2025-Q3 has a negative turnover (-1000.00 EUR): refunds exceed "
        "receipts; it is declared as 0 until corrected"
    )
    assert error.source["lineno"] > 0
    reports, _ = urssaf_report(read_books(entries, options), datetime.date(2025, 11, 1))
    assert [r.books_turnover for r in reports[:2]] == [1000, 0]


def test_a_change_to_monthly_declarations_takes_effect_on_its_date(load_ledger):
    body = (
        DECLARED_2025
        + """
2026-01-01 custom "micro" "business-change"
  periodicity: "monthly"
"""
    )
    entries, _, options = load_ledger(ledger(body, "urssaf", "2026-03-15"))
    reports, _ = urssaf_report(read_books(entries, options), datetime.date(2026, 3, 15))
    # 2025 stays quarterly; from January 2026 every month is due the last day
    # of the next month.
    assert [(r.period.id, r.period.deadline.isoformat()) for r in reports[2:]] == [
        ("2025-Q4", "2026-01-31"),
        ("2026-01", "2026-02-28"),
        ("2026-02", "2026-03-31"),
        ("2026-03", "2026-04-30"),
    ]
