"""French formatting: what documents print."""

import datetime
from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from beancount_micro.formatting import euros, long_date, percent, whole_euros


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (Decimal("0.256"), "25,6\u00a0%"),
        (Decimal("0.002"), "0,2\u00a0%"),
        (Decimal("0.00015"), "0,015\u00a0%"),
        (Decimal("0.1"), "10\u00a0%"),
        (Decimal("12.5"), "1\u202f250\u00a0%"),
    ],
)
def test_percent_writes_a_fraction_the_french_way(rate, text):
    assert percent(rate) == text
    # The same digits babel writes for the French locale.
    number = text.split("\u00a0")[0]
    assert number == format_decimal(rate * 100, locale="fr_FR")


def test_whole_euros_round_half_up_and_group_thousands():
    assert whole_euros(Decimal("1234.5")) == "1\u202f235\u00a0€"
    assert whole_euros(Decimal("5000")) == "5\u202f000\u00a0€"
    assert whole_euros(Decimal("5000")).replace("\u00a0€", ",00\u00a0€") == (
        format_currency(Decimal("5000"), "EUR", locale="fr_FR")
    )


def test_euros_and_dates():
    assert euros(Decimal("1500")) == "1\u202f500,00\u00a0€"
    assert long_date(datetime.date(2026, 3, 31)) == "31 mars 2026"
