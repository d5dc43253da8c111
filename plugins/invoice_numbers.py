"""Check invoice numbering: continuous per series, chronological, unique.

CGI annexe II art. 242 nonies A, I-7°: each invoice has a unique number in a
chronological and continuous sequence. The series of a number is everything
before its last group of digits (``F-2026-`` for ``F-2026-0012``); within a
series numbers run 1, 2, 3… with no gap, and dates never go backwards. The
plugin also reports what every invoice entry must carry: its number as a
link, and a due date for a business client (see ``invoice_rules``).

    2026-03-02 * "Lumière Bio SAS" "Atelier" ^F-2026-0014
      invoice: "F-2026-0014"
    ; after F-2026-0012 -> error: invoice F-2026-0014 follows F-2026-0012:
    ;                    F-2026-0013 is missing
"""

import datetime
from collections import defaultdict

from beancount_micro.errors import MicroError, error_at
from beancount_micro.model import INVOICE_RULES, INVOICES, Books, Invoice, split_number
from beancount_micro.plugins._common import run

__plugins__ = ("invoice_numbers",)


# A gap of more numbers than this is named by its first and last number.
GAP_LISTED = 5


def _gap(series: str, width: int, first: int, last: int) -> str:
    """The missing numbers from rank ``first`` to ``last``, for a message."""
    if last - first < GAP_LISTED:
        return ", ".join(f"{series}{n:0{width}d}" for n in range(first, last + 1))
    return (
        f"{series}{first:0{width}d} to {series}{last:0{width}d} "
        f"({last - first + 1} numbers)"
    )


def _series_errors(series: str, ranked: list[tuple[int, Invoice]]) -> list[MicroError]:
    """Gaps and backward dates in one series, given as (rank, invoice) pairs."""
    errors = []
    ranked.sort(key=lambda pair: pair[0])
    previous = None
    last = 0
    for rank, invoice in ranked:
        if rank != last + 1 and rank != last:
            gap = _gap(series, len(invoice.number) - len(series), last + 1, rank - 1)
            if previous is None:
                message = (
                    f"invoice {invoice.number} is the first of series {series} but "
                    f"{gap} {'is' if rank - last == 2 else 'are'} missing: numbering "
                    "is continuous "
                    "(CGI ann. II art. 242 nonies A)"
                )
            else:
                message = (
                    f"invoice {invoice.number} follows {previous.number}: {gap} "
                    "missing; numbering is continuous (CGI ann. II art. 242 nonies A)"
                )
            errors.append(error_at(invoice.meta, message, invoice.entry))
        if previous is not None and invoice.date < previous.date:
            errors.append(
                error_at(
                    invoice.meta,
                    f"invoice {invoice.number} is dated {invoice.date}, before "
                    f"{previous.number} ({previous.date}): numbers follow the "
                    "chronological order",
                    invoice.entry,
                )
            )
        previous, last = invoice, rank
    return errors


def check(books: Books, today: datetime.date) -> list[MicroError]:
    """Numbering errors, and the invoice entries' own problems found on reading."""
    errors = list(books.errors_about(INVOICES, INVOICE_RULES))
    series: dict[str, list[tuple[int, Invoice]]] = defaultdict(list)
    for invoice in books.invoices.values():
        prefix, rank = split_number(invoice.number)
        if rank is not None:
            series[prefix].append((rank, invoice))
    for prefix, ranked in series.items():
        errors.extend(_series_errors(prefix, ranked))
    return errors


def invoice_numbers(entries, options_map, config=None):
    return run([check], entries, options_map, config)
