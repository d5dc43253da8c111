"""Deposits, final invoices and credit notes: documents about other documents.

A deposit invoice asks part of a quote (CGI art. 289-I); deposits on one
quote never reach its total. The final invoice deducts the deposits it links
to. A credit note corrects an invoice in full, by lines (never crediting a
line twice) or by an amount, and never credits more than remains.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from beancount_micro.invoice.books import Ledger
from beancount_micro.invoice.errors import DocumentStateError, SourceError
from beancount_micro.invoice.model import Deduction, Document, Line, cents
from beancount_micro.invoice.source import Source


def earlier_deposits(ledger: Ledger, quote: str | None) -> Decimal:
    """What the deposit invoices already issued for ``quote`` add up to."""
    if not quote:
        return Decimal(0)
    return sum(
        (
            inv.amount
            for inv in ledger.books.invoices.values()
            if inv.kind == "deposit" and inv.meta.get("quote") == quote
        ),
        Decimal(0),
    )


def deposit_invoice(doc: Document, deposit: str, earlier: Decimal) -> Document:
    value = deposit_amount(deposit, doc.total, "--deposit")
    if value >= doc.total - earlier:
        raise SourceError(
            "--deposit",
            "deposit",
            f"{value} with the {earlier} already invoiced as deposits on "
            f"{doc.quote} would reach the total {doc.total}: at most "
            f"{doc.total - earlier - Decimal('0.01')}",
        )
    # Split the deposit across income accounts in proportion to the lines.
    by_account: dict[str, Decimal] = {}
    for line in doc.lines:
        by_account[line.account] = by_account.get(line.account, Decimal(0)) + line.total
    lines, left = [], value
    accounts = list(by_account)
    label = f"Acompte sur {doc.quote or 'la commande'} : {doc.title}"
    for index, account in enumerate(accounts):
        share = (
            left
            if index == len(accounts) - 1
            else cents(value * by_account[account] / doc.total)
        )
        left -= share
        lines.append(Line(label, Decimal(1), "forfait", share, account))
    return replace(
        doc,
        kind="deposit",
        lines=lines,
        service_date=None,
        title=f"Acompte : {doc.title}",
    )


def deposit_amount(text: str, total: Decimal, path: Path | str) -> Decimal:
    raw = text.replace(",", ".").replace(" ", "")
    try:
        if raw.endswith("%"):
            value = cents(total * Decimal(raw[:-1]) / 100)
        else:
            value = cents(Decimal(raw))
    except InvalidOperation as exc:
        raise SourceError(path, "deposit", f"{text!r}: expected 30% or 450.00") from exc
    if not Decimal(0) < value < total:
        raise SourceError(
            path, "deposit", f"{value} must be above 0 and below the total {total}"
        )
    return value


def deduct_deposits(ledger: Ledger, doc: Document, src: Source) -> None:
    numbers = list(src.deposits)
    if doc.quote:
        numbers += [
            n
            for n, inv in ledger.books.invoices.items()
            if inv.kind == "deposit"
            and inv.meta.get("quote") == doc.quote
            and n not in numbers
        ]
    if not numbers:
        return
    for number in numbers:
        invoice = ledger.books.invoices.get(number)
        if invoice is None or invoice.kind != "deposit":
            raise SourceError(
                src.path, "deposits", f"{number} is not a deposit invoice"
            )
        for posting in invoice.entry.postings:
            if ledger.category_of(posting.account):
                doc.deductions.append(
                    Deduction(
                        number, invoice.date, -posting.units.number, posting.account
                    )
                )
        doc.links.append(number)
    doc.kind = "final"
    if doc.due_amount <= 0:
        raise DocumentStateError(
            f"{src.path}: deposits {', '.join(numbers)} cover the whole total"
        )


def credit_note(
    ledger: Ledger, source: Document, original, amount, lines, issued
) -> Document:
    """Credit ``original`` (read back as ``source``) fully, by lines or by amount.

    An amount is possible only on an invoice of one income account.
    """
    day = issued or date.today()
    credited = sum(
        (
            -inv.amount
            for inv in ledger.books.invoices.values()
            if inv.kind == "credit-note" and inv.corrects == original.number
        ),
        Decimal(0),
    )
    remaining = original.amount - credited
    chosen, deductions = source.lines, source.deductions
    if lines:
        bad = [n for n in lines if not 1 <= n <= len(source.lines)]
        if bad:
            raise DocumentStateError(
                f"{original.number} has lines 1 to {len(source.lines)}, not {bad}"
            )
        already = credited_lines(ledger, original.number)
        again = sorted(set(lines) & already)
        if again:
            raise DocumentStateError(
                f"{original.number}: line(s) {', '.join(map(str, again))} already "
                "credited by an earlier credit note"
            )
        chosen, deductions = [source.lines[n - 1] for n in lines], []
    elif amount is not None:
        accounts = {line.account for line in source.lines}
        if len(accounts) != 1:
            # A partial amount cannot be split across categories: name lines.
            raise DocumentStateError(
                f"{original.number} books several income accounts; credit whole "
                "lines with --lines instead of --amount"
            )
        label = f"Avoir partiel sur la facture {original.number}"
        chosen = [Line(label, Decimal(1), "forfait", cents(amount), accounts.pop())]
        deductions = []
    doc = replace(
        source,
        kind="credit-note",
        number=None,
        issued=day,
        lines=chosen,
        deductions=deductions,
        title=f"Avoir sur {original.number}",
        corrects=original.number,
        corrects_date=original.date,
        links=[],
        due=None,
        quote=None,
    )
    doc.links.append(original.number)
    doc.credited_lines = tuple(sorted(set(lines or ())))
    if doc.due_amount <= 0 or doc.due_amount > remaining:
        raise DocumentStateError(
            f"{original.number}: a credit note of {doc.due_amount} EUR is not "
            f"possible; {remaining} EUR remain to be credited"
        )
    return doc


def credited_lines(ledger: Ledger, number: str) -> set[int]:
    """The lines of invoice ``number`` that earlier credit notes credited."""
    lines: set[int] = set()
    for invoice in ledger.books.invoices.values():
        if invoice.kind == "credit-note" and invoice.corrects == number:
            text = str(invoice.meta.get("credited-lines", ""))
            lines.update(
                int(n)
                for n in (part.strip() for part in text.split(","))
                if n.isascii() and n.isdigit() and len(n) <= 6
            )
    return lines
