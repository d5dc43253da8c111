"""What every invoice entry must carry, checked as the books are read.

An invoice's number ends with digits (its rank in its series) and is also the
entry's link, which joins the invoice to its payments; an invoice to a
business client has a ``due:`` date (Code de commerce L441-9); a credit note
names the invoice it corrects and links to it. The ``invoice_numbers`` plugin
reports these problems, with the numbering of each series.
"""

import datetime

from beancount_micro.model import (
    DIGITS,
    MAX_RANK_DIGITS,
    Invoice,
    rank_length,
    split_number,
)


def invoice_problems(invoice: Invoice) -> list[str]:
    """The problems of one invoice entry, as messages; none for most."""
    number = invoice.number
    links = invoice.entry.links
    client = invoice.client
    # The usual case, decided without building anything.
    if (
        links
        and number in links
        and invoice.kind != "credit-note"
        and number[-1:]
        and number[-1:] in DIGITS
        and rank_length(number) <= MAX_RANK_DIGITS
        and (
            client is None
            or client.kind != "business"
            or isinstance(invoice.meta.get("due"), datetime.date)
        )
    ):
        return []
    problems = []
    if number not in invoice.links:
        problems.append(
            f"invoice {number} lacks its link ^{number}, which joins it to its payments"
        )
    if rank_length(number) > MAX_RANK_DIGITS:
        shown = number if len(number) <= 40 else f"{number[:40]}…"
        problems.append(
            f"invoice number {shown!r} ends with a rank of more than "
            f"{MAX_RANK_DIGITS} digits: it cannot be read"
        )
    elif split_number(number)[1] is None:
        problems.append(
            f"invoice number {number!r} does not end with digits, e.g. F-2026-0012"
        )
    if (
        client
        and client.is_business
        and invoice.kind != "credit-note"
        and not invoice.due
    ):
        problems.append(
            f"invoice {number} to business client {client.name} has no due: date "
            "(Code de commerce L441-9)"
        )
    if invoice.kind == "credit-note" and invoice.corrects not in invoice.links:
        problems.append(
            f"credit note {number} must name the invoice it corrects in corrects: "
            "and link to it"
        )
    return problems
