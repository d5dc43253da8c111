"""Read a loaded Beancount ledger into the micro-entrepreneur's books.

Every check, register, report and the Fava extension start from
:func:`read_books`, which walks the entries once and returns a :class:`Books`:
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
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import account as account_lib
from beancount.core import data
from beancount_micro.errors import MicroError, error_at
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as siren_lib
from stdnum.fr import siret as siret_lib

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

# Topics: which plugin reports a reading problem.
BUSINESS, RECEIPTS, INVOICES, DECLARATIONS = (
    "business",
    "receipts",
    "invoices",
    "urssaf",
)


@dataclass(frozen=True)
class Business:
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
    meta: data.Meta = field(default_factory=dict, compare=False, repr=False)
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


@dataclass(frozen=True)
class Client:
    """A client: a receivable account opened with ``client:`` metadata."""

    account: str
    name: str
    kind: str
    siren: str = ""
    address: str = ""
    email: str = ""
    vat_number: str = ""
    payer_names: tuple[str, ...] = ()
    meta: data.Meta = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_business(self) -> bool:
        return self.kind == "business"


@dataclass
class Invoice:
    """An issued invoice, deposit invoice, final invoice or credit note."""

    number: str
    date: datetime.date
    kind: str
    client: Client | None
    amount: Decimal
    by_category: dict[str, Decimal]
    payee: str
    narration: str
    due: datetime.date | None
    corrects: str | None
    project: str | None
    links: frozenset[str]
    tags: frozenset[str]
    meta: data.Meta = field(repr=False)
    entry: data.Transaction = field(repr=False)
    open_amount: Decimal = ZERO
    paid_on: datetime.date | None = None

    @property
    def series(self) -> str:
        return split_number(self.number)[0]


@dataclass(frozen=True)
class Receipt:
    """Money cashed: one line of the livre des recettes."""

    date: datetime.date
    amount: Decimal
    by_category: dict[str, Decimal]
    means: str | None
    client: Client | None
    payer: str
    nature: str
    invoices: tuple[str, ...]
    cash_accounts: tuple[str, ...]
    project: str | None
    meta: data.Meta = field(repr=False)
    entry: data.Transaction = field(repr=False)


@dataclass(frozen=True)
class Purchase:
    """A purchase: one line of the registre des achats."""

    date: datetime.date
    supplier: str
    nature: str
    amount: Decimal
    means: str | None
    voucher: str
    accounts: tuple[str, ...]
    meta: data.Meta = field(repr=False)
    entry: data.Transaction = field(repr=False)


@dataclass(frozen=True)
class DeclarationMade:
    """A ``custom "micro" "declaration"`` directive: turnover declared."""

    date: datetime.date
    period_id: str
    turnover: Decimal
    by_category: dict[str, Decimal]
    meta: data.Meta = field(repr=False)
    entry: data.Custom = field(repr=False)


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


@dataclass(frozen=True)
class TimeEntry:
    """Hours worked for a client, to be billed by the hour."""

    date: datetime.date
    client_account: str
    hours: Decimal
    project: str
    note: str
    meta: data.Meta = field(repr=False)


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


def split_number(number: str) -> tuple[str, int | None]:
    """Split ``F-2026-0012`` into its series ``F-2026-`` and its rank 12."""
    end = len(number)
    start = end
    while start > 0 and number[start - 1].isdigit():
        start -= 1
    if start == end:
        return number, None
    return number[:start], int(number[start:end])


def _is_account(value: Any) -> bool:
    return isinstance(value, str) and account_lib.is_valid(value)


def _text(meta: data.Meta, key: str) -> str:
    value = meta.get(key)
    return str(value).strip() if value is not None else ""


def _flag(meta: data.Meta, key: str) -> bool | None:
    """A TRUE/FALSE metadata value; None when it is something else."""
    value = meta.get(key, False)
    return value if isinstance(value, bool) else None


class _Reader:
    """One pass over the entries, collecting what :class:`Books` holds."""

    def __init__(self, options_map: dict) -> None:
        self.books = Books(filename=options_map.get("filename", ""))
        self.income_root = options_map.get("name_income", "Income")
        self.expenses_root = options_map.get("name_expenses", "Expenses")
        self.opens: dict[str, data.Open] = {}
        self.category_cache: dict[str, str | None] = {}
        self.no_purchase: set[str] = set()

    def report(self, topic: str, meta: data.Meta | None, message: str, entry=None):
        self.books.errors.append((topic, error_at(meta, message, entry)))

    def flag(self, entry, key: str, topic: str) -> bool:
        """Read a TRUE/FALSE value; anything else is an error (and counts as no)."""
        value = _flag(entry.meta, key)
        if value is None:
            self.report(
                topic,
                entry.meta,
                f"{key}: {entry.meta[key]!r} is not TRUE or FALSE "
                "(write it unquoted, in capitals)",
                entry,
            )
            return False
        return value

    # Directives -------------------------------------------------------------

    def read_open(self, entry: data.Open) -> None:
        meta = entry.meta or {}
        self.opens[entry.account] = entry
        if "category" in meta:
            category = _text(meta, "category")
            if category not in CATEGORIES:
                self.report(
                    BUSINESS,
                    meta,
                    f"unknown activity category {category!r} on {entry.account}: "
                    f"expected one of {', '.join(CATEGORIES)}",
                    entry,
                )
            else:
                self.books.income_categories[entry.account] = category
        if "bank" in meta or "dedicated" in meta:
            self.books.banks[entry.account] = meta
        if "purchase" in meta and not self.flag(entry, "purchase", BUSINESS):
            self.no_purchase.add(entry.account)
        if "client" in meta:
            self.read_client(entry)

    def read_client(self, entry: data.Open) -> None:
        meta = entry.meta
        kind = _text(meta, "client-type") or "individual"
        siren = _text(meta, "siren").replace(" ", "")
        if kind not in CLIENT_TYPES:
            self.report(
                BUSINESS,
                meta,
                f"client {entry.account}: client-type {kind!r} is not one of "
                "business, individual",
                entry,
            )
        if siren:
            try:
                siren = siren_lib.validate(siren)
            except ValidationError as exc:
                self.report(
                    BUSINESS,
                    meta,
                    f"client {entry.account}: SIREN {siren!r} is invalid ({exc}); "
                    "expected 9 digits passing the Luhn check",
                    entry,
                )
        elif kind == "business":
            self.report(
                BUSINESS,
                meta,
                f"client {entry.account} is a business but has no siren: "
                "a business client's SIREN is required on invoices",
                entry,
            )
        payers = tuple(
            name.strip()
            for name in _text(meta, "payer-names").split(",")
            if name.strip()
        )
        self.books.clients[entry.account] = Client(
            account=entry.account,
            name=_text(meta, "client"),
            kind=kind,
            siren=siren,
            address=_text(meta, "address"),
            email=_text(meta, "email"),
            vat_number=_text(meta, "vat-number"),
            payer_names=payers,
            meta=meta,
        )

    def read_custom(self, entry: data.Custom) -> None:
        if entry.type != "micro" or not entry.values:
            return
        kind = entry.values[0].value
        values = [value.value for value in entry.values[1:]]
        reader = {
            "business": self.read_business,
            "business-change": self.read_business_change,
            "declaration": self.read_declaration,
            "figure": self.read_figure,
            "regime-data": self.read_regime_data,
            "quote": self.read_quote,
            "quote-stage": self.read_quote_stage,
            "time": self.read_time,
        }.get(kind)
        if reader is not None:
            reader(entry, values)

    def read_business(self, entry: data.Custom, values: list) -> None:
        meta = entry.meta
        if self.books.business is not None:
            self.report(BUSINESS, meta, "a second micro business directive", entry)
            return
        siret = _text(meta, "siret").replace(" ", "")
        try:
            siret = siret_lib.validate(siret)
        except ValidationError as exc:
            self.report(
                BUSINESS,
                meta,
                f"business SIRET {siret!r} is invalid ({exc}): expected 14 digits "
                "(SIREN + NIC) passing the Luhn check",
                entry,
            )
        categories = tuple(
            c.strip() for c in _text(meta, "categories").split(",") if c.strip()
        )
        for category in categories:
            if category not in CATEGORIES:
                self.report(
                    BUSINESS,
                    meta,
                    f"unknown activity category {category!r}: expected one of "
                    f"{', '.join(CATEGORIES)}",
                    entry,
                )
        categories = tuple(c for c in categories if c in CATEGORIES)
        if not categories:
            self.report(
                BUSINESS,
                meta,
                "business has no valid categories: expected some of "
                f"{', '.join(CATEGORIES)}",
                entry,
            )
        nature = _text(meta, "nature") or (
            "liberal"
            if categories and categories[0].startswith("bnc")
            else "commercial"
        )
        if nature not in NATURES:
            self.report(
                BUSINESS,
                meta,
                f"business nature {nature!r}: expected one of {', '.join(NATURES)}",
                entry,
            )
        periodicity = _text(meta, "periodicity") or "quarterly"
        if periodicity not in PERIODICITIES:
            self.report(
                BUSINESS,
                meta,
                f"periodicity {periodicity!r}: expected quarterly or monthly",
                entry,
            )
            periodicity = "quarterly"
        if not _text(meta, "name"):
            self.report(BUSINESS, meta, "business has no name:", entry)
        self.books.business = Business(
            name=_text(meta, "name"),
            trade_name=_text(meta, "trade-name"),
            siret=siret,
            address=_text(meta, "address"),
            categories=categories,
            nature=nature,
            periodicity=periodicity,
            versement_liberatoire=self.flag(entry, "versement-liberatoire", BUSINESS),
            acre=self.flag(entry, "acre", BUSINESS),
            created=entry.date,
            email=_text(meta, "email"),
            phone=_text(meta, "phone"),
            iban=_text(meta, "iban").replace(" ", ""),
            bic=_text(meta, "bic"),
            meta=meta,
        )

    def read_business_change(self, entry: data.Custom, values: list) -> None:
        business = self.books.business
        if business is None:
            self.report(BUSINESS, entry.meta, "business-change before business", entry)
            return
        change: dict[str, Any] = {}
        if "periodicity" in entry.meta:
            change["periodicity"] = _text(entry.meta, "periodicity")
        if "versement-liberatoire" in entry.meta:
            change["versement_liberatoire"] = self.flag(
                entry, "versement-liberatoire", BUSINESS
            )
        self.books.business = _replace(
            business, changes=(*business.changes, (entry.date, change))
        )

    def read_declaration(self, entry: data.Custom, values: list) -> None:
        meta = entry.meta
        if len(values) < 2 or not isinstance(values[0], str):
            self.report(
                DECLARATIONS,
                meta,
                'declaration: expected a period and an amount, e.g. "2026-Q1" '
                "1200.00 EUR",
                entry,
            )
            return
        period_id, amount = values[0], values[1]
        turnover = _euros(amount)
        if turnover is None:
            self.report(
                DECLARATIONS,
                meta,
                f"declaration {period_id}: turnover {amount!r} is not an amount in EUR",
                entry,
            )
            return
        by_category = {}
        for category in CATEGORIES:
            if category in meta:
                value = _euros(meta[category])
                if value is None:
                    self.report(
                        DECLARATIONS,
                        meta,
                        f"declaration {period_id}: {category} is not an amount in EUR",
                        entry,
                    )
                    continue
                by_category[category] = value
        self.books.declarations.append(
            DeclarationMade(entry.date, period_id, turnover, by_category, meta, entry)
        )

    def read_figure(self, entry: data.Custom, values: list) -> None:
        from beancount_micro.regime import Figure

        meta = entry.meta
        if len(values) < 3 or not all(isinstance(v, str) for v in values[:2]):
            self.report(
                BUSINESS,
                meta,
                'figure: expected a key, a scope and a value, e.g. "urssaf_rate" '
                '"bnc_ssi" 0.262',
                entry,
            )
            return
        key, scope, value = values[0], values[1], values[2]
        valid_to = meta.get("valid-to")
        problem = ""
        if not isinstance(value, Decimal):
            problem = "the value is not a plain number (rates as fractions: 0.262)"
        elif value < 0:
            problem = "the value is negative"
        elif (key.endswith("_rate") or key.endswith("_share")) and value > 1:
            problem = f"{value} is not a rate: write rates as fractions (0.262)"
        elif valid_to is not None and not isinstance(valid_to, datetime.date):
            problem = f"valid-to {valid_to!r} is not a date (YYYY-MM-DD, unquoted)"
        elif valid_to is not None and valid_to < entry.date:
            problem = f"valid-to {valid_to} is before the directive's date"
        elif not self.known_figure(key, scope):
            problem = (
                f"no figure {key!r} for {scope!r} in the regime data: check the key "
                "and scope against core/regime/regime.toml"
            )
        if problem:
            self.report(BUSINESS, meta, f"figure {key} {scope}: {problem}", entry)
            return
        self.books.figures.append(
            Figure(
                key=key,
                scope=scope,
                valid_from=entry.date,
                valid_to=valid_to,
                value=value,
                unit=_text(meta, "unit") or "rate",
                axis=_text(meta, "axis") or "cash_date",
                source=_text(meta, "source") or f"ledger {meta.get('filename')}",
                tag="ledger",
            )
        )

    def known_figure(self, key: str, scope: str) -> bool:
        """Whether the packaged regime data has figures of this key and scope."""
        from beancount_micro.regime import Regime

        return any(
            f.key == key and f.scope == scope for f in Regime.default().figures()
        )

    def read_regime_data(self, entry: data.Custom, values: list) -> None:
        from beancount_micro.errors import BeancountMicroError
        from beancount_micro.regime import load_figures

        meta = entry.meta
        if not values or not isinstance(values[0], str):
            self.report(BUSINESS, meta, "regime-data: expected a file name", entry)
            return
        base = os.path.dirname(str(meta.get("filename", "")))
        path = os.path.join(base, values[0])
        try:
            self.books.figures.extend(load_figures(path))
        except BeancountMicroError as exc:
            self.report(BUSINESS, meta, f"regime-data: {exc}", entry)
        except OSError as exc:
            self.report(
                BUSINESS,
                meta,
                f"regime-data: cannot read {path} ({exc.strerror}); expected a TOML "
                "file of dated figures",
                entry,
            )

    def read_quote(self, entry: data.Custom, values: list) -> None:
        meta = entry.meta
        if (
            len(values) < 3
            or not isinstance(values[0], str)
            or not _is_account(values[1])
        ):
            self.report(
                INVOICES,
                meta,
                "quote: expected a number, a client account and an amount, e.g. "
                '"D-2026-0003" Assets:Clients:X 4500.00 EUR',
                entry,
            )
            return
        amount = _euros(values[2]) or ZERO
        self.books.quotes[values[0]] = Quote(
            number=values[0],
            date=entry.date,
            client_account=values[1],
            amount=amount,
            stage=_text(meta, "stage") or "sent",
            valid_until=meta.get("valid-until"),
            project=_text(meta, "project") or None,
            meta=meta,
        )

    def read_quote_stage(self, entry: data.Custom, values: list) -> None:
        quote = self.books.quotes.get(values[0]) if values else None
        if quote is None or len(values) < 2:
            self.report(
                INVOICES,
                entry.meta,
                f"quote-stage for unknown quote {values[:1]}",
                entry,
            )
            return
        quote.stage = str(values[1])

    def read_time(self, entry: data.Custom, values: list) -> None:
        if len(values) < 2 or not _is_account(values[0]):
            self.report(
                INVOICES,
                entry.meta,
                "time: expected a client account and hours, e.g. Assets:Clients:X 2.5 "
                '"project"',
                entry,
            )
            return
        hours = values[1].number if isinstance(values[1], data.Amount) else values[1]
        self.books.time_entries.append(
            TimeEntry(
                date=entry.date,
                client_account=values[0],
                hours=Decimal(hours),
                project=str(values[2]) if len(values) > 2 else "",
                note=_text(entry.meta, "note"),
                meta=entry.meta,
            )
        )

    # Transactions -----------------------------------------------------------

    def category_of(self, account: str) -> str | None:
        """The activity category of an income account, inherited from parents."""
        try:
            return self.category_cache[account]
        except KeyError:
            pass
        category = self.books.income_categories.get(account)
        if category is None:
            parent = account_lib.parent(account)
            category = self.category_of(parent) if parent else None
        self.category_cache[account] = category
        return category

    def read_transaction(self, entry: data.Transaction) -> None:
        client_side: list[data.Posting] = []
        income_side: list[tuple[data.Posting, str]] = []
        cash_side: list[data.Posting] = []
        expenses: list[data.Posting] = []
        uncategorised_income = []
        for posting in entry.postings:
            account = posting.account
            if account in self.books.clients:
                client_side.append(posting)
                continue
            category = self.category_of(account)
            if category is not None:
                income_side.append((posting, category))
                continue
            if account.startswith(self.income_root + ":"):
                uncategorised_income.append(posting)
            elif account.startswith(self.expenses_root):
                expenses.append(posting)
            cash_side.append(posting)

        for posting, _ in income_side:
            if posting.units.currency != CURRENCY:
                self.report(
                    RECEIPTS,
                    entry.meta,
                    f"income posting on {posting.account} is in "
                    f"{posting.units.currency}: turnover must be booked in EUR "
                    "(the euro amount credited)",
                    entry,
                )
                return
        if client_side and uncategorised_income:
            self.report(
                RECEIPTS,
                entry.meta,
                f"income account {uncategorised_income[0].account} has no activity "
                'category: open it with category: "bnc_ssi" (or another category)',
                entry,
            )

        if "invoice" in entry.meta:
            self.read_invoice(entry, client_side, income_side)
        if "urssaf-period" in entry.meta:
            period = _text(entry.meta, "urssaf-period")
            self.books.urssaf_payments.setdefault(period, []).append(entry)
        if (client_side or income_side) and cash_side:
            self.pending_receipt(entry, client_side, income_side, cash_side)
        elif expenses:
            self.read_purchase(entry, expenses, cash_side)

    def read_invoice(self, entry, client_side, income_side) -> None:
        meta = entry.meta
        number = _text(meta, "invoice")
        kind = _text(meta, "invoice-kind") or "invoice"
        if kind not in INVOICE_KINDS:
            self.report(
                INVOICES,
                meta,
                f"invoice {number}: invoice-kind {kind!r} is not one of "
                f"{', '.join(INVOICE_KINDS)}",
                entry,
            )
        if number in self.books.invoices:
            first = self.books.invoices[number].meta
            self.report(
                INVOICES,
                meta,
                f"invoice number {number} is used twice (first at "
                f"{first.get('filename')}:{first.get('lineno')}): numbers are unique "
                "(CGI ann. II art. 242 nonies A)",
                entry,
            )
            return
        client = None
        if client_side:
            client = self.books.clients[client_side[0].account]
        elif not income_side:
            self.report(
                INVOICES,
                meta,
                f"invoice {number} posts to no client account and no income account",
                entry,
            )
            return
        else:
            self.report(
                INVOICES,
                meta,
                f"invoice {number} has no client: post the amount to the client's "
                "account (an account opened with client: metadata)",
                entry,
            )
        by_category: dict[str, Decimal] = defaultdict(Decimal)
        for posting, category in income_side:
            by_category[category] -= posting.units.number
        if client_side:
            amount = sum((p.units.number for p in client_side), ZERO)
        else:
            amount = sum(by_category.values(), ZERO)
        invoice = Invoice(
            number=number,
            date=entry.date,
            kind=kind,
            client=client,
            amount=amount,
            by_category=dict(by_category),
            payee=entry.payee or "",
            narration=entry.narration or "",
            due=meta.get("due") if isinstance(meta.get("due"), datetime.date) else None,
            corrects=_text(meta, "corrects") or None,
            project=_text(meta, "project") or None,
            links=frozenset(entry.links or ()),
            tags=frozenset(entry.tags or ()),
            meta=meta,
            entry=entry,
            open_amount=amount if client_side and kind != "credit-note" else ZERO,
        )
        self.books.invoices[number] = invoice
        if kind == "credit-note" and client_side:
            self.apply_to_invoices(entry, amount, exclude=number)

    def apply_to_invoices(self, entry, amount: Decimal, exclude: str = "") -> list:
        """Allocate a client-account movement to the invoices the entry links."""
        invoices = self.books.invoices
        targets = [
            invoices[link]
            for link in sorted(entry.links or ())
            if link in invoices
            and link != exclude
            and invoices[link].kind != "credit-note"
        ]
        if not targets:
            return []
        targets.sort(key=lambda invoice: (invoice.date, invoice.number))
        remaining = -amount
        for index, invoice in enumerate(targets):
            last = index == len(targets) - 1
            share = (
                remaining if last else min(remaining, max(invoice.open_amount, ZERO))
            )
            invoice.open_amount -= share
            remaining -= share
            if invoice.open_amount <= ZERO and invoice.paid_on is None:
                invoice.paid_on = entry.date
        return targets

    def pending_receipt(self, entry, client_side, income_side, cash_side) -> None:
        meta = entry.meta
        by_category: dict[str, Decimal] = defaultdict(Decimal)
        for posting, category in income_side:
            by_category[category] -= posting.units.number
        client_amount = sum((p.units.number for p in client_side), ZERO)
        client = self.books.clients[client_side[0].account] if client_side else None
        targets = self.apply_to_invoices(entry, client_amount) if client_side else []

        if client_side and not targets:
            self.report(
                RECEIPTS,
                meta,
                f"payment on {client_side[0].account} links no invoice: add the "
                "invoice's link (^F-…) so the register can cite it",
                entry,
            )
        if client_amount:
            self.split_by_invoices(-client_amount, targets, by_category, entry)

        means = _text(meta, "means") or None
        if means is None:
            self.report(
                RECEIPTS,
                meta,
                "receipt has no means: metadata (virement, cheque, especes, carte, "
                "prelevement, plateforme, autre); the register needs it (CGI art. 99)",
                entry,
            )
        elif means not in MEANS:
            self.report(
                RECEIPTS,
                meta,
                f"payment means {means!r} is not one of {', '.join(MEANS)}",
                entry,
            )
        numbers = tuple(t.number for t in targets) or tuple(
            link for link in sorted(entry.links or ()) if link in self.books.invoices
        )
        if "invoice" in meta and not numbers:
            numbers = (_text(meta, "invoice"),)
        natures = [self.books.invoices[n].narration for n in numbers]
        receipt = Receipt(
            date=entry.date,
            amount=sum(by_category.values(), ZERO),
            by_category={k: v for k, v in by_category.items() if v},
            means=means,
            client=client,
            payer=(client.name if client else "") or entry.payee or "",
            nature="; ".join(n for n in natures if n) or entry.narration or "",
            invoices=numbers,
            cash_accounts=tuple(sorted({p.account for p in cash_side})),
            project=_text(meta, "project")
            or next((self.books.invoices[n].project for n in numbers), None),
            meta=meta,
            entry=entry,
        )
        self.books.receipts.append(receipt)

    def split_by_invoices(self, amount, targets, by_category, entry) -> None:
        """Give the categories of the paid invoices to the money received."""
        weights: dict[str, Decimal] = defaultdict(Decimal)
        for invoice in targets:
            for category, value in invoice.by_category.items():
                weights[category] += value
        total = sum(weights.values(), ZERO)
        if not total:
            business = self.books.business
            if business and business.categories:
                weights = {business.categories[0]: Decimal(1)}
                total = Decimal(1)
            else:
                self.report(
                    RECEIPTS,
                    entry.meta,
                    "cannot tell the activity category of this receipt: link it to "
                    "an invoice or declare the business categories",
                    entry,
                )
                return
        allocated = ZERO
        items = sorted(weights.items())
        for index, (category, weight) in enumerate(items):
            if index == len(items) - 1:
                share = amount - allocated
            else:
                share = (amount * weight / total).quantize(CENT)
            by_category[category] += share
            allocated += share

    def read_purchase(self, entry, expenses, cash_side) -> None:
        counted = [p for p in expenses if p.account not in self.no_purchase]
        if not counted:
            return
        amount = sum(
            (p.units.number for p in counted if p.units.currency == CURRENCY), ZERO
        )
        meta = entry.meta
        self.books.purchases.append(
            Purchase(
                date=entry.date,
                supplier=_text(meta, "supplier") or entry.payee or "",
                nature=entry.narration or "",
                amount=amount,
                means=_text(meta, "means") or None,
                voucher=_text(meta, "voucher"),
                accounts=tuple(sorted({p.account for p in counted})),
                meta=meta,
                entry=entry,
            )
        )


def _replace(business: Business, **changes) -> Business:
    from dataclasses import replace

    return replace(business, **changes)


def _euros(value: Any) -> Decimal | None:
    """Return the number of an EUR amount (or a bare number), else None."""
    if isinstance(value, data.Amount):
        return value.number if value.currency == CURRENCY else None
    if isinstance(value, Decimal):
        return value
    return None


def read_books(entries: Sequence[data.Directive], options_map: dict) -> Books:
    """Read the micro-entrepreneur's books from loaded (sorted) entries."""
    reader = _Reader(options_map)
    last = None
    for entry in entries:
        if isinstance(entry, data.Transaction):
            reader.read_transaction(entry)
        elif isinstance(entry, data.Open):
            reader.read_open(entry)
        elif isinstance(entry, data.Custom):
            reader.read_custom(entry)
        last = entry.date
    reader.books.last_date = last
    return reader.books


def receipts_between(
    receipts: Iterable[Receipt], start: datetime.date, end: datetime.date
) -> list[Receipt]:
    """Receipts cashed from ``start`` to ``end``, both included."""
    return [r for r in receipts if start <= r.date <= end]
