"""Reconciliation on the example ledger: its payments come back from the bank.

The example ledger's client payments are removed, then rebuilt as bank
statements (one per bank account) the way a French bank writes them: the
payer's name, a means word (``VIR SEPA``, ``REMISE CHQ``...) and, except
when the client has a single open invoice of that amount, the invoice
numbers. Importing the statements must match every payment to the same
invoices, leave the unpaid invoices open, and give the receipts their
bank date and means.
"""

import pytest
from beancount.core import data
from beancount_micro.importers.ofx_reader import BankLine, Statement
from beancount_micro.importers.run import ImportRun, Target
from beancount_micro.model import read_books

from tests.conftest import EXAMPLE_LEDGER

pytestmark = pytest.mark.skipif(
    not EXAMPLE_LEDGER.exists(), reason="ledger.example.beancount is absent"
)

MEANS_WORDS = {
    "virement": ("VIR SEPA", "credit"),
    "cheque": ("REMISE CHQ", "dep"),
    "carte": ("PAIEMENT CB", "pos"),
    "plateforme": ("PAYPAL", "credit"),
    "especes": ("VERSEMENT ESPECES", "dep"),
    "prelevement": ("PRLV", "credit"),
}


def bank_line(number: int, receipt, books) -> BankLine:
    """Write a receipt the way the bank shows it."""
    client = receipt.client
    words, trntype = MEANS_WORDS[receipt.means]
    payer = client.payer_names[0] if client.payer_names else client.name.upper()
    same_amount = [
        i
        for i in books.invoices.values()
        if i.client == client and i.kind != "credit-note" and i.amount == receipt.amount
    ]
    numbers = (
        ""
        if len(same_amount) == 1 and len(receipt.invoices) == 1
        else (" ".join(receipt.invoices))
    )
    memo = f"{words} {numbers}".strip()
    return BankLine(
        f"EX{number:05d}", receipt.date, receipt.amount, payer, memo, trntype, "", 1
    )


def test_every_paid_invoice_of_the_example_ledger_is_matched(load_ledger):
    entries, _, options = load_ledger(EXAMPLE_LEDGER.read_text("utf-8"))
    books = read_books(entries, options)
    payments = [r for r in books.receipts if r.client is not None and r.invoices]
    assert len(payments) >= 30

    # The ledger without its payments, and the bank statements holding them.
    payment_entries = {id(r.entry) for r in payments}
    stripped = [e for e in entries if id(e) not in payment_entries]
    by_bank: dict[str, list[BankLine]] = {}
    for number, receipt in enumerate(payments):
        account = receipt.cash_accounts[0]
        by_bank.setdefault(account, []).append(bank_line(number, receipt, books))
    without_number = sum(
        1 for lines in by_bank.values() for x in lines if "-" not in x.memo
    )
    assert without_number >= 5

    run = ImportRun(stripped, options)
    for account, lines in by_bank.items():
        statement = Statement(
            "", "", account, "CHECKING", "EUR", None, None, lines, None, None, [], []
        )
        run.add_statement(statement, Target(account, "EUR"), "example.ofx")
    new = [e for e in run.entries() if isinstance(e, data.Transaction)]

    # Every payment is matched to exactly the invoices it paid.
    expected = {f"EX{n:05d}": set(r.invoices) for n, r in enumerate(payments)}
    got = {e.postings[0].meta["fitid"]: set(e.links) for e in new}
    assert [e for e in new if e.flag != "*"] == []
    assert got == expected

    # Unpaid invoices stay open, paid ones close on the bank's date.
    rebuilt = read_books(stripped + new, options)
    for number, invoice in books.invoices.items():
        again = rebuilt.invoices[number]
        assert (again.open_amount, again.paid_on) == (
            invoice.open_amount,
            invoice.paid_on,
        ), number
    assert {i.number for i in rebuilt.open_invoices()} == {
        i.number for i in books.open_invoices()
    }
    assert books.open_invoices(), "the example ledger has unpaid invoices"

    # The receipts have the bank's dates, amounts and means.
    def receipts(of_books):
        return sorted(
            (r.date, r.amount, r.means, r.invoices)
            for r in of_books.receipts
            if r.client is not None and r.invoices
        )

    assert receipts(rebuilt) == receipts(books)
