"""Plugins: thresholds, invoice numbering, dedicated account, bad input."""

import datetime
from decimal import Decimal

import pytest
from beancount_micro.thresholds import prorate
from ledgers import invoice, ledger, payment


def messages(errors):
    return [e.message for e in errors]


def test_prorated_ceiling_for_a_2025_03_10_creation():
    # 77 700 € × 297 days (10 March to 31 December) / 365 = 63 224.38 €.
    limit, prorated = prorate(Decimal(77700), 2025, datetime.date(2025, 3, 10))
    assert (limit, prorated) == (Decimal("63224.38"), True)
    assert prorate(Decimal(83600), 2026, datetime.date(2025, 3, 10)) == (
        Decimal(83600),
        False,
    )


def test_prorated_ceiling_in_a_leap_year_divides_by_366():
    # REGIME.md §2.1: services from 2024-07-01, 184 of 366 days -> 39 062 €.
    limit, _ = prorate(Decimal(77700), 2024, datetime.date(2024, 7, 1))
    assert limit == Decimal("39062.30")


def test_vat_base_threshold_crossing_day_is_reported(load_ledger):
    # 2026 services base threshold 37 500 €: 20 000 + 17 000 = 37 000 stays
    # under; the receipt of 2026-10-05 takes the year to 38 000 €.
    body = (
        invoice("2026-01-10", "F-2026-0001", "20000.00")
        + payment("2026-02-10", "F-2026-0001", "20000.00")
        + invoice("2026-05-10", "F-2026-0002", "17000.00")
        + payment("2026-06-10", "F-2026-0002", "17000.00")
        + invoice("2026-09-10", "F-2026-0003", "1000.00")
        + payment("2026-10-05", "F-2026-0003", "1000.00")
    )
    _, errors, _ = load_ledger(ledger(body, "thresholds"))
    [error] = errors
    assert "base threshold (services) crossed on 2026-10-05" in error.message
    assert "reached 38000.00 EUR in 2026, over 37500 EUR" in error.message
    assert "VAT is due from 2027-01-01" in error.message
    assert error.source["lineno"] > 0


def test_vat_majorated_threshold_makes_vat_due_from_the_day(load_ledger):
    body = (
        invoice("2026-01-10", "F-2026-0001", "41000.00")
        + payment("2026-02-10", "F-2026-0001", "41000.00")
        + invoice("2026-03-01", "F-2026-0002", "500.00")
        + payment("2026-03-20", "F-2026-0002", "500.00")
    )
    _, errors, _ = load_ledger(ledger(body, "thresholds"))
    found = messages(errors)
    assert any(
        "majorated threshold (services) crossed on 2026-03-20" in m
        and "VAT is due from 2026-03-20" in m
        for m in found
    )
    assert any("base threshold (services) crossed on 2026-02-10" in m for m in found)


def test_two_consecutive_years_over_the_ceiling_end_the_regime(load_ledger):
    # The regime applies in 2027 unless 2025 and 2026 both exceed the 2027
    # ceiling, 83 600 €: prorated for the 2025 creation year (297/365 days)
    # that is 68 024.66 €. 69 000 € in 2025 and 84 000 € in 2026 both exceed.
    body = (
        invoice("2025-04-01", "F-2025-0001", "69000.00")
        + payment("2025-04-20", "F-2025-0001", "69000.00")
        + invoice("2026-04-01", "F-2026-0001", "84000.00")
        + payment("2026-04-20", "F-2026-0001", "84000.00")
    )
    _, errors, _ = load_ledger(ledger(body, "thresholds"))
    exits = [m for m in messages(errors) if "micro ceiling" in m]
    assert len(exits) == 1
    assert "second consecutive year on 2026-04-20" in exits[0]
    assert "69000.00 EUR in 2025" in exits[0]
    assert "the micro regime ends on 2027-01-01" in exits[0]


def test_years_under_the_next_years_ceiling_keep_the_regime(load_ledger):
    # 64 000 € in 2025 is under 68 024.66 € (the 2027 ceiling prorated for the
    # creation year): 84 000 € in 2026 alone changes nothing.
    body = (
        invoice("2025-04-01", "F-2025-0001", "64000.00")
        + payment("2025-04-20", "F-2025-0001", "64000.00")
        + invoice("2026-04-01", "F-2026-0001", "84000.00")
        + payment("2026-04-20", "F-2026-0001", "84000.00")
    )
    _, errors, _ = load_ledger(ledger(body, "thresholds"))
    assert not [m for m in messages(errors) if "micro ceiling" in m]


def test_gap_in_invoice_numbers_is_reported(load_ledger):
    body = (
        invoice("2026-01-10", "F-2026-0001", "100.00")
        + invoice("2026-01-12", "F-2026-0002", "100.00")
        + invoice("2026-01-15", "F-2026-0004", "100.00")
    )
    _, errors, _ = load_ledger(ledger(body, "invoice_numbers"))
    assert messages(errors) == [
        "invoice F-2026-0004 follows F-2026-0002: F-2026-0003 missing; numbering "
        "is continuous (CGI ann. II art. 242 nonies A)"
    ]


def test_invoice_dated_before_the_previous_number_is_reported(load_ledger):
    body = invoice("2026-01-10", "F-2026-0001", "100.00") + invoice(
        "2026-01-09", "F-2026-0002", "100.00"
    )
    _, errors, _ = load_ledger(ledger(body, "invoice_numbers"))
    [error] = errors
    assert "F-2026-0002 is dated 2026-01-09, before F-2026-0001" in error.message


def test_duplicate_invoice_number_is_reported(load_ledger):
    body = invoice("2026-01-10", "F-2026-0001", "100.00") + invoice(
        "2026-01-11", "F-2026-0001", "100.00"
    )
    _, errors, _ = load_ledger(ledger(body, "invoice_numbers"))
    assert any("F-2026-0001 is used twice" in m for m in messages(errors))


def test_dedicated_account_required_after_two_years_over_10000(load_ledger):
    body = (
        invoice("2025-04-01", "F-2025-0001", "12000.00")
        + payment("2025-04-20", "F-2025-0001", "12000.00")
        + invoice("2026-04-01", "F-2026-0001", "11000.00")
        + payment("2026-04-20", "F-2026-0001", "11000.00")
        + invoice("2027-01-05", "F-2027-0001", "500.00")
        + """
2027-01-20 * "ACME" "Règlement" ^F-2027-0001
  means: "virement"
  Assets:Banque:Perso   500.00 EUR
  Assets:Clients:Acme
"""
    )
    _, errors, _ = load_ledger(ledger(body, "dedicated_account", "2027-02-01"))
    [error] = errors
    assert "landed on Assets:Banque:Perso" in error.message
    assert "required since 2027-01-01" in error.message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '2025-03-10 open Income:Autre EUR\n  category: "bnc_xyz"\n',
            "unknown activity category 'bnc_xyz' on Income:Autre",
        ),
        (
            """
2025-04-01 * "Client US" "Mission" ^F-2025-0001
  invoice: "F-2025-0001"
  due: 2025-05-01
  Assets:Clients:Acme   100.00 USD
  Income:CM
""",
            "income posting on Income:CM is in USD",
        ),
        (
            '2025-03-10 open Assets:Clients:Bad EUR\n  client: "Bad SA"\n'
            '  client-type: "business"\n  siren: "12345678X"\n',
            "client Assets:Clients:Bad: SIREN '12345678X' is malformed: expected 9 "
            "digits",
        ),
        (
            """
2025-04-01 * "Acme" "Sans client" ^F-2025-0001
  invoice: "F-2025-0001"
  Assets:Banque:Pro   100.00 EUR
  Income:CM
""",
            "invoice F-2025-0001 has no client",
        ),
        (
            '2025-04-01 custom "micro" "regime-data" "missing-figures.toml"\n',
            "missing-figures.toml: cannot read",
        ),
    ],
    ids=[
        "unknown-category",
        "non-eur-income",
        "bad-siren",
        "missing-client",
        "unreadable-override",
    ],
)
def test_bad_input_is_one_error_at_its_line(load_ledger, body, expected):
    _, errors, _ = load_ledger(ledger(body, "micro"))
    found = [e for e in errors if expected in e.message]
    assert len(found) == 1, messages(errors)
    assert found[0].source["lineno"] > 0


@pytest.mark.parametrize(
    ("directive", "expected"),
    [
        (
            '2026-01-01 custom "micro" "figure" "urssaf_rate" "bnc_ssi" 0.3\n'
            '  valid-to: "soon"\n',
            "valid-to 'soon' is not a date",
        ),
        (
            '2026-01-01 custom "micro" "figure" "urssaf_rate" "bnc_ssi" -0.5\n',
            "the value is negative",
        ),
        (
            '2026-01-01 custom "micro" "figure" "urssaf_rate" "bnc_ssi" 7\n',
            "7 is not a rate",
        ),
        (
            '2026-01-01 custom "micro" "figure" "banana" "bnc_ssi" 0.1\n',
            "no figure 'banana' for 'bnc_ssi'",
        ),
    ],
    ids=["valid-to-not-a-date", "negative", "not-a-fraction", "unknown-key"],
)
def test_bad_figure_override_is_refused_at_its_line(load_ledger, directive, expected):
    _, errors, _ = load_ledger(ledger(directive, "registers"))
    [error] = errors
    assert expected in error.message
    assert error.source["lineno"] > 0


def test_acre_written_as_a_word_is_an_error_not_a_silent_no(load_ledger):
    text = ledger("", "registers").replace("acre: TRUE", 'acre: "vrai"')
    _, errors, _ = load_ledger(text)
    assert [e.message for e in errors] == [
        "acre: 'vrai' is not TRUE or FALSE (write it unquoted, in capitals)"
    ]


def test_mixed_activity_tests_services_apart_and_everything_against_sales():
    from beancount_micro.model import Books, Business, Receipt
    from beancount_micro.thresholds import year_statuses

    business = Business(
        name="Camille Durand",
        siret="73282932000074",
        address="Lyon",
        categories=("bic_sales", "bnc_ssi"),
        nature="commercial",
        periodicity="quarterly",
        versement_liberatoire=False,
        acre=False,
        created=datetime.date(2024, 1, 1),
    )
    receipt = Receipt(
        date=datetime.date(2026, 5, 1),
        amount=Decimal("100000.00"),
        by_category={"bic_sales": Decimal("60000.00"), "bnc_ssi": Decimal("40000.00")},
        means="virement",
        client=None,
        invoices=(),
        paid=(),
        cash_accounts=("Assets:Banque",),
        meta={"filename": "x", "lineno": 1},
        entry=None,
    )
    books = Books(business=business, receipts=[receipt])
    statuses = {(s.kind, s.group): s for s in year_statuses(books, 2026)}
    # The services part alone against the services ceiling (83 600 €)...
    assert statuses["micro_ceiling", "services"].turnover == Decimal("40000.00")
    # ...and the whole turnover against the sales ceiling (203 100 €).
    assert statuses["micro_ceiling", "sales"].turnover == Decimal("100000.00")
    assert statuses["micro_ceiling", "sales"].limit == Decimal(203100)
    # VAT: services 40 000 € is over the 37 500 € base threshold.
    assert statuses["vat_franchise_base", "services"].crossed is not None


def test_an_invoice_number_too_long_to_rank_is_an_error_not_a_crash(load_ledger):
    number = "F-" + "1" * 5000
    body = f"""
2025-04-01 * "Acme" "Mission" ^F-2025-0001
  invoice: "{number}"
  due: 2025-05-01
  Assets:Clients:Acme   100.00 EUR
  Income:CM
"""
    _, errors, _ = load_ledger(ledger(body, "invoice_numbers"))
    assert not [e for e in errors if "Error applying plugin" in e.message]
    assert [e for e in errors if "ends with a rank of more than 18 digits" in e.message]


def test_a_huge_gap_is_named_by_its_ends(load_ledger):
    body = invoice("2026-01-05", "F-2026-0001", "100.00") + invoice(
        "2026-01-06", "F-2026-000000000000001000", "100.00"
    )
    _, errors, _ = load_ledger(ledger(body, "invoice_numbers"))
    [error] = [e for e in errors if "missing" in e.message]
    assert error.message == (
        "invoice F-2026-000000000000001000 follows F-2026-0001: "
        "F-2026-000000000000000002 to F-2026-000000000000000999 (998 numbers) "
        "missing; numbering is continuous (CGI ann. II art. 242 nonies A)"
    )


def test_a_rank_padded_with_zeros_is_still_read(load_ledger):
    padded = "J-" + "0" * 20 + "1"
    body = invoice("2026-01-05", padded, "100.00")
    _, errors, _ = load_ledger(ledger(body, "invoice_numbers"))
    assert not [e for e in errors if padded in e.message]
