"""Declaration periods: names, deadlines, the 90-day first declaration, penalty."""

from datetime import date
from decimal import Decimal

import pytest
from beancount_micro.periods import (
    PeriodError,
    declaration_periods,
    late_penalty,
    parse_period,
)
from beancount_micro.regime import MissingFigureError

# Monthly: last day of the following month (REGIME.md §3), written out by hand.
MONTHLY_DEADLINES = {
    2025: "02-28 03-31 04-30 05-31 06-30 07-31 08-31 09-30 10-31 11-30 12-31",
    2026: "02-28 03-31 04-30 05-31 06-30 07-31 08-31 09-30 10-31 11-30 12-31",
    2027: "02-28 03-31 04-30 05-31 06-30 07-31 08-31 09-30 10-31 11-30 12-31",
}
MONTHLY_CASES = [
    (f"{year}-{month:02d}", date.fromisoformat(f"{year}-{day}"))
    for year, days in MONTHLY_DEADLINES.items()
    for month, day in enumerate(days.split(), start=1)
] + [
    ("2025-12", date(2026, 1, 31)),
    ("2026-12", date(2027, 1, 31)),
    ("2027-12", date(2028, 1, 31)),
]
# Quarterly: 30 April, 31 July, 31 October, 31 January of N+1.
QUARTERLY_CASES = (
    [(f"{year}-Q1", date(year, 4, 30)) for year in (2025, 2026, 2027)]
    + [(f"{year}-Q2", date(year, 7, 31)) for year in (2025, 2026, 2027)]
    + [(f"{year}-Q3", date(year, 10, 31)) for year in (2025, 2026, 2027)]
    + [(f"{year}-Q4", date(year + 1, 1, 31)) for year in (2025, 2026, 2027)]
)


@pytest.mark.parametrize(("name", "deadline"), MONTHLY_CASES + QUARTERLY_CASES)
def test_deadline_of_each_period_2025_to_2027(name, deadline):
    assert parse_period(name).deadline == deadline


def test_quarter_covers_its_three_months():
    period = parse_period("2026-Q1")
    assert (period.id, period.start, period.end) == (
        "2026-Q1",
        date(2026, 1, 1),
        date(2026, 3, 31),
    )
    assert period.parts == ()
    assert date(2026, 3, 31) in period
    assert date(2026, 4, 1) not in period


def test_month_of_february_in_a_leap_year():
    period = parse_period("2024-02")
    assert (period.start, period.end, period.deadline) == (
        date(2024, 2, 1),
        date(2024, 2, 29),
        date(2024, 3, 31),
    )


def test_joined_period_runs_from_first_part_to_last_and_is_due_with_the_last():
    period = parse_period("2025-Q1+2025-Q2")
    assert [part.id for part in period.parts] == ["2025-Q1", "2025-Q2"]
    assert (period.start, period.end, period.deadline) == (
        date(2025, 1, 1),
        date(2025, 6, 30),
        date(2025, 7, 31),
    )


def test_joined_months_across_a_year_end():
    period = parse_period("2025-11+2025-12+2026-01")
    assert period.deadline == date(2026, 2, 28)
    assert period.periodicity == "monthly"


@pytest.mark.parametrize(
    "text",
    [
        "2026-Q5",
        "2026-Q0",
        "2026-13",
        "2026-00",
        "2026",
        "26-Q1",
        "2026-1",
        "2026-Q1 2026-Q2",
        "garbage",
        "",
        "2026-Q1+",
        "2026-Q1+2026-Q3",  # not consecutive
        "2026-Q1+2026-04",  # quarter joined with a month
        "2026-Q1+2026-Q1",  # the same quarter twice
        "2026-03+2026-02",  # backwards
    ],
)
def test_bad_period_names_are_refused(text):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert repr(text) in str(caught.value)


def test_first_monthly_declaration_covers_three_more_months():
    periods = declaration_periods(date(2025, 3, 6), "monthly", date(2025, 8, 15))
    first = periods[0]
    assert first.id == "2025-03+2025-04+2025-05+2025-06"
    assert (first.start, first.end, first.deadline) == (
        date(2025, 3, 6),
        date(2025, 6, 30),
        date(2025, 7, 31),
    )
    assert first.parts[0].start == date(2025, 3, 6)
    assert [p.id for p in periods[1:]] == ["2025-07", "2025-08"]
    assert periods[1].deadline == date(2025, 8, 31)


def test_first_quarterly_declaration_covers_the_next_quarter():
    periods = declaration_periods(date(2025, 3, 6), "quarterly", date(2026, 1, 1))
    assert [p.id for p in periods] == [
        "2025-Q1+2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]
    assert periods[0].start == date(2025, 3, 6)
    assert periods[0].deadline == date(2025, 7, 31)
    assert periods[-1].deadline == date(2026, 4, 30)


def test_creation_in_november_is_first_declared_in_april():
    first = declaration_periods(date(2025, 11, 15), "quarterly", date(2025, 12, 1))[0]
    assert first.id == "2025-Q4+2026-Q1"
    assert (first.end, first.deadline) == (date(2026, 3, 31), date(2026, 4, 30))


def test_nothing_to_declare_before_creation():
    assert declaration_periods(date(2026, 5, 1), "monthly", date(2026, 4, 30)) == []


def test_unknown_periodicity_is_refused():
    with pytest.raises(PeriodError, match="expected monthly or quarterly"):
        declaration_periods(date(2026, 5, 1), "yearly", date(2026, 12, 31))


@pytest.mark.parametrize(
    ("deadline", "penalty"),
    [
        (date(2024, 4, 30), "58"),  # 1.5 % x 3 864 = 57.96
        (date(2025, 1, 31), "59"),  # 2024-Q4 is due in 2025: PMSS 2025
        (date(2025, 7, 31), "59"),  # 1.5 % x 3 925 = 58.875
        (date(2026, 4, 30), "61"),  # 1.5 % x 4 005 = 60.075, rounded up
    ],
)
def test_late_declaration_penalty_is_rounded_up_to_the_euro(deadline, penalty):
    assert late_penalty(deadline) == Decimal(penalty)


def test_late_penalty_without_a_published_pmss_raises():
    with pytest.raises(MissingFigureError, match="'pmss'"):
        late_penalty(date(2027, 4, 30))
