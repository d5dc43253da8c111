"""Reading the books: receipts on the cash basis, invoices, registers."""

import datetime
from decimal import Decimal

from beancount_micro.model import read_books
from beancount_micro.registers import purchases_register, receipts_register


def books_of(load_ledger, text):
    entries, errors, options = load_ledger(text)
    return read_books(entries, options), errors


BASE = """
option "operating_currency" "EUR"
2025-03-10 custom "micro" "business"
  name: "Camille Durand"
  siret: "73282932000074"
  address: "Lyon"
  categories: "bnc_ssi, bic_sales"
2025-03-10 open Assets:Banque EUR
  bank: "B"
2025-03-10 open Income:CM EUR
  category: "bnc_ssi"
2025-03-10 open Income:Ventes EUR
  category: "bic_sales"
2025-03-10 open Expenses:Logiciels EUR
2025-03-10 open Assets:Clients:Acme EUR
  client: "Acme SAS"
  client-type: "business"
  siren: "732829320"
"""


def test_payment_of_two_invoices_is_one_receipt_split_by_category(load_ledger):
    books, errors = books_of(
        load_ledger,
        BASE
        + """
2025-04-01 * "Acme" "Community management" ^F-2025-0001
  invoice: "F-2025-0001"
  due: 2025-05-01
  Assets:Clients:Acme   900.00 EUR
  Income:CM
2025-04-02 * "Acme" "Goodies" ^F-2025-0002
  invoice: "F-2025-0002"
  due: 2025-05-02
  Assets:Clients:Acme   300.00 EUR
  Income:Ventes
2025-04-20 * "ACME" "Virement" ^F-2025-0001 ^F-2025-0002
  means: "virement"
  Assets:Banque       1200.00 EUR
  Assets:Clients:Acme
""",
    )
    assert errors == []
    [receipt] = books.receipts
    assert receipt.date == datetime.date(2025, 4, 20)
    assert receipt.amount == Decimal("1200.00")
    # 900 of services and 300 of sales, as the two invoices say.
    assert receipt.by_category == {
        "bnc_ssi": Decimal("900.00"),
        "bic_sales": Decimal("300.00"),
    }
    assert receipt.invoices == ("F-2025-0001", "F-2025-0002")
    assert [i.open_amount for i in books.invoices.values()] == [0, 0]


def test_partial_payment_leaves_the_rest_open(load_ledger):
    books, _ = books_of(
        load_ledger,
        BASE
        + """
2025-04-01 * "Acme" "Community management" ^F-2025-0001
  invoice: "F-2025-0001"
  due: 2025-05-01
  Assets:Clients:Acme   900.00 EUR
  Income:CM
2025-04-20 * "ACME" "Acompte" ^F-2025-0001
  means: "cheque"
  Assets:Banque       400.00 EUR
  Assets:Clients:Acme
""",
    )
    [invoice] = books.open_invoices()
    assert invoice.open_amount == Decimal("500.00")
    assert books.receipts[0].means == "cheque"


def test_register_rows_are_numbered_per_year_in_cash_order(load_ledger):
    books, _ = books_of(
        load_ledger,
        BASE
        + """
2025-11-02 * "Acme" "CM" ^F-2025-0001
  invoice: "F-2025-0001"
  due: 2025-12-02
  Assets:Clients:Acme   100.00 EUR
  Income:CM
2025-12-20 * "Comptoir" "Vente au comptant"
  means: "especes"
  Assets:Banque        40.00 EUR
  Income:Ventes
2026-01-05 * "ACME" "Virement" ^F-2025-0001
  means: "virement"
  Assets:Banque       100.00 EUR
  Assets:Clients:Acme
2026-01-06 * "Canva" "Abonnement"
  means: "carte"
  Expenses:Logiciels   11.99 EUR
  Assets:Banque
""",
    )
    register = receipts_register(books)
    rows = [
        (r.number, r.date.isoformat(), r.amount, r.means_label) for r in register.rows
    ]
    # The invoice of November 2025 is cashed in January 2026: it is row 1 of 2026.
    assert rows == [
        (1, "2025-12-20", Decimal("40.00"), "Espèces"),
        (1, "2026-01-05", Decimal("100.00"), "Virement"),
    ]
    # A filtered view keeps the numbers of the whole year.
    only_2026 = receipts_register(books, datetime.date(2026, 1, 1))
    assert [r.number for r in only_2026.rows] == [1]
    achats = purchases_register(books)
    assert [(r.party, r.amount) for r in achats.rows] == [("Canva", Decimal("11.99"))]


def test_a_later_reader_of_the_same_load_reuses_the_plugins_books(
    load_ledger, monkeypatch
):
    from beancount_micro import model
    from beancount_micro.model import books_of_load

    monkeypatch.setattr(model, "_KEEP", {"loads": 0})
    entries, _, options = load_ledger(
        'plugin "beancount_micro.plugins.registers"\n' + BASE
    )
    # By default nothing is kept: each reader reads.
    assert books_of_load(entries, options) is not books_of_load(entries, options)

    model.keep_books(1)

    entries, _, options = load_ledger(
        'plugin "beancount_micro.plugins.registers"\n' + BASE
    )
    first = books_of_load(entries, options)
    assert books_of_load(entries, options) is first
    assert first.business.name == "Camille Durand"
    # Another load (another options map) is read afresh.
    other_entries, _, other_options = load_ledger(BASE)
    assert books_of_load(other_entries, other_options) is not first


def test_a_payment_naming_two_invoices_settles_the_oldest_first(load_ledger):
    books, _ = books_of(
        load_ledger,
        BASE
        + """
2025-04-01 * "Acme" "Goodies" ^F-2025-0001
  invoice: "F-2025-0001"
  due: 2025-05-01
  Assets:Clients:Acme   1000.00 EUR
  Income:Ventes
2025-04-02 * "Acme" "Community management" ^F-2025-0002
  invoice: "F-2025-0002"
  due: 2025-05-02
  Assets:Clients:Acme   3000.00 EUR
  Income:CM
2025-04-20 * "ACME" "Virement" ^F-2025-0001 ^F-2025-0002
  means: "virement"
  Assets:Banque       1000.00 EUR
  Assets:Clients:Acme
""",
    )
    # F-2025-0001 (sales) is paid in full; nothing of F-2025-0002 yet.
    assert books.receipts[0].by_category == {"bic_sales": Decimal("1000.00")}
    assert [i.number for i in books.open_invoices()] == ["F-2025-0002"]


def test_a_bad_debt_written_off_closes_the_invoice_but_is_no_receipt(load_ledger):
    books, _ = books_of(
        load_ledger,
        BASE
        + """
2025-03-10 open Expenses:Pertes EUR
2025-04-01 * "Acme" "Community management" ^F-2025-0001
  invoice: "F-2025-0001"
  due: 2025-05-01
  Assets:Clients:Acme   1000.00 EUR
  Income:CM
2025-12-31 * "Acme" "Créance irrécouvrable" ^F-2025-0001
  Expenses:Pertes      1000.00 EUR
  Assets:Clients:Acme
""",
    )
    assert books.receipts == []
    assert books.open_invoices() == []


def test_a_bank_fee_taken_from_a_payment_leaves_the_gross_receipt(load_ledger):
    books, _ = books_of(
        load_ledger,
        BASE
        + """
2025-04-01 * "Acme" "Community management" ^F-2025-0001
  invoice: "F-2025-0001"
  due: 2025-05-01
  Assets:Clients:Acme   1200.00 EUR
  Income:CM
2025-04-20 * "ACME" "Virement international" ^F-2025-0001
  means: "virement"
  Assets:Banque        1170.00 EUR
  Expenses:Logiciels     30.00 EUR
  Assets:Clients:Acme
""",
    )
    [receipt] = books.receipts
    assert receipt.amount == Decimal("1200.00")
    assert receipt.cash_accounts == ("Assets:Banque",)


def test_an_account_is_what_its_open_says_even_after_an_early_posting(load_ledger):
    # The first purchase comes before the account's open (Beancount reports
    # that); the open then says the account holds no purchases.
    books, errors = books_of(
        load_ledger,
        BASE
        + """
2026-02-01 * "Papeterie" "Carnet"
  Expenses:Perso     5.00 EUR
  Assets:Banque
2026-02-10 open Expenses:Perso EUR
  purchase: FALSE
2026-03-01 * "Boulangerie" "Pain"
  Expenses:Perso     7.00 EUR
  Assets:Banque
""",
    )
    assert any("inactive" in e.message for e in errors)
    assert [(p.date, p.amount) for p in books.purchases] == [
        (datetime.date(2026, 2, 1), Decimal("5.00"))
    ]


def test_purchases_of_the_register_keep_their_accounts_and_euro_amount(load_ledger):
    books, _ = books_of(
        load_ledger,
        BASE
        + """
2026-01-01 open Expenses:Fournitures EUR
2026-03-01 * "Boutique" "Clavier et câble" ^A-1
  supplier: "Boutique SARL"
  Expenses:Logiciels     40.00 EUR
  Expenses:Fournitures   10.00 EUR
  Assets:Banque
""",
    )
    [purchase] = books.purchases
    assert purchase.amount == Decimal("50.00")
    assert purchase.accounts == ("Expenses:Fournitures", "Expenses:Logiciels")
    assert purchase.supplier == "Boutique SARL"
