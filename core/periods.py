"""URSSAF declaration periods, their deadlines and the late-filing penalty.

A period is a month (``2026-03``), a quarter (``2026-Q1``) or, for the first
declaration of a new business, several of them joined with ``+``
(``2025-Q1+2025-Q2``). Deadlines and the length of the first declaration come
from the dated regime data, not from constants here.

>>> parse_period("2026-Q1").deadline
datetime.date(2026, 4, 30)
"""

import calendar
import re
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from itertools import pairwise
from typing import NamedTuple

from beancount_micro.errors import BeancountMicroError
from beancount_micro.model import PERIODICITIES
from beancount_micro.regime import Regime

_PART = re.compile(r"(?P<year>\d{4})-(?:Q(?P<quarter>\d)|(?P<month>\d{2}))")


class PeriodError(BeancountMicroError):
    """A period name or a periodicity is not one the declarations use."""


class Period(NamedTuple):
    """A declaration period: one month, one quarter, or several joined.

    ``parts`` lists the months or quarters of a joined period (the first
    declaration of a business); it is empty for a single month or quarter.
    ``start`` is the first day covered (the creation date for the first
    declaration), ``end`` the last, ``deadline`` the last day to file.
    """

    id: str
    start: date
    end: date
    deadline: date
    parts: tuple["Period", ...] = ()

    @property
    def boxes(self) -> tuple["Period", ...]:
        """The single periods declared: the parts, or the period itself."""
        return self.parts or (self,)

    @property
    def periodicity(self) -> str:
        """``"monthly"`` or ``"quarterly"``."""
        return "quarterly" if "Q" in self.boxes[0].id else "monthly"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def parse_period(text: str, regime: Regime | None = None) -> Period:
    """Read a period name: ``2026-03``, ``2026-Q1`` or ``2025-Q1+2025-Q2``.

    Raises:
        PeriodError: the name is malformed, or joined parts are not
            consecutive periods of the same kind.
    """
    regime = regime or Regime.default()
    names = [name.strip() for name in str(text).strip().upper().split("+")]
    parts = [_parse_single(name, text, regime) for name in names]
    if len(parts) == 1:
        return parts[0]

    kinds = {part.periodicity for part in parts}
    if len(kinds) > 1:
        raise PeriodError(f"period {text!r}: cannot join months and quarters")
    for before, after in pairwise(parts):
        if after.start != before.end + timedelta(days=1):
            raise PeriodError(
                f"period {text!r}: {after.id} does not follow {before.id}"
            )
    return _join(parts)


def declaration_periods(
    created: date,
    periodicity: str,
    until: date,
    regime: Regime | None = None,
) -> list[Period]:
    """List the periods to declare from the creation date up to ``until``.

    The first declaration follows the 90-day rule: it covers the period of
    creation and the next ones (the number comes from the regime data) and
    starts on the creation date. Then every month or quarter follows. A
    period is listed when its start is on or before ``until``.

    Raises:
        PeriodError: unknown periodicity.
    """
    if periodicity not in PERIODICITIES:
        raise PeriodError(f"periodicity {periodicity!r}: expected monthly or quarterly")
    regime = regime or Regime.default()

    # The first declaration: period of creation plus the next ones.
    extra = int(regime.value("first_declaration_span", periodicity, created))
    first = period_containing(created, periodicity, regime)
    parts = [_clip_start(first, created)]
    for _ in range(extra):
        parts.append(next_period(parts[-1], regime))
    periods = [_join(parts) if len(parts) > 1 else parts[0]]

    # Then one period after the other.
    current = parts[-1]
    while True:
        current = next_period(current, regime)
        if current.start > until:
            break
        periods.append(current)
    return [p for p in periods if p.start <= until]


def period_containing(
    day: date, periodicity: str, regime: Regime | None = None
) -> Period:
    """Return the month or quarter that contains ``day``."""
    if periodicity == "monthly":
        name = f"{day.year:04d}-{day.month:02d}"
    elif periodicity == "quarterly":
        name = f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    else:
        raise PeriodError(f"periodicity {periodicity!r}: expected monthly or quarterly")
    return parse_period(name, regime)


def next_period(period: Period, regime: Regime | None = None) -> Period:
    """Return the month or quarter right after ``period`` (or its last part)."""
    return period_containing(
        period.end + timedelta(days=1), period.boxes[-1].periodicity, regime
    )


def late_penalty(deadline: date, regime: Regime | None = None) -> Decimal:
    """Penalty for one late declaration: a share of the PMSS, rounded up.

    CSS R613-9: 1.5 % of the monthly social security ceiling in force at the
    deadline, rounded up to the next euro (58 € in 2024, 59 € in 2025).

    Raises:
        MissingFigureError: the PMSS of that year is not published.
    """
    regime = regime or Regime.default()
    share = regime.value("late_declaration_penalty_share", "all", deadline)
    pmss = regime.value("pmss", "all", deadline)
    return (share * pmss).quantize(Decimal(1), rounding=ROUND_CEILING)


def _parse_single(name: str, text: str, regime: Regime) -> Period:
    match = _PART.fullmatch(name)
    if not match:
        raise PeriodError(
            f"period {text!r}: expected YYYY-MM, YYYY-Qn or parts joined with '+'"
        )
    year = int(match["year"])
    if match["quarter"] is not None:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise PeriodError(f"period {text!r}: quarter must be Q1 to Q4")
        first_month, last_month, periodicity = 3 * quarter - 2, 3 * quarter, "quarterly"
    else:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(f"period {text!r}: month must be 01 to 12")
        first_month, last_month, periodicity = month, month, "monthly"
    if not 1900 <= year <= 2999:
        raise PeriodError(f"period {text!r}: year out of range")

    start = date(year, first_month, 1)
    end = _month_end(year, last_month)
    return Period(name, start, end, _deadline(end, periodicity, regime))


def _deadline(end: date, periodicity: str, regime: Regime) -> date:
    """Last day of the n-th month after the month the period ends."""
    months = int(regime.value("declaration_deadline_months", periodicity, end))
    index = end.year * 12 + end.month - 1 + months
    return _month_end(index // 12, index % 12 + 1)


def _join(parts: list[Period]) -> Period:
    return Period(
        "+".join(part.id for part in parts),
        parts[0].start,
        parts[-1].end,
        parts[-1].deadline,
        tuple(parts),
    )


def _clip_start(period: Period, start: date) -> Period:
    return Period(period.id, start, period.end, period.deadline)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
