"""Turnover ceilings, VAT franchise thresholds and the dedicated-account rule.

For each calendar year the turnover of each threshold group is followed day
by day; the day a threshold with a legal consequence is crossed gives a
:class:`Crossing` that names the entry and the consequence:

- the micro ceiling (CGI art. 50-0 and 102 ter): one year over changes
  nothing, two consecutive years over end the regime on 1 January of the
  following year;
- the VAT franchise (CGI art. 293 B): over the base threshold, VAT is due
  from 1 January of the next year; over the majorated threshold, from the
  day of crossing, that operation included (from 2025; before, from the
  first day of the month);
- the dedicated bank account (CSS art. L613-10): required from 1 January
  after two consecutive years over 10 000 €.

In the creation year every threshold is prorated by days (REGIME.md §2.1,
§2.2, OQ-13, OQ-14). Mixed activities test the whole turnover against the
sales thresholds and the services part against the services thresholds.
"""

import calendar
import datetime
from decimal import Decimal
from typing import NamedTuple

from beancount_micro.errors import BeancountMicroError
from beancount_micro.model import CENT, ZERO, Books, Invoice, Receipt

# Threshold groups of each activity category (REGIME.md §1).
CEILING_GROUP = {
    "bic_sales": "sales",
    "bic_services": "services",
    "bnc_ssi": "services",
    "bnc_cipav": "services",
    "meuble_classe": "classified_lets",
}
SALES_GROUPS = ("sales", "classified_lets")


# An amount of turnover and the receipt or invoice it comes from.
Movement = tuple[Decimal, Receipt | Invoice]


class YearStatus(NamedTuple):
    """One threshold in one year: the limit, the turnover, the crossing."""

    year: int
    kind: str  # micro_ceiling | vat_franchise_base | vat_franchise_majorated
    group: str
    limit: Decimal
    full_limit: Decimal
    prorated: bool
    turnover: Decimal
    crossed: Receipt | Invoice | None  # The receipt or invoice that crossed it.
    reached: Decimal
    source: str

    @property
    def share(self) -> Decimal:
        return (self.turnover / self.limit * 100).quantize(Decimal("0.1"))

    def to_json(self) -> dict:
        return {
            "year": self.year,
            "kind": self.kind,
            "group": self.group,
            "limit": str(self.limit),
            "full_limit": str(self.full_limit),
            "prorated": self.prorated,
            "turnover": str(self.turnover),
            "crossed_on": self.crossed.date.isoformat() if self.crossed else None,
            "source": self.source,
        }


class Crossing(NamedTuple):
    """A threshold crossed with a legal consequence."""

    status: YearStatus
    message: str


def prorate(
    limit: Decimal, year: int, created: datetime.date | None
) -> tuple[Decimal, bool]:
    """Cut ``limit`` by the days of activity when ``year`` is the creation year."""
    if created is None or created.year != year:
        return limit, False
    days_in_year = 366 if calendar.isleap(year) else 365
    active = (datetime.date(year, 12, 31) - created).days + 1
    return (limit * active / days_in_year).quantize(CENT), True


def _movements(
    books: Books, categories: tuple[str, ...], basis: str
) -> dict[int, list[Movement]]:
    """Turnover movements of ``categories`` by year, computed once per books.

    They come in the order of the entries, which Beancount sorts by date.
    """
    key = ("movements", categories, basis)
    if key in books.cache:
        return books.cache[key]
    wanted = set(categories)
    items = books.receipts if basis == "cash" else books.invoices.values()
    by_year: dict[int, list[Movement]] = {}
    for item in items:
        amount = ZERO
        for category, value in item.by_category.items():
            if category in wanted:
                amount += value
        if amount:
            by_year.setdefault(item.date.year, []).append((amount, item))
    books.cache[key] = by_year
    return by_year


def _groups(books: Books) -> dict[str, tuple[str, ...]]:
    """The categories whose turnover counts against each group's thresholds."""
    categories = books.business.categories if books.business else ()
    if not categories:
        categories = tuple(sorted(set(books.income_categories.values())))
    groups: dict[str, tuple[str, ...]] = {}
    has_sales = any(CEILING_GROUP[c] in SALES_GROUPS for c in categories)
    for category in categories:
        group = CEILING_GROUP[category]
        if group == "services":
            groups[group] = tuple(c for c in categories if CEILING_GROUP[c] == group)
        elif has_sales:
            # The sales ceiling caps the whole turnover of a mixed activity.
            groups[group] = categories
    return groups


def _status(key, group, figure, year, created, moves) -> YearStatus:
    """Turnover of ``year`` against ``figure``, prorated in the creation year."""
    limit, prorated = prorate(figure.value, year, created)
    total = reached = ZERO
    crossed = None
    for amount, item in moves.get(year, ()):
        total += amount
        if crossed is None and total > limit:
            crossed, reached = item, total
    return YearStatus(
        year,
        key,
        group,
        limit,
        figure.value,
        prorated,
        total,
        crossed,
        reached,
        figure.source,
    )


def _own_year(regime, key, group, year, created, moves) -> YearStatus:
    figure = regime.figure(key, group, datetime.date(year, 1, 1))
    return _status(key, group, figure, year, created, moves)


def year_statuses(books: Books, year: int, regime=None) -> list[YearStatus]:
    """Every threshold of ``year`` for this business, with its turnover."""
    regime = regime or books.regime()
    created = books.business.created if books.business else None
    statuses = []
    for group, categories in _groups(books).items():
        cash = _movements(books, categories, "cash")
        statuses.append(_own_year(regime, "micro_ceiling", group, year, created, cash))
        vat_group = "services" if group == "services" else "sales"
        basis = _vat_basis(categories, regime, datetime.date(year, 1, 1))
        moves = cash if basis == "cash" else _movements(books, categories, basis)
        for key in ("vat_franchise_base", "vat_franchise_majorated"):
            statuses.append(_own_year(regime, key, vat_group, year, created, moves))
    return statuses


def _years(books: Books, until: datetime.date) -> range:
    first = books.business.created.year if books.business else until.year
    for items in (books.receipts, books.invoices.values()):
        if items:
            first = min(first, min(item.date for item in items).year)
    return range(first, until.year + 1)


def crossings(books: Books, until: datetime.date, regime=None) -> list[Crossing]:
    """Thresholds crossed with a legal consequence, up to ``until``."""
    regime = regime or books.regime()
    created = books.business.created if books.business else None
    found = []
    for group, categories in _groups(books).items():
        cash = _movements(books, categories, "cash")
        vat_group = "services" if group == "services" else "sales"
        basis = _vat_basis(categories, regime, until)
        vat_moves = cash if basis == "cash" else _movements(books, categories, basis)
        for year in _years(books, until):
            judged = (
                _ceiling_exit(regime, group, year, created, cash),
                _vat_base(regime, vat_group, year, created, vat_moves),
                _vat_majorated(regime, vat_group, year, created, vat_moves),
            )
            found += [crossing for crossing in judged if crossing]
    return found


def _vat_basis(categories, regime, on: datetime.date) -> str:
    """Cash received or operations performed (OQ-15), from the regime data."""
    bases = {regime.text("vat_threshold_basis", c, on) for c in categories}
    return "cash" if bases == {"cash"} else "invoiced"


def _figure_for(regime, key: str, group: str, year: int):
    """The figure in force on 1 January of ``year``, or of the year before."""
    try:
        return regime.figure(key, group, datetime.date(year, 1, 1)), ""
    except BeancountMicroError:
        figure = regime.figure(key, group, datetime.date(year - 1, 1, 1))
        return figure, f" ({year} figure not published: {year - 1}'s used)"


def _judged(key, group, figure, year, created, moves) -> YearStatus | None:
    """The status of ``year`` against ``figure`` (prorated), if it is crossed."""
    status = _status(key, group, figure, year, created, moves)
    return status if status.crossed else None


def _over(status: YearStatus, note: str = "") -> str:
    return (
        f"turnover reached {status.reached} EUR in {status.year}, over "
        f"{status.limit} EUR"
        + (" (prorated for the creation year)" if status.prorated else "")
        + note
    )


def _ceiling_exit(regime, group, year, created, moves) -> Crossing | None:
    """Year N-1 and year N over the ceiling in force for N+1: out on N+1-01-01.

    CGI art. 50-0 and 102 ter: the regime applies in a year unless the
    turnover of both previous years exceeds that year's ceiling.
    """
    figure, note = _figure_for(regime, "micro_ceiling", group, year + 1)
    previous_limit, _ = prorate(figure.value, year - 1, created)
    previous = sum((amount for amount, _ in moves.get(year - 1, ())), ZERO)
    if not moves.get(year - 1) or previous <= previous_limit:
        return None
    status = _judged("micro_ceiling", group, figure, year, created, moves)
    if status is None:
        return None
    return Crossing(
        status,
        f"micro ceiling ({group}) exceeded for the second consecutive year on "
        f"{status.crossed.date}: {previous} EUR in {year - 1} and "
        f"{_over(status, note)}, the ceiling in force for {year + 1}; the micro "
        f"regime ends on {year + 1}-01-01 (CGI art. 50-0 and 102 ter)",
    )


def _vat_base(regime, group, year, created, moves) -> Crossing | None:
    """Year N over the base threshold in force in N+1: VAT from N+1-01-01."""
    figure, note = _figure_for(regime, "vat_franchise_base", group, year + 1)
    status = _judged("vat_franchise_base", group, figure, year, created, moves)
    if status is None:
        return None
    return Crossing(
        status,
        f"VAT franchise base threshold ({group}) crossed on {status.crossed.date}: "
        f"{_over(status, note)}; the franchise ends on 31 December {year} and VAT "
        f"is due from {year + 1}-01-01 (CGI art. 293 B)",
    )


def _vat_majorated(regime, group, year, created, moves) -> Crossing | None:
    """Year N over the majorated threshold of N: VAT during the year."""
    figure = regime.figure("vat_franchise_majorated", group, datetime.date(year, 1, 1))
    status = _judged("vat_franchise_majorated", group, figure, year, created, moves)
    if status is None:
        return None
    day = status.crossed.date
    if regime.text("vat_majorated_effect", "all", day) == "first_day_of_month":
        due = (
            f"VAT is due from {day.replace(day=1)} "
            f"(CGI art. 293 B, as in force in {year})"
        )
    else:
        due = (
            f"VAT is due from {day} on this operation and every later one "
            "(CGI art. 293 B III)"
        )
    return Crossing(
        status,
        f"VAT franchise majorated threshold ({group}) crossed on {day}: "
        f"{_over(status)}; {due}",
    )


def yearly_turnover(books: Books) -> dict[int, Decimal]:
    """Cash received per calendar year, every category together."""
    totals: dict[int, Decimal] = {}
    for receipt in books.receipts:
        totals[receipt.date.year] = totals.get(receipt.date.year, ZERO) + receipt.amount
    return totals


def dedicated_account_required_from(
    books: Books, regime=None
) -> tuple[datetime.date | None, str]:
    """The day a dedicated bank account becomes required, and the reason."""
    regime = regime or books.regime()
    totals = yearly_turnover(books)
    for year in sorted(totals):
        previous = totals.get(year - 1)
        if previous is None:
            continue
        limit = regime.value(
            "dedicated_account_threshold", "all", datetime.date(year, 1, 1)
        )
        if previous > limit and totals[year] > limit:
            return datetime.date(year + 1, 1, 1), (
                f"turnover {previous} EUR in {year - 1} and {totals[year]} EUR in "
                f"{year}, both over {limit} EUR (CSS art. L613-10)"
            )
    return None, ""
