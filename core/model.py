"""The micro-entrepreneur's books: the records read from a Beancount ledger.

Every check, register, report and the Fava extension start from
:func:`read_books` (the reading itself lives in ``beancount_micro.reading``),
which walks the entries once and returns a :class:`Books`:
the business, its clients, invoices, receipts (money cashed), purchases,
URSSAF declarations made, quotes and time entries, following the conventions
of ``docs/CONVENTIONS.md``. Problems found while reading (a malformed SIREN, a
receipt without payment means...) are collected as plugin errors, each tagged
with the topic of the plugin that reports it.

    entries, _, options = loader.load_file("ledger.beancount")
    books = read_books(entries, options)
    books.receipts[0].amount   # Decimal('1500.00')
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

from beancount.core import data
from beancount_micro.errors import MicroError

CURRENCY = "EUR"
ZERO = Decimal(0)
CENT = Decimal("0.01")

# The legal activity categories of the micro regime (REGIME.md §1).
CATEGORIES = ("bic_sales", "bic_services", "bnc_ssi", "bnc_cipav", "meuble_classe")
NATURES = ("commercial", "craft", "liberal")
PERIODICITIES = ("quarterly", "monthly")

# Payment means as written in the ledger, and as printed in the registers.
MEANS = {
    "virement": "Virement",
    "cheque": "Chèque",
    "especes": "Espèces",
    "carte": "Carte bancaire",
    "prelevement": "Prélèvement",
    "plateforme": "Plateforme",
    "autre": "Autre",
}
INVOICE_KINDS = ("invoice", "deposit", "final", "credit-note")
CLIENT_TYPES = ("business", "individual")

# The metadata of a record built by hand rather than read from an entry.
NO_META: data.Meta = MappingProxyType({})

# Topics: which plugin reports a reading problem.
BUSINESS, RECEIPTS, INVOICES, INVOICE_RULES, DECLARATIONS = (
    "business",
    "receipts",
    "invoices",
    "invoice-rules",  # What each invoice entry carries: only the plugin reports it.
    "urssaf",
)


class Business(NamedTuple):
    """The micro-enterprise, from the ``custom "micro" "business"`` directive."""

    name: str
    siret: str
    address: str
    categories: tuple[str, ...]
    nature: str
    periodicity: str
    versement_liberatoire: bool
    acre: bool
    created: datetime.date
    trade_name: str = ""
    email: str = ""
    phone: str = ""
    iban: str = ""
    bic: str = ""
    meta: data.Meta = NO_META
    changes: tuple[tuple[datetime.date, dict], ...] = ()

    @property
    def siren(self) -> str:
        return self.siret[:9]

    @property
    def display_name(self) -> str:
        """The name as the law wants it on documents: followed by "EI"."""
        return f"{self.name} EI"

    def setting_on(self, key: str, day: datetime.date) -> Any:
        """Return ``periodicity`` or ``versement_liberatoire`` in force on ``day``."""
        value = getattr(self, key)
        for when, values in self.changes:
            if when <= day and key in values:
                value = values[key]
        return value


class Client(NamedTuple):
    """A client: a receivable account opened with ``client:`` metadata."""

    account: str
    name: str
    kind: str
    siren: str = ""
    address: str = ""
    email: str = ""
    vat_number: str = ""
    payer_names: tuple[str, ...] = ()
    meta: data.Meta = NO_META

    @property
    def is_business(self) -> bool:
        return self.kind == "business"


@dataclass(slots=True)
class Invoice:
    """An issued invoice, deposit invoice, final invoice or credit note."""

    number: str
    date: datetime.date
    kind: str
    client: Client | None
    amount: Decimal
    by_category: dict[str, Decimal]
    meta: data.Meta = field(repr=False)
    entry: data.Transaction = field(repr=False)
    open_amount: Decimal = ZERO
    paid_on: datetime.date | None = None

    # Read from the entry when asked: the plugins seldom need them.

    @property
    def series(self) -> str:
        return split_number(self.number)[0]

    @property
    def payee(self) -> str:
        return self.entry.payee or ""

    @property
    def narration(self) -> str:
        return self.entry.narration or ""

    @property
    def due(self) -> datetime.date | None:
        due = self.meta.get("due")
        return due if isinstance(due, datetime.date) else None

    @property
    def corrects(self) -> str | None:
        return _meta_text(self.meta, "corrects") or None

    @property
    def project(self) -> str | None:
        return _meta_text(self.meta, "project") or None

    @property
    def links(self) -> frozenset[str]:
        return self.entry.links or frozenset()

    @property
    def tags(self) -> frozenset[str]:
        return self.entry.tags or frozenset()


@dataclass(slots=True)
class Receipt:
    """Money cashed: one line of the livre des recettes."""

    date: datetime.date
    amount: Decimal
    by_category: dict[str, Decimal]
    means: str | None
    client: Client | None
    invoices: tuple[str, ...]
    paid: tuple[Invoice, ...]
    cash_accounts: tuple[str, ...]
    meta: data.Meta
    entry: data.Transaction

    # Read from the entry and the invoices when asked (registers, Fava).

    @property
    def payer(self) -> str:
        """The client's name, or the payee of a sale paid on the spot."""
        return (self.client.name if self.client else "") or self.entry.payee or ""

    @property
    def nature(self) -> str:
        """What was sold: the paid invoices' narrations, or the entry's."""
        natures = [invoice.narration for invoice in self.paid if invoice.narration]
        return "; ".join(natures) or self.entry.narration or ""

    @property
    def project(self) -> str | None:
        own = _meta_text(self.meta, "project")
        return own or next((i.project for i in self.paid if i.project), None)


@dataclass(slots=True)
class Purchase:
    """A purchase: one line of the registre des achats.

    Only the registre des achats reads purchases, so the reader keeps the
    entry and its counted expense postings and the rest is read when asked.
    """

    entry: data.Transaction
    postings: list[data.Posting]

    @property
    def date(self) -> datetime.date:
        return self.entry.date

    @property
    def meta(self) -> data.Meta:
        return self.entry.meta

    @property
    def amount(self) -> Decimal:
        """The euro amount spent (postings in another currency are left out)."""
        return sum(
            (p.units.number for p in self.postings if p.units.currency == CURRENCY),
            ZERO,
        )

    @property
    def accounts(self) -> tuple[str, ...]:
        return tuple(sorted({p.account for p in self.postings}))

    @property
    def supplier(self) -> str:
        return _meta_text(self.meta, "supplier") or self.entry.payee or ""

    @property
    def nature(self) -> str:
        return self.entry.narration or ""

    @property
    def means(self) -> str | None:
        return _meta_text(self.meta, "means") or None

    @property
    def voucher(self) -> str:
        return _meta_text(self.meta, "voucher")


class DeclarationMade(NamedTuple):
    """A ``custom "micro" "declaration"`` directive: turnover declared."""

    date: datetime.date
    period_id: str
    turnover: Decimal
    by_category: dict[str, Decimal]
    meta: data.Meta
    entry: data.Custom


@dataclass
class Quote:
    """A quote and its pipeline stage."""

    number: str
    date: datetime.date
    client_account: str
    amount: Decimal
    stage: str
    valid_until: datetime.date | None
    project: str | None
    meta: data.Meta = field(repr=False)


class TimeEntry(NamedTuple):
    """Hours worked for a client, to be billed by the hour."""

    date: datetime.date
    client_account: str
    hours: Decimal
    project: str
    note: str
    meta: data.Meta


@dataclass
class Books:
    """Everything beancount-micro reads from one ledger."""

    business: Business | None = None
    clients: dict[str, Client] = field(default_factory=dict)
    income_categories: dict[str, str] = field(default_factory=dict)
    banks: dict[str, data.Meta] = field(default_factory=dict)
    invoices: dict[str, Invoice] = field(default_factory=dict)
    receipts: list[Receipt] = field(default_factory=list)
    purchases: list[Purchase] = field(default_factory=list)
    declarations: list[DeclarationMade] = field(default_factory=list)
    urssaf_payments: dict[str, list[data.Transaction]] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    time_entries: list[TimeEntry] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)
    errors: list[tuple[str, MicroError]] = field(default_factory=list)
    last_date: datetime.date | None = None
    filename: str = ""
    # Figures derived from the books, computed once by whoever needs them.
    cache: dict = field(default_factory=dict, repr=False)

    def errors_about(self, *topics: str) -> list[MicroError]:
        """Return the reading errors that the plugins of ``topics`` report."""
        return [error for topic, error in self.errors if topic in topics]

    @property
    def dedicated_accounts(self) -> list[str]:
        return [name for name, meta in self.banks.items() if meta.get("dedicated")]

    def open_invoices(self) -> list[Invoice]:
        """Invoices (not credit notes) with money still owed, oldest first."""
        return [
            invoice
            for invoice in self.invoices.values()
            if invoice.kind != "credit-note" and invoice.open_amount > ZERO
        ]

    def regime(self):
        """The dated regime data, with the figures this ledger adds or overrides."""
        from beancount_micro.regime import Regime

        regime = Regime.default()
        return regime.with_figures(self.figures) if self.figures else regime


def _meta_text(meta: data.Meta, key: str) -> str:
    value = meta.get(key)
    return "" if value is None else str(value).strip()


DIGITS = "0123456789"


# The largest rank read from an invoice number, in digits (leading zeros
# aside): 18 is far past any real numbering, and Python refuses to read
# numbers of 4 300 digits.
MAX_RANK_DIGITS = 18


def rank_length(number: str) -> int:
    """How many digits the rank of ``number`` has, leading zeros aside.

    ``F-2026-0012`` has rank 12: 2 digits.
    """
    return len(number[len(number.rstrip(DIGITS)) :].lstrip("0"))


def split_number(number: str) -> tuple[str, int | None]:
    """Split ``F-2026-0012`` into its series ``F-2026-`` and its rank 12.

    The rank is the last run of ASCII digits; a number without one, or whose
    rank has more than :data:`MAX_RANK_DIGITS` digits, has none.
    """
    series = number.rstrip(DIGITS)
    digits = number[len(series) :]
    if not digits or rank_length(number) > MAX_RANK_DIGITS:
        return number, None
    return series, int(digits)


def read_books(entries: Sequence[data.Directive], options_map: dict) -> Books:
    """Read the micro-entrepreneur's books from loaded (sorted) entries."""
    from beancount_micro.reading import read_books as read

    return read(entries, options_map)


# The books the plugins read during the last loads, by the options map of
# that load: a later reader of the same load (the Fava extension) takes them
# instead of reading every entry again. Entries added by plugins that run
# after ours are not in them. Only a process that asks keeps them: in
# bean-check, books kept alive would make every later garbage collection
# walk them (measured: 1.5 s more on a 100k-transaction ledger).
_LOADS: list[tuple[dict, Books]] = []
_KEEP = {"loads": 0}


def keep_books(loads: int = 2) -> None:
    """Keep the books of the last ``loads`` ledger loads for later readers."""
    _KEEP["loads"] = loads


def remember_books(options_map: dict, books: Books) -> None:
    """Keep the books read while loading the ledger of ``options_map``."""
    kept = _KEEP["loads"]
    if not kept:
        return
    others = [(o, b) for o, b in _LOADS if o is not options_map]
    _LOADS[:] = [*others, (options_map, books)][-kept:]


def books_of_load(entries: Sequence[data.Directive], options_map: dict) -> Books:
    """The books the plugins read for this load, or read them now."""
    for options, books in _LOADS:
        if options is options_map:
            return books
    return read_books(entries, options_map)


def receipts_between(
    receipts: Iterable[Receipt], start: datetime.date, end: datetime.date
) -> list[Receipt]:
    """Receipts cashed from ``start`` to ``end``, both included."""
    return [r for r in receipts if start <= r.date <= end]
