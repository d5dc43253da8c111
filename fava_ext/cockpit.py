"""The figures of the cockpit page, computed by the same code as the CLI.

:func:`build_cockpit` reads the books once from the entries Fava loaded and
gathers what the page shows: thresholds of the current year with a
projection, every URSSAF period, open invoices, turnover charts data and
the problems the plugins report, grouped by check. The registers of a year
are built on demand by :meth:`Cockpit.registers` (and cached by year).

    cockpit = build_cockpit(entries, options, date(2026, 11, 30))
    cockpit.reports[0].period.id      # '2025-Q1+2025-Q2'
"""

import datetime
import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data
from beancount_micro import identity
from beancount_micro.declarations import PeriodReport, next_deadline, urssaf_report
from beancount_micro.errors import BeancountMicroError, MicroError
from beancount_micro.fava_ext.receivables import (
    ClientReceivables,
    bucket_totals,
    open_invoices,
)
from beancount_micro.model import ZERO, Books, Receipt, books_of_load
from beancount_micro.plugins import (
    dedicated_account,
    invoice_numbers,
    registers,
    thresholds,
    urssaf,
)
from beancount_micro.registers import (
    Register,
    purchases_register,
    receipts_register,
)
from beancount_micro.thresholds import CEILING_GROUP, YearStatus, year_statuses

log = logging.getLogger(__name__)

# The checks of the umbrella plugin and the identity numbers' checksums, each
# with the heading of its group.
CHECKS = (
    ("Registres et fiches clients", registers.check),
    ("Numérotation des factures", invoice_numbers.check),
    ("Déclarations URSSAF", urssaf.check),
    ("Seuils", thresholds.check),
    ("Compte bancaire dédié", dedicated_account.check),
    ("Identité (SIRET, SIREN)", identity.check),
)
STATUS_LABELS = {
    "declared": "déclarée",
    "declared-late": "déclarée en retard",
    "in-progress": "en cours",
    "due": "à déclarer",
    "late": "en retard",
}
THRESHOLD_LABELS = {
    "micro_ceiling": "Plafond du régime micro",
    "vat_franchise_base": "Franchise de TVA, seuil de base",
    "vat_franchise_majorated": "Franchise de TVA, seuil majoré",
}
GROUP_LABELS = {
    "services": "prestations de services",
    "sales": "ventes et hébergement",
    "classified_lets": "meublés de tourisme classés",
}
NO_PROJECT = "(sans projet)"


@dataclass(frozen=True)
class Gauge:
    """A threshold of the current year, with the turnover and its projection."""

    status: YearStatus
    projected: Decimal
    projected_with_quotes: Decimal | None
    quoted: Decimal = ZERO

    @property
    def label(self) -> str:
        group = GROUP_LABELS.get(self.status.group, self.status.group)
        return f"{THRESHOLD_LABELS[self.status.kind]} ({group})"

    def width(self, value: Decimal) -> str:
        """The CSS width of ``value`` on a bar where the limit sits at 80 %."""
        if not self.status.limit:
            return "0"
        share = value / self.status.limit * 80
        return f"{min(max(share, ZERO), Decimal(100)):.1f}"


@dataclass(frozen=True)
class Problem:
    """A problem reported by a plugin, with where it comes from."""

    message: str
    filename: str
    lineno: int

    @property
    def in_file(self) -> bool:
        """Whether the location is a real file Fava's editor can open."""
        return bool(self.filename) and not self.filename.startswith("<")


@dataclass
class Cockpit:
    """Everything the page shows, for one load of the ledger and one day."""

    today: datetime.date
    books: Books
    empty: bool = False
    gauges: list[Gauge] = field(default_factory=list)
    reports: list[PeriodReport] = field(default_factory=list)
    receivables: list[ClientReceivables] = field(default_factory=list)
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    _registers: dict[int, tuple[Register, Register]] = field(
        default_factory=dict, repr=False
    )

    @property
    def business(self):
        return self.books.business

    @property
    def next_report(self) -> PeriodReport | None:
        return next_deadline(self.reports)

    @property
    def bucket_totals(self) -> dict[str, Decimal]:
        return bucket_totals(self.receivables)

    @property
    def years(self) -> list[int]:
        """Calendar years with activity, from the creation year to today's."""
        first = self.business.created.year if self.business else self.today.year
        last = max(self.today.year, (self.books.last_date or self.today).year)
        return list(range(first, last + 1))

    def registers(self, year: int) -> tuple[Register, Register]:
        """The livre des recettes and the registre des achats of ``year``."""
        if year not in self._registers:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            self._registers[year] = (
                receipts_register(self.books, start, end),
                purchases_register(self.books, start, end),
            )
        return self._registers[year]

    def ordered_reports(self) -> list[PeriodReport]:
        """Periods still to declare first (nearest deadline first), then the rest."""
        waiting = [
            r for r in self.reports if r.status in ("late", "due", "in-progress")
        ]
        done = [r for r in self.reports if r not in waiting]
        waiting.sort(key=lambda r: r.period.deadline)
        done.sort(key=lambda r: r.period.deadline, reverse=True)
        return waiting + done

    def turnover_chart(self, year: int) -> dict:
        """Cash received in ``year`` per client, per project and per month."""
        return turnover_chart(self.books, year)


def status_label(report: PeriodReport) -> str:
    """The status of a period in French (the template adds the penalty)."""
    return STATUS_LABELS[report.status]


def _project_of(receipt: Receipt, books: Books) -> str:
    """The project of a receipt: its ``project:``, else a tag of it or its invoices."""
    if receipt.project:
        return receipt.project
    tags = set(receipt.entry.tags or ())
    for number in receipt.invoices:
        invoice = books.invoices.get(number)
        if invoice is not None:
            tags |= invoice.tags
    return sorted(tags)[0] if tags else NO_PROJECT


def turnover_chart(books: Books, year: int) -> dict:
    """Chart data: cash received in ``year`` per client, project and month.

    Amounts are strings of exact decimals; the JS module draws them.
    """
    by_client: dict[str, Decimal] = defaultdict(Decimal)
    by_project: dict[str, Decimal] = defaultdict(Decimal)
    by_month = [ZERO] * 12
    for receipt in books.receipts:
        if receipt.date.year != year:
            continue
        by_client[receipt.payer or "(sans client)"] += receipt.amount
        by_project[_project_of(receipt, books)] += receipt.amount
        by_month[receipt.date.month - 1] += receipt.amount

    def ranked(totals: dict[str, Decimal]) -> list[list[str]]:
        items = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        return [[name, str(amount)] for name, amount in items]

    months = [
        [f"{year}-{month:02d}", str(amount)]
        for month, amount in enumerate(by_month, start=1)
    ]
    return {
        "year": year,
        "clients": ranked(by_client),
        "projects": ranked(by_project),
        "months": months,
    }


def resolve_today(
    extension_config, options: dict, env_today: str | None
) -> datetime.date:
    """The day against which deadlines are judged.

    Order: the extension's ``{'today': ...}`` config, then
    ``BEANCOUNT_MICRO_TODAY``, then the ``today`` of the ledger's
    beancount_micro plugin line, then the real date: the plugins' own order
    after the extension's setting.
    """
    from beancount_micro.plugins._common import today_from

    if isinstance(extension_config, dict) and extension_config.get("today"):
        return datetime.date.fromisoformat(str(extension_config["today"]))
    for name, config in options.get("plugin", []):
        if name.startswith("beancount_micro.plugins."):
            return today_from(config)[0]
    if env_today:
        return datetime.date.fromisoformat(env_today)
    return datetime.date.today()


def _problems(books: Books, today: datetime.date) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    # The plugins' own findings at load time, when judged on the same day.
    found = (
        books.cache.get("checks", {}) if books.cache.get("checked_on") == today else {}
    )
    for heading, check in CHECKS:
        try:
            errors: list[MicroError] = (
                found[check.__module__]
                if check.__module__ in found
                else check(books, today)
            )
        except BeancountMicroError as exc:
            errors = [MicroError({}, str(exc), None)]
        problems = [
            Problem(
                error.message,
                str((error.source or {}).get("filename", "")),
                int((error.source or {}).get("lineno", 0) or 0),
            )
            for error in errors
        ]
        if problems:
            grouped[heading] = problems
    return grouped


def _gauges(books: Books, today: datetime.date) -> list[Gauge]:
    year = today.year
    statuses = year_statuses(books, year)
    business = books.business
    first_day = max(datetime.date(year, 1, 1), business.created)
    last_day = datetime.date(year, 12, 31)
    elapsed = (min(today, last_day) - first_day).days + 1
    active = (last_day - first_day).days + 1

    # Accepted quotes of the year not yet invoiced count towards the main
    # activity's group (a quote carries no category).
    quoted = sum(
        (
            q.amount
            for q in books.quotes.values()
            if q.stage == "accepted" and q.date.year == year and q.date <= today
        ),
        ZERO,
    )
    main_group = (
        CEILING_GROUP.get(business.categories[0]) if business.categories else None
    )
    gauges = []
    for status in statuses:
        projected = status.turnover
        if 0 < elapsed < active:
            projected = (status.turnover * active / elapsed).quantize(Decimal("0.01"))
        with_quotes = None
        if quoted and status.group in (main_group, "sales"):
            with_quotes = projected + quoted
        gauges.append(Gauge(status, projected, with_quotes, quoted))
    return gauges


def build_cockpit(entries: Sequence, options: dict, today: datetime.date) -> Cockpit:
    """Read the books and compute every figure the page shows."""
    books = books_of_load(entries, options)
    empty = not any(isinstance(e, (data.Open, data.Transaction)) for e in entries)
    cockpit = Cockpit(today=today, books=books, empty=empty)
    if books.business is None:
        return cockpit

    # A figure missing from the regime data (a year not yet published)
    # blanks only the section that needs it, with the message shown.
    sections = (
        ("gauges", lambda: _gauges(books, today)),
        ("reports", lambda: urssaf_report(books, today)[0]),
        ("receivables", lambda: open_invoices(books, today, books.regime())),
    )
    for name, compute in sections:
        try:
            setattr(cockpit, name, compute())
        except BeancountMicroError as exc:
            log.warning("cockpit section %s incomplete: %s", name, exc)
            cockpit.failures.append(str(exc))
    cockpit.problems = _problems(books, today)
    return cockpit


def journal_filter(report: PeriodReport) -> str:
    """A Fava filter matching the receipts of a period: cash and turnover side.

    A receipt is a transaction with a posting on one of the period's cash
    accounts and one on a client or categorised income account.
    """
    cash = sorted({a for r in report.receipts for a in r.cash_accounts})
    sides = sorted(
        {
            p.account
            for r in report.receipts
            for p in r.entry.postings
            if p.account not in cash
        }
    )
    if not cash:
        return ""
    return (
        f'any(account:"{_accounts_regex(cash)}") '
        f'any(account:"{_accounts_regex(sides)}")'
    )


def _accounts_regex(accounts: list[str]) -> str:
    return "^(" + "|".join(re.escape(a) for a in accounts) + ")$"


def period_time(report: PeriodReport) -> str:
    """Fava's time filter for a period, both ends included."""
    return f"{report.period.start} - {report.period.end}"
