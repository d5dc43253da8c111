"""Open invoices by client, their age, and the late-payment penalties by law.

For a business client, penalties run from the day after the due date without
any reminder (Code de commerce L441-10) at the ECB main refinancing rate plus
10 points. The ECB rate of a half-year is the one in force on 1 January or on
1 July, so the days late are cut by half-year and each part takes its own
rate. A 40 € recovery indemnity is added per late invoice (D441-5). Private
clients owe neither by default (REGIME.md §6.3, §6.4).

    late = open_invoices(books, date(2026, 11, 30), books.regime())
    late[0].penalty      # Decimal('21.37')

The penalty is computed on the amount still open today for the whole delay:
a part payment received late lowers the base from the start, so the figure
is a floor, never an overstatement.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from beancount_micro.model import CENT, ZERO, Books, Invoice
from beancount_micro.regime import MissingFigureError, Regime

# Age buckets shown on the page, by days past the due date.
BUCKETS = ("non échue", "0–30 j", "31–60 j", "plus de 60 j")
DAYS_IN_YEAR = Decimal(365)


@dataclass
class OpenInvoice:
    """An invoice with money still owed on ``today``."""

    invoice: Invoice
    due: datetime.date
    days_late: int
    bucket: str
    penalty: Decimal | None  # None: a rate for part of the delay is unpublished
    indemnity: Decimal
    rate_note: str = ""


@dataclass
class ClientReceivables:
    """The open invoices of one client, with totals per age bucket."""

    name: str
    account: str
    is_business: bool
    invoices: list[OpenInvoice] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((o.invoice.open_amount for o in self.invoices), ZERO)

    @property
    def by_bucket(self) -> dict[str, Decimal]:
        totals = dict.fromkeys(BUCKETS, ZERO)
        for item in self.invoices:
            totals[item.bucket] += item.invoice.open_amount
        return totals

    @property
    def penalties(self) -> Decimal:
        return sum((o.penalty or ZERO for o in self.invoices), ZERO)

    @property
    def indemnities(self) -> Decimal:
        return sum((o.indemnity for o in self.invoices), ZERO)


def due_date(invoice: Invoice, regime: Regime) -> datetime.date:
    """The due date written on the invoice, else the legal default.

    A business without an agreed term pays 30 days after the service (the
    invoice date stands for it); a private client pays on receipt.
    """
    if invoice.due is not None:
        return invoice.due
    if invoice.client is not None and invoice.client.is_business:
        days = regime.value("payment_term_days", "b2b_default", invoice.date)
        return invoice.date + datetime.timedelta(days=int(days))
    return invoice.date


def bucket_of(days_late: int) -> str:
    """The age bucket of an invoice ``days_late`` days past its due date."""
    if days_late <= 0:
        return BUCKETS[0]
    if days_late <= 30:
        return BUCKETS[1]
    if days_late <= 60:
        return BUCKETS[2]
    return BUCKETS[3]


def _half_years(first: datetime.date, last: datetime.date):
    """Cut ``first``..``last`` (both included) at 1 January and 1 July."""
    start = first
    while start <= last:
        if start.month <= 6:
            boundary = datetime.date(start.year, 6, 30)
        else:
            boundary = datetime.date(start.year, 12, 31)
        end = min(boundary, last)
        yield start, end
        start = end + datetime.timedelta(days=1)


def late_penalty(
    amount: Decimal, due: datetime.date, today: datetime.date, regime: Regime
) -> Decimal:
    """Penalties accrued on ``amount`` from the day after ``due`` to ``today``.

    Raises:
        MissingFigureError: the ECB rate of a half-year of the delay is not
            in the regime data (later half-years are never guessed).
    """
    total = ZERO
    first = due + datetime.timedelta(days=1)
    for start, end in _half_years(first, today):
        ecb = regime.value("ecb_refinancing_rate", "all", start)
        margin = regime.value("late_penalty_margin", "all", start)
        days = (end - start).days + 1
        total += amount * (ecb + margin) * days / DAYS_IN_YEAR
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def _open_invoice(invoice: Invoice, today: datetime.date, regime: Regime):
    due = due_date(invoice, regime)
    days_late = (today - due).days
    business = invoice.client is not None and invoice.client.is_business
    penalty: Decimal | None = ZERO
    indemnity = ZERO
    note = ""
    if business and days_late > 0:
        indemnity = regime.value("recovery_indemnity", "all", due)
        try:
            penalty = late_penalty(invoice.open_amount, due, today, regime)
        except MissingFigureError as exc:
            penalty, note = None, str(exc)
    return OpenInvoice(
        invoice, due, days_late, bucket_of(days_late), penalty, indemnity, note
    )


def open_invoices(
    books: Books, today: datetime.date, regime: Regime
) -> list[ClientReceivables]:
    """Open invoices issued up to ``today``, grouped by client (largest first)."""
    clients: dict[str, ClientReceivables] = {}
    for invoice in books.open_invoices():
        if invoice.date > today:
            continue
        client = invoice.client
        key = client.account if client else ""
        if key not in clients:
            clients[key] = ClientReceivables(
                name=(client.name if client else "")
                or invoice.payee
                or "(sans client)",
                account=key,
                is_business=bool(client and client.is_business),
            )
        clients[key].invoices.append(_open_invoice(invoice, today, regime))
    for item in clients.values():
        item.invoices.sort(key=lambda o: (o.due, o.invoice.number))
    return sorted(clients.values(), key=lambda c: (-c.total, c.name))


def bucket_totals(clients: list[ClientReceivables]) -> dict[str, Decimal]:
    """Open amounts per age bucket, every client together."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for bucket in BUCKETS:
        totals[bucket] = ZERO
    for client in clients:
        for bucket, amount in client.by_bucket.items():
            totals[bucket] += amount
    return dict(totals)
