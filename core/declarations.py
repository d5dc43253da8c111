"""The URSSAF declarations of the books: what to declare, by when, and status.

For every month or quarter since the start of activity (the first
declaration covering several periods, per the 90-day rule), the turnover
cashed in the period per activity category, the contributions computed by
:func:`beancount_micro.urssaf.compute_declaration` at the rates of the
period, the deadline, and the status:

- ``declared``: a declaration directive names the period, filed by the
  deadline; ``declared-late``: filed after it (the penalty is due);
- ``in-progress``: the period has not ended; ``due``: ended, deadline ahead;
- ``late``: deadline passed and nothing declared: the penalty of CSS
  art. R613-9 (1.5 % of the PMSS, rounded up to the euro) is due.

A declared turnover that differs from the books (an entry added or edited
after declaring) is reported with both figures.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

from beancount_micro.model import ZERO, Books, DeclarationMade, Receipt
from beancount_micro.periods import (
    Period,
    declaration_periods,
    late_penalty,
    next_period,
    period_containing,
)
from beancount_micro.urssaf import DeclarationCalc, compute_declaration

STATUSES = ("declared", "declared-late", "in-progress", "due", "late")


@dataclass
class PeriodReport:
    """One URSSAF period: books, computation, declaration made, status."""

    period: Period
    turnover: dict[str, dict[str, Decimal]]  # category -> part id -> cashed
    calcs: list[DeclarationCalc]
    declared: DeclarationMade | None
    status: str
    penalty: Decimal
    paid: Decimal
    receipts: list[Receipt] = field(default_factory=list, repr=False)
    negative: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def books_turnover(self) -> Decimal:
        """The turnover to declare: each box rounded to the euro, summed."""
        return sum((calc.turnover for calc in self.calcs), ZERO)

    @property
    def total_to_pay(self) -> Decimal:
        return sum((calc.total_to_pay for calc in self.calcs), ZERO)

    def mismatch(self) -> str:
        """Describe a difference between the declaration and the books, if any."""
        if self.declared is None:
            return ""
        differences = []
        if self.declared.turnover != self.books_turnover:
            differences.append(
                f"declared {self.declared.turnover} EUR, books give "
                f"{self.books_turnover} EUR"
            )
        for calc in self.calcs:
            said = self.declared.by_category.get(calc.category)
            if said is not None and said != calc.turnover:
                differences.append(
                    f"{calc.category}: declared {said} EUR, "
                    f"books give {calc.turnover} EUR"
                )
        return "; ".join(differences)

    def to_json(self) -> dict:
        declared = self.declared
        return {
            "period": self.period.id,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "deadline": self.period.deadline.isoformat(),
            "status": self.status,
            "turnover": str(self.books_turnover),
            "total_to_pay": str(self.total_to_pay),
            "penalty": str(self.penalty),
            "declared_on": declared.date.isoformat() if declared else None,
            "declared_turnover": str(declared.turnover) if declared else None,
            "paid": str(self.paid),
            "mismatch": self.mismatch() or None,
            "categories": [calc.to_json() for calc in self.calcs],
        }


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _part_of(period: Period, day: datetime.date) -> Period | None:
    for part in period.parts or (period,):
        if part.start <= day <= part.end:
            return part
    return None


def _status(period: Period, declared, today: datetime.date) -> str:
    if declared is not None:
        return "declared" if declared.date <= period.deadline else "declared-late"
    if today <= period.end:
        return "in-progress"
    return "due" if today <= period.deadline else "late"


def _periods(business, last: datetime.date, regime) -> list[Period]:
    """Declaration periods, switching periodicity where the business changed it.

    A change takes effect on its directive's date (a change for the next year
    is asked by 31 October and starts on 1 January, REGIME.md §3).
    """
    changes = [
        (day, values["periodicity"])
        for day, values in business.changes
        if "periodicity" in values
    ]
    periods = declaration_periods(
        business.created, business.periodicity, last, regime=regime
    )
    for day, periodicity in changes:
        periods = [period for period in periods if period.end < day]
        period = period_containing(day, periodicity, regime)
        while period.start <= last:
            periods.append(period)
            period = next_period(period, regime)
    return periods


def urssaf_report(
    books: Books, today: datetime.date, regime=None
) -> tuple[list[PeriodReport], list[DeclarationMade]]:
    """Report every period up to ``today``, and the declarations naming none."""
    business = books.business
    if business is None:
        return [], list(books.declarations)
    regime = regime or books.regime()
    last = max(today, books.last_date or today)
    periods = _periods(business, last, regime)
    by_id = {period.id: period for period in periods}
    declared: dict[str, DeclarationMade] = {}
    unknown = []
    for declaration in books.declarations:
        if declaration.period_id in by_id and declaration.period_id not in declared:
            declared[declaration.period_id] = declaration
        else:
            unknown.append(declaration)
    books.cache["declared"] = declared

    receipts: dict[str, list[Receipt]] = defaultdict(list)
    index = 0
    ordered = sorted(books.receipts, key=attrgetter("date"))
    for period in periods:
        while index < len(ordered) and ordered[index].date <= period.end:
            if ordered[index].date >= period.start:
                receipts[period.id].append(ordered[index])
            index += 1

    reports = [
        _period_report(
            books, period, receipts[period.id], declared.get(period.id), today, regime
        )
        for period in periods
    ]
    return reports, unknown


def _period_report(books, period, receipts, declared, today, regime) -> PeriodReport:
    business = books.business
    turnover: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    whole = None if period.parts else period.id
    for receipt in receipts:
        part_id = whole or _part_of(period, receipt.date).id
        for category, amount in receipt.by_category.items():
            turnover[category][part_id] += amount
    categories = list(business.categories) or sorted(turnover)
    for category in turnover:
        if category not in categories:
            categories.append(category)
    parts = period.parts or (period,)
    calcs = []
    negative = []
    for category in categories:
        amounts = {part.id: turnover[category].get(part.id, ZERO) for part in parts}
        # Refunds over receipts (OQ-8): reported, and the box counts as zero
        # so that every other period can still be computed.
        negative += [(part, amount) for part, amount in amounts.items() if amount < 0]
        amounts = {part: max(amount, ZERO) for part, amount in amounts.items()}
        calcs.append(
            compute_declaration(
                category,
                period,
                amounts if period.parts else amounts[period.id],
                acre=business.acre,
                versement_liberatoire=business.setting_on(
                    "versement_liberatoire", period.start
                ),
                created=business.created,
                nature=business.nature,
                regime=regime,
            )
        )
    status = _status(period, declared, today)
    penalty = ZERO
    if status in ("late", "declared-late"):
        penalty = late_penalty(period.deadline, regime)
    paid = sum(
        (
            posting.units.number
            for entry in books.urssaf_payments.get(period.id, ())
            for posting in entry.postings
            if posting.units.number > 0
        ),
        ZERO,
    )
    return PeriodReport(
        period=period,
        turnover={k: dict(v) for k, v in turnover.items()},
        calcs=calcs,
        declared=declared,
        status=status,
        penalty=penalty,
        paid=paid,
        receipts=receipts,
        negative=negative,
    )


def next_deadline(reports: list[PeriodReport]) -> PeriodReport | None:
    """The first period still to declare, if any."""
    waiting = [r for r in reports if r.status in ("in-progress", "due", "late")]
    return min(waiting, key=lambda r: r.period.deadline) if waiting else None
