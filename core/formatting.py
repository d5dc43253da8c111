"""French formatting of amounts and dates for documents.

Amounts and dates use babel's French locale. ``percent`` and ``whole_euros``,
which the plugins use for the notes of every URSSAF period, are written out
by hand so that loading a ledger does not import babel and its locale data.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

LOCALE = "fr_FR"
NARROW_SPACE = "\u202f"  # between thousands, as babel's fr_FR writes them
NO_BREAK_SPACE = "\u00a0"  # before "%" and "€"


def euros(amount: Decimal) -> str:
    """``Decimal('1500')`` -> ``'1 500,00 €'`` (narrow no-break spaces)."""
    from babel.numbers import format_currency

    return format_currency(amount, "EUR", locale=LOCALE)


def number(value: Decimal, digits: int | None = 2) -> str:
    """A French decimal: ``'1 500,00'`` with ``digits`` fixed, ``'2,5'`` with None."""
    from babel.numbers import format_decimal

    if digits is None:
        return format_decimal(value, locale=LOCALE)
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE)


def _grouped(whole: int) -> str:
    return f"{whole:,}".replace(",", NARROW_SPACE)


def whole_euros(amount: Decimal) -> str:
    """``Decimal('1234.4')`` -> ``'1 234 €'``, rounded half-up to the euro."""
    whole = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{_grouped(whole)}{NO_BREAK_SPACE}€"


def percent(rate: Decimal) -> str:
    """A rate given as a fraction, shown in percent: ``0.256`` -> ``'25,6 %'``."""
    text = format((rate * 100).normalize(), "f")
    whole, _, decimals = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = sign + _grouped(abs(int(whole)))
    return grouped + ("," + decimals if decimals else "") + NO_BREAK_SPACE + "%"


def long_date(day: datetime.date) -> str:
    """``2026-03-31`` -> ``'31 mars 2026'``."""
    from babel.dates import format_date

    return format_date(day, format="d MMMM y", locale=LOCALE)


def short_date(day: datetime.date) -> str:
    """``2026-03-31`` -> ``'31/03/2026'``."""
    return day.strftime("%d/%m/%Y")


def plain(value: Decimal) -> str:
    """A decimal as plain text, without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text
