"""Check that every receipt and purchase has what the registers need.

The livre des recettes and the registre des achats are derived from the
ledger (``beancount_micro.registers``); this plugin reports what would leave
a hole in them: a receipt without payment means, a payment that links no
invoice, income in a foreign currency, an income account without activity
category, a malformed SIREN or SIRET.

    plugin "beancount_micro.plugins.registers"

    2026-04-12 * "LUMIERE BIO" "Règlement" ^F-2026-0012
      Assets:Banque:Courant-Pro      1500.00 EUR
      Assets:Clients:Lumiere-Bio    -1500.00 EUR
    ; -> error: receipt has no means: metadata (virement, cheque, ...)
"""

import datetime

from beancount_micro.errors import MicroError
from beancount_micro.model import BUSINESS, RECEIPTS, Books
from beancount_micro.plugins._common import business_missing, run

__plugins__ = ("registers",)


def check(books: Books, today: datetime.date) -> list[MicroError]:
    """Errors that would leave the registers incomplete."""
    return business_missing(books) + books.errors_about(BUSINESS, RECEIPTS)


def registers(entries, options_map, config=None):
    return run([check], entries, options_map, config)
