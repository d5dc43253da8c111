"""French formatting of amounts and dates for documents (babel)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALE = "fr_FR"


def euros(amount: Decimal) -> str:
    """``Decimal('1500')`` -> ``'1 500,00 €'`` (narrow no-break spaces)."""
    return format_currency(amount, "EUR", locale=LOCALE)


def number(value: Decimal, digits: int | None = 2) -> str:
    """A French decimal: ``'1 500,00'`` with ``digits`` fixed, ``'2,5'`` with None."""
    if digits is None:
        return format_decimal(value, locale=LOCALE)
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE)


def whole_euros(amount: Decimal) -> str:
    """``Decimal('1234.4')`` -> ``'1 234 €'``, rounded half-up to the euro."""
    return format_currency(
        amount.quantize(Decimal(1), rounding=ROUND_HALF_UP),
        "EUR",
        format="#,##0\u00a0¤",
        currency_digits=False,
        locale=LOCALE,
    )


def percent(rate: Decimal) -> str:
    """A rate given as a fraction, shown in percent: ``0.256`` -> ``'25,6 %'``."""
    value = (rate * 100).normalize()
    text = format_decimal(value, locale=LOCALE)
    return f"{text}\u00a0%"


def long_date(day: datetime.date) -> str:
    """``2026-03-31`` -> ``'31 mars 2026'``."""
    return format_date(day, format="d MMMM y", locale=LOCALE)


def short_date(day: datetime.date) -> str:
    """``2026-03-31`` -> ``'31/03/2026'``."""
    return day.strftime("%d/%m/%Y")
