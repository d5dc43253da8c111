"""Check the dedicated bank account rule (CSS art. L613-10).

Once turnover has exceeded 10 000 € in each of two consecutive calendar years,
the business must use an account dedicated to it from 1 January of the next
year: the plugin reports a ledger with no account opened with
``dedicated: TRUE`` from that day, and every later receipt (except cash) that
lands on another account.

    2025-03-10 open Assets:Banque:Courant-Pro EUR
      bank: "Banque Exemple"
      dedicated: TRUE
"""

import datetime

from beancount_micro.errors import MicroError, error_at
from beancount_micro.model import Books
from beancount_micro.plugins._common import run
from beancount_micro.thresholds import dedicated_account_required_from

__plugins__ = ("dedicated_account",)


def check(books: Books, today: datetime.date) -> list[MicroError]:
    """Errors for a missing dedicated account or receipts landing elsewhere."""
    if books.business is None:
        return []
    since, reason = dedicated_account_required_from(books)
    if since is None or since > max(today, books.last_date or today):
        return []
    dedicated = set(books.dedicated_accounts)
    if not dedicated:
        return [
            error_at(
                books.business.meta,
                f"a dedicated bank account is required from {since}: {reason}; open "
                "it with dedicated: TRUE",
            )
        ]
    errors = []
    other_banks = set(books.banks) - dedicated
    for receipt in books.receipts:
        if receipt.date < since or receipt.means == "especes":
            continue
        elsewhere = [a for a in receipt.cash_accounts if a in other_banks]
        if elsewhere:
            errors.append(
                error_at(
                    receipt.meta,
                    f"business receipt landed on {elsewhere[0]}, not on the dedicated "
                    f"account ({', '.join(sorted(dedicated))}), required since {since}",
                    receipt.entry,
                )
            )
    return errors


def dedicated_account(entries, options_map, config=None):
    return run([check], entries, options_map, config)
