"""ACRE, the reduced contributions of a new business (REGIME.md §2.4).

The reduction lasts from the start of activity to the end of the third
calendar quarter after the quarter of start (OQ-17; ``months_12`` gives 12
months instead). The share of the normal rate that is paid depends on the
creation date (50 % before 2026-07-01, 75 % from then, OQ-4), and the reduced
rate is rounded to the step the regime data gives (a tenth of a point, to the
nearest as URSSAF's engine does; ``up`` as the 2009 wording of CSS D131-6-3).
CIPAV businesses keep the engine's fixed reduced rates.

    acre_window(date(2026, 9, 1))   # (date(2026, 9, 1), date(2027, 6, 30))
"""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any, Literal

from beancount_micro.errors import BeancountMicroError
from beancount_micro.formatting import percent, plain
from beancount_micro.periods import Period
from beancount_micro.regime import Figure, Regime

EURO = Decimal(1)


class AcreSettingError(BeancountMicroError):
    """An ACRE setting that is not one of the documented values."""


def acre_window(
    created: date,
    *,
    duration: Literal["quarters", "months_12"] = "quarters",
    regime: Regime | None = None,
) -> tuple[date, date]:
    """Return the first and last day of the ACRE reduction.

    By default the window runs from the start of activity to the end of the
    third calendar quarter after the quarter of start (start 2026-09-01 ->
    2027-06-30); ``months_12`` gives 12 months from the start instead.
    """
    regime = regime or Regime.default()
    if duration == "months_12":
        months = int(regime.value("acre_window_months", "all", created))
        return created, add_months(created, months) - timedelta(days=1)
    if duration != "quarters":
        raise AcreSettingError(
            f"ACRE duration {duration!r}: expected quarters or months_12"
        )
    quarters = int(regime.value("acre_window_quarters", "all", created))
    index = created.year * 4 + (created.month - 1) // 3 + quarters
    next_quarter_start = add_months(date(index // 4, (index % 4) * 3 + 1, 1), 3)
    return created, next_quarter_start - timedelta(days=1)


def reduced_rate(
    settings: Any, box: Period, normal: Figure, warnings: list[str]
) -> tuple[Decimal, str, str] | None:
    """The reduced rate, its source and note, or None outside ACRE."""
    if not settings.acre or settings.created is None:
        return None
    regime, on = settings.regime, box.start
    first, last = acre_window(
        settings.created, duration=settings.acre_duration, regime=regime
    )
    if box.end < first or box.start > last:
        warnings.append(
            f"ACRE window {first} to {last} does not cover {box.id}: normal rate"
        )
        return None
    if box.end > last:
        warnings.append(
            f"ACRE window ends on {last}, inside {box.id}: reduced rate for the "
            "whole period"
        )

    share_day = (
        settings.created if settings.acre_transition == "by_creation_date" else on
    )
    share = regime.figure("acre_share_paid", "all", share_day)
    if settings.category == "bnc_cipav":
        return _cipav_rate(settings, on, normal, share, warnings)

    step = regime.value("acre_rate_step", "all", on)
    rounding = ROUND_UP if settings.acre_rounding == "up" else ROUND_HALF_UP
    rate = (normal.value * share.value / step).quantize(EURO, rounding=rounding) * step
    note = f"ACRE : {percent(share.value)} du taux normal de {percent(normal.value)}"
    return rate, f"{normal.source}; ACRE: {share.source}", note


def _cipav_rate(
    settings: Any, on: date, normal: Figure, share: Figure, warnings: list[str]
) -> tuple[Decimal, str, str]:
    """CIPAV: the engine's fixed reduced rate, with a warning if the rule differs."""
    regime = settings.regime
    fixed = regime.figure("acre_rate_fixed", "bnc_cipav", on)
    set_for = regime.figure("acre_share_paid", "all", fixed.valid_from)
    if set_for.value != share.value:
        by_rule = normal.value * share.value
        warnings.append(
            f"CIPAV ACRE: the engine's fixed rate {plain(fixed.value * 100)} % is "
            f"used; the rule {plain(share.value * 100)} % x "
            f"{plain(normal.value * 100)} % gives {plain(by_rule * 100)} % "
            "(no official figure published)"
        )
    note = f"ACRE : taux réduit fixe de la CIPAV ({percent(fixed.value)})"
    return fixed.value, f"{fixed.source}; ACRE: {share.source}", note


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))
