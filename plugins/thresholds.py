"""Report the day a turnover ceiling or VAT franchise threshold is crossed.

Only crossings with a legal consequence are errors: the second consecutive
year over the micro ceiling (the regime ends on 1 January after it), the VAT
base threshold (VAT from 1 January of the next year) and the majorated one
(VAT from the day of crossing). The error sits on the receipt (or, for a
business taxed on operations performed, the invoice) that crosses.

    plugin "beancount_micro.plugins.thresholds"
    ; -> ledger.beancount:812: VAT franchise base threshold (services) crossed
    ;    on 2026-11-05: 37620.00 EUR in 2026 against 37500 EUR; ...
"""

import datetime

from beancount_micro.errors import MicroError, error_at
from beancount_micro.model import Books
from beancount_micro.plugins._common import run
from beancount_micro.thresholds import crossings

__plugins__ = ("thresholds",)


def check(books: Books, today: datetime.date) -> list[MicroError]:
    """One error per threshold crossed with a legal consequence."""
    if books.business is None:
        return []
    until = max(today, books.last_date or today)
    return [
        error_at(
            crossing.status.crossed.meta,
            crossing.message,
            crossing.status.crossed.entry,
        )
        for crossing in crossings(books, until)
    ]


def thresholds(entries, options_map, config=None):
    return run([check], entries, options_map, config)
