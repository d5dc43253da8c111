"""The two registers of the micro-entrepreneur, derived from the books.

The livre des recettes lists every receipt cashed in chronological order of
the cash-in date (CGI art. 50-0 and 99; BOI-BIC-DECLA-30-30): number, date,
client, nature, amount, payment means (cash apart), voucher. The registre des
achats lists purchases the same way; the law asks for it only when the main
activity sells goods, food or lodging (REGIME.md §4.2), but it is derived for
every business since accountants ask for it.

Rows are numbered 1…n per calendar year over the whole year, so a filtered
view never renumbers the register (REGIME.md §4.4).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount_micro.model import MEANS, ZERO, Books, Purchase, Receipt

CATEGORY_LABELS = {
    "bic_sales": "Ventes de marchandises",
    "bic_services": "Prestations de services commerciales",
    "bnc_ssi": "Prestations de services libérales (BNC)",
    "bnc_cipav": "Prestations libérales CIPAV (BNC)",
    "meuble_classe": "Location meublée de tourisme classée",
}
# Categories whose main activity requires the registre des achats (CGI 50-0).
PURCHASES_REGISTER_CATEGORIES = ("bic_sales", "meuble_classe")


@dataclass(frozen=True)
class RegisterRow:
    """One numbered line of a register."""

    number: int
    date: datetime.date
    party: str
    nature: str
    amount: Decimal
    means: str
    voucher: str
    category: str
    filename: str
    lineno: int

    @property
    def means_label(self) -> str:
        return MEANS.get(self.means, self.means or "non précisé")

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "date": self.date.isoformat(),
            "party": self.party,
            "nature": self.nature,
            "amount": str(self.amount),
            "means": self.means,
            "voucher": self.voucher,
            "category": self.category,
            "filename": self.filename,
            "lineno": self.lineno,
        }


@dataclass
class Register:
    """A register over a date range, with its totals."""

    kind: str  # "recettes" | "achats"
    start: datetime.date
    end: datetime.date
    rows: list[RegisterRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), ZERO)

    def totals_by(self, key) -> dict:
        totals: dict = defaultdict(Decimal)
        for row in self.rows:
            totals[key(row)] += row.amount
        return dict(sorted(totals.items()))

    def quarter_totals(self) -> dict[str, Decimal]:
        return self.totals_by(lambda r: f"{r.date.year}-T{(r.date.month - 1) // 3 + 1}")

    def year_totals(self) -> dict[int, Decimal]:
        return self.totals_by(lambda r: r.date.year)

    def means_totals(self) -> dict[str, Decimal]:
        return self.totals_by(lambda r: r.means_label)

    def to_json(self) -> dict:
        return {
            "register": self.kind,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "rows": [row.to_json() for row in self.rows],
            "totals": {
                "total": str(self.total),
                "by_quarter": {k: str(v) for k, v in self.quarter_totals().items()},
                "by_year": {str(k): str(v) for k, v in self.year_totals().items()},
                "by_means": {k: str(v) for k, v in self.means_totals().items()},
            },
        }


def _receipt_key(receipt: Receipt) -> tuple:
    meta = receipt.meta
    return (
        receipt.date,
        receipt.invoices[0] if receipt.invoices else "",
        str(meta.get("filename", "")),
        meta.get("lineno", 0),
    )


def _receipt_rows(receipt: Receipt) -> Iterable[tuple]:
    """A receipt gives one row per activity category (mixed activity)."""
    categories = receipt.by_category or {"": receipt.amount}
    yield from sorted(categories.items())


def _number(rows: list[tuple], build) -> list[RegisterRow]:
    """Number rows per calendar year, in the order given."""
    counters: dict[int, int] = defaultdict(int)
    numbered = []
    for item in rows:
        day = item[0].date
        counters[day.year] += 1
        numbered.append(build(counters[day.year], *item))
    return numbered


def _bounds(
    start: datetime.date | None, end: datetime.date | None, books: Books
) -> tuple[datetime.date, datetime.date]:
    first = books.business.created if books.business else datetime.date(1970, 1, 1)
    last = books.last_date or datetime.date.today()
    return start or first, end or last


def receipts_register(
    books: Books, start: datetime.date | None = None, end: datetime.date | None = None
) -> Register:
    """Build the livre des recettes from ``start`` to ``end`` (both included)."""
    start, end = _bounds(start, end, books)
    years = range(start.year, end.year + 1)
    receipts = sorted(
        (r for r in books.receipts if r.date.year in years), key=_receipt_key
    )
    items = [
        (receipt, category, amount)
        for receipt in receipts
        for category, amount in _receipt_rows(receipt)
    ]

    def build(number, receipt, category, amount):
        return RegisterRow(
            number=number,
            date=receipt.date,
            party=receipt.payer,
            nature=receipt.nature,
            amount=amount,
            means=receipt.means or "",
            voucher=", ".join(receipt.invoices),
            category=category,
            filename=str(receipt.meta.get("filename", "")),
            lineno=int(receipt.meta.get("lineno", 0)),
        )

    rows = [row for row in _number(items, build) if start <= row.date <= end]
    return Register("recettes", start, end, rows)


def purchases_register(
    books: Books, start: datetime.date | None = None, end: datetime.date | None = None
) -> Register:
    """Build the registre des achats from ``start`` to ``end`` (both included)."""
    start, end = _bounds(start, end, books)
    years = range(start.year, end.year + 1)
    purchases = sorted(
        (p for p in books.purchases if p.date.year in years),
        key=lambda p: (
            p.date,
            str(p.meta.get("filename", "")),
            p.meta.get("lineno", 0),
        ),
    )

    def build(number, purchase: Purchase):
        return RegisterRow(
            number=number,
            date=purchase.date,
            party=purchase.supplier,
            nature=purchase.nature,
            amount=purchase.amount,
            means=purchase.means or "",
            voucher=purchase.voucher,
            category=", ".join(purchase.accounts),
            filename=str(purchase.meta.get("filename", "")),
            lineno=int(purchase.meta.get("lineno", 0)),
        )

    rows = _number([(p,) for p in purchases], build)
    return Register("achats", start, end, [r for r in rows if start <= r.date <= end])


def purchases_register_required(books: Books) -> bool:
    """Whether the law requires the registre des achats (main activity is sales)."""
    business = books.business
    if business is None or not business.categories:
        return False
    return business.categories[0] in PURCHASES_REGISTER_CATEGORIES
