"""Check invoice numbering: continuous per series, chronological, unique.

CGI annexe II art. 242 nonies A, I-7°: each invoice has a unique number in a
chronological and continuous sequence. The series of a number is everything
before its last group of digits (``F-2026-`` for ``F-2026-0012``); within a
series numbers run 1, 2, 3… with no gap, and dates never go backwards. The
plugin also checks what every invoice entry must carry: its number as a
link, and a due date for a business client.

    2026-03-02 * "Lumière Bio SAS" "Atelier" ^F-2026-0014
      invoice: "F-2026-0014"
    ; after F-2026-0012 -> error: invoice F-2026-0014 follows F-2026-0012:
    ;                    F-2026-0013 is missing
"""

import datetime
from collections import defaultdict

from beancount_micro.errors import MicroError, error_at
from beancount_micro.model import INVOICES, Books, Invoice, split_number
from beancount_micro.plugins._common import run

__plugins__ = ("invoice_numbers",)


def _width(number: str) -> int:
    series, _ = split_number(number)
    return len(number) - len(series)


def _series_errors(invoices: list[Invoice]) -> list[MicroError]:
    errors = []
    ordered = sorted(invoices, key=lambda i: split_number(i.number)[1])
    previous = None
    for invoice in ordered:
        rank = split_number(invoice.number)[1]
        if previous is None:
            if rank != 1:
                missing = f"{invoice.series}{1:0{_width(invoice.number)}d}"
                errors.append(
                    error_at(
                        invoice.meta,
                        f"invoice {invoice.number} is the first of series "
                        f"{invoice.series} but {missing} is missing: numbering is "
                        "continuous (CGI ann. II art. 242 nonies A)",
                        invoice.entry,
                    )
                )
        else:
            last = split_number(previous.number)[1]
            if rank != last + 1:
                width = _width(invoice.number)
                gap = ", ".join(
                    f"{invoice.series}{n:0{width}d}" for n in range(last + 1, rank)
                )
                errors.append(
                    error_at(
                        invoice.meta,
                        f"invoice {invoice.number} follows {previous.number}: {gap} "
                        "missing; numbering is continuous "
                        "(CGI ann. II art. 242 nonies A)",
                        invoice.entry,
                    )
                )
            if invoice.date < previous.date:
                errors.append(
                    error_at(
                        invoice.meta,
                        f"invoice {invoice.number} is dated {invoice.date}, before "
                        f"{previous.number} ({previous.date}): numbers follow the "
                        "chronological order",
                        invoice.entry,
                    )
                )
        previous = invoice
    return errors


def _entry_errors(invoice: Invoice) -> list[MicroError]:
    errors = []
    if invoice.number not in invoice.links:
        errors.append(
            error_at(
                invoice.meta,
                f"invoice {invoice.number} lacks its link ^{invoice.number}, which "
                "joins it to its payments",
                invoice.entry,
            )
        )
    if split_number(invoice.number)[1] is None:
        errors.append(
            error_at(
                invoice.meta,
                f"invoice number {invoice.number!r} does not end with digits, "
                "e.g. F-2026-0012",
                invoice.entry,
            )
        )
    client = invoice.client
    if (
        client
        and client.is_business
        and invoice.kind != "credit-note"
        and not invoice.due
    ):
        errors.append(
            error_at(
                invoice.meta,
                f"invoice {invoice.number} to business client {client.name} has no "
                "due: date (Code de commerce L441-9)",
                invoice.entry,
            )
        )
    if invoice.kind == "credit-note" and invoice.corrects not in invoice.links:
        errors.append(
            error_at(
                invoice.meta,
                f"credit note {invoice.number} must name the invoice it corrects in "
                "corrects: and link to it",
                invoice.entry,
            )
        )
    return errors


def check(books: Books, today: datetime.date) -> list[MicroError]:
    """Numbering errors and missing invoice metadata."""
    errors = list(books.errors_about(INVOICES))
    series: dict[str, list[Invoice]] = defaultdict(list)
    for invoice in books.invoices.values():
        errors.extend(_entry_errors(invoice))
        if split_number(invoice.number)[1] is not None:
            series[invoice.series].append(invoice)
    for invoices in series.values():
        errors.extend(_series_errors(invoices))
    return errors


def invoice_numbers(entries, options_map, config=None):
    return run([check], entries, options_map, config)
