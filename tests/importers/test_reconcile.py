"""Credits matched to open invoices; debits categorised by rules and URSSAF."""

import textwrap
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data
from beancount_micro.importers.rules import RulesFileError, load_rules, urssaf_period
from beancount_micro.importers.run import ImportRun, Target
from beancount_micro.importers.writer import format_entries
from beancount_micro.model import read_books

D = Decimal

LEDGER = """
2026-01-01 open Assets:Banque:Courant EUR
  bank: "Banque Exemple"
2026-01-01 open Income:Prestations EUR
  category: "bnc_ssi"
2026-01-01 open Expenses:Cotisations:Urssaf EUR
  purchase: FALSE
2026-01-01 open Expenses:Logiciels EUR
2026-01-01 open Assets:Clients:Lumiere EUR
  client: "Lumière Bio SAS"
  client-type: "business"
  siren: "732829320"
  payer-names: "LUMIERE BIO, LB DISTRIBUTION"
2026-01-01 open Assets:Clients:Atelier EUR
  client: "Atelier Kerbrat"
  client-type: "individual"
2026-01-31 * "Lumière Bio SAS" "Animation janvier" ^F-2026-0001
  invoice: "F-2026-0001"
  Assets:Clients:Lumiere   1500.00 EUR
  Income:Prestations
2026-02-28 * "Lumière Bio SAS" "Animation février" ^F-2026-0002
  invoice: "F-2026-0002"
  Assets:Clients:Lumiere   1500.00 EUR
  Income:Prestations
2026-03-05 * "Atelier Kerbrat" "Atelier" ^F-2026-0003
  invoice: "F-2026-0003"
  Assets:Clients:Atelier    400.00 EUR
  Income:Prestations
2026-03-10 * "Atelier Kerbrat" "Visuels" ^F-2026-0004
  invoice: "F-2026-0004"
  Assets:Clients:Atelier    250.00 EUR
  Income:Prestations
2026-03-20 * "Atelier Kerbrat" "Formation" ^F-2026-0005
  invoice: "F-2026-0005"
  Assets:Clients:Atelier    900.00 EUR
  Income:Prestations
"""


def import_lines(ofx, *lines, rules=None, ledger=LEDGER):
    entries, _, options = loader.load_string(textwrap.dedent(ledger))
    run = ImportRun(entries, options, rules)
    stmt = ofx.parse(ofx.text(ofx.statement(list(lines)))).statements[0]
    run.add_statement(stmt, Target(ofx.BANK, "EUR"), "t.ofx")
    new = run.entries()
    return [e for e in new if isinstance(e, data.Transaction)], new, ledger


def credit(ofx, fitid, date, amount, name, memo=""):
    return ofx.txn(fitid, date, amount, name, memo, kind="CREDIT")


def test_invoice_number_in_memo_settles_it(ofx):
    (entry,), _, _ = import_lines(
        ofx,
        credit(
            ofx, "P1", "20260212", "1500.00", "VIR SEPA LB DISTRIB", "FACT F 2026 0002"
        ),
    )
    assert entry.flag == "*"
    assert entry.links == {"F-2026-0002"}
    assert entry.meta["match"] == "number F-2026-0002 in memo"
    assert entry.meta["means"] == "virement"
    assert [(p.account, p.units.number) for p in entry.postings] == [
        ("Assets:Banque:Courant", D("1500.00")),
        ("Assets:Clients:Lumiere", D("-1500.00")),
    ]


def test_payment_is_a_receipt_that_closes_the_invoice(ofx):
    """Written to the ledger, the payment makes the invoice paid, by bank date."""
    line = credit(ofx, "P1", "20260212", "1500.00", "VIR LUMIERE BIO", "F-2026-0001")
    _, new, ledger = import_lines(ofx, line)
    entries, errors, options = loader.load_string(
        textwrap.dedent(ledger) + format_entries(new)
    )
    assert errors == []
    books = read_books(entries, options)
    invoice = books.invoices["F-2026-0001"]
    assert invoice.open_amount == 0
    assert str(invoice.paid_on) == "2026-02-12"
    (receipt,) = books.receipts
    assert (receipt.amount, receipt.means) == (D("1500.00"), "virement")


def test_one_payment_with_two_numbers_settles_both(ofx):
    (entry,), _, _ = import_lines(
        ofx,
        credit(
            ofx,
            "P1",
            "20260315",
            "3000.00",
            "LUMIERE BIO",
            "F-2026-0001 ET F-2026-0002",
        ),
    )
    assert entry.links == {"F-2026-0001", "F-2026-0002"}
    assert entry.meta["match"] == "numbers F-2026-0001, F-2026-0002 in memo"


def test_invoice_paid_in_two_parts(ofx):
    first, second = import_lines(
        ofx,
        credit(
            ofx, "P1", "20260320", "900.00", "KERBRAT", "ACOMPTE F-2026-0003 ET 0005"
        ),
        credit(ofx, "P2", "20260321", "200.00", "KERBRAT", "F-2026-0003 SOLDE 1"),
        credit(ofx, "P3", "20260322", "200.00", "KERBRAT", "F-2026-0003 SOLDE 2"),
    )[0][1:]
    assert first.links == {"F-2026-0003"}
    assert (
        first.meta["match"]
        == "number F-2026-0003 in memo, part payment (200.00 still owed)"
    )
    assert second.meta["match"] == "number F-2026-0003 in memo"


def test_payer_and_amount_find_the_only_invoice_of_that_amount(ofx):
    (entry,), _, _ = import_lines(
        ofx, credit(ofx, "P1", "20260325", "250.00", "M. KERBRAT ATELIER", "MERCI")
    )
    assert entry.links == {"F-2026-0004"}
    assert entry.meta["match"] == "amount 250.00 and payer Atelier Kerbrat"


def test_payer_and_sum_of_several_invoices(ofx):
    (entry,), _, _ = import_lines(
        ofx, credit(ofx, "P1", "20260325", "1150.00", "ATELIER KERBRAT", "REGLEMENT")
    )
    assert entry.links == {"F-2026-0004", "F-2026-0005"}
    assert entry.meta["match"] == (
        "amount 1150.00 = F-2026-0004, F-2026-0005, and payer Atelier Kerbrat"
    )


def test_two_open_invoices_of_the_same_amount_are_left_to_review(ofx):
    (entry,), new, _ = import_lines(
        ofx, credit(ofx, "P1", "20260310", "1500.00", "LUMIERE BIO SAS", "VIREMENT")
    )
    assert entry.flag == "!"
    assert entry.links == frozenset()
    assert entry.postings[1].account == "Equity:A-Verifier"
    assert entry.meta["match"] == "to review: 2 open invoices of 1500.00"
    assert entry.meta["candidates"] == "F-2026-0001 F-2026-0002"
    assert isinstance(new[0], data.Open) and new[0].account == "Equity:A-Verifier"


def test_unknown_payer_is_left_to_review_with_same_amount_candidates(ofx):
    (entry,), _, _ = import_lines(
        ofx, credit(ofx, "P1", "20260310", "400.00", "SOCIETE INCONNUE", "VIR")
    )
    assert entry.flag == "!"
    assert (
        entry.meta["match"]
        == "to review: payer not recognised; open invoices of 400.00"
    )
    assert entry.meta["candidates"] == "F-2026-0003"


def test_already_paid_invoice_number_is_left_to_review(ofx):
    ledger = LEDGER + textwrap.dedent("""
        2026-02-10 * "LUMIERE" "Règlement" ^F-2026-0001
          means: "virement"
          Assets:Banque:Courant   1500.00 EUR
          Assets:Clients:Lumiere
    """)
    (entry,), _, _ = import_lines(
        ofx, credit(ofx, "P9", "20260401", "1500.00", "X", "F-2026-0001"), ledger=ledger
    )
    assert entry.flag == "!"
    assert (
        entry.meta["match"] == "to review: invoice F-2026-0001 in memo is already paid"
    )


def test_two_credits_never_pay_the_same_invoice_twice(ofx):
    entries, _, _ = import_lines(
        ofx,
        credit(ofx, "P1", "20260325", "250.00", "ATELIER KERBRAT", ""),
        credit(ofx, "P2", "20260326", "250.00", "ATELIER KERBRAT", ""),
    )
    assert [e.flag for e in entries] == ["*", "!"]


RULES = """
[review]
account = "Equity:A-Classer"

[urssaf]
account = "Expenses:Cotisations:Urssaf"

[[rule]]
payee = "CANVA"
account = "Expenses:Logiciels"
"""


def test_debits_follow_the_rules_file_and_urssaf_gets_its_period(ofx, tmp_path):
    path = tmp_path / "import-rules.toml"
    path.write_text(RULES, encoding="utf-8")
    rules = load_rules(path)
    canva, urssaf, other = import_lines(
        ofx,
        ofx.txn("D1", "20260105", "-11.99", "CB CANVA", "CANVA PRO"),
        ofx.txn(
            "D2", "20260420", "-2509.00", "PRLV SEPA URSSAF", "COTISATIONS T1 2026"
        ),
        ofx.txn("D3", "20260421", "-5.00", "INCONNU"),
        rules=rules,
    )[0]
    assert canva.postings[1].account == "Expenses:Logiciels"
    assert canva.meta["means"] == "carte"
    assert urssaf.postings[1].account == "Expenses:Cotisations:Urssaf"
    assert urssaf.meta["urssaf-period"] == "2026-Q1"
    assert urssaf.meta["means"] == "prelevement"
    assert other.flag == "!" and other.postings[1].account == "Equity:A-Classer"


@pytest.mark.parametrize(
    ("memo", "period"),
    [
        ("COTISATIONS T1 2026", "2026-Q1"),
        ("ECHEANCE 1ER TRIMESTRE 2026", "2026-Q1"),
        ("2026-Q3", "2026-Q3"),
        ("DECLARATION MARS 2026", "2026-03"),
        ("PERIODE 04/2026", "2026-04"),
        ("DÉCEMBRE 2025", "2025-12"),
        ("REF 12345678", None),
    ],
)
def test_urssaf_period_in_memo(memo, period):
    assert urssaf_period(memo) == period


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[rule]]\npayee = 'X'\n", "rule 1 has no account"),
        ("[[rule]]\naccount = 'Expenses:X'\n", "rule 1 has no payee, memo or text"),
        (
            "[[rule]]\npayee = '('\naccount = 'Expenses:X'\n",
            "rule 1 payee: invalid pattern",
        ),
        ("[[rule]]\npayee = 'X'\naccount = 'depenses'\n", "not a Beancount account"),
        ("[[rule\n", "not valid TOML"),
    ],
)
def test_bad_rules_file_is_named(tmp_path, text, message):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesFileError, match=message) as caught:
        load_rules(path)
    assert str(caught.value).startswith(str(path))


def test_accounts_the_batch_uses_and_the_ledger_lacks_are_opened(ofx, tmp_path):
    # C22: a rules file names Expenses:Pro:Logiciels, which the ledger never
    # opens; the batch opens it on its first use and the ledger stays valid.
    path = tmp_path / "import-rules.toml"
    path.write_text(
        RULES.replace('"Expenses:Logiciels"', '"Expenses:Pro:Logiciels"'),
        encoding="utf-8",
    )
    _, new, ledger = import_lines(
        ofx,
        ofx.txn("D1", "20260105", "-11.99", "CB CANVA", "ABONNEMENT LOGICIEL"),
        ofx.txn("D2", "20260203", "-11.99", "CB CANVA", "ABONNEMENT LOGICIEL"),
        rules=load_rules(path),
    )
    opens = [(e.date.isoformat(), e.account) for e in new if isinstance(e, data.Open)]
    assert opens == [("2026-01-05", "Expenses:Pro:Logiciels")]
    text = textwrap.dedent(ledger) + "\n" + format_entries(new)
    _, errors, _ = loader.load_string(text)
    assert errors == []
