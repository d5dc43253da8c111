"""Loading regime TOML files: good rows load, bad rows name file, row and field."""

import textwrap
from datetime import date
from decimal import Decimal

import pytest
from beancount_micro.errors import LedgerInputError
from beancount_micro.regime import (
    PACKAGED_DATA,
    Regime,
    RegimeDataError,
    load_figures,
)

GOOD_ROW = """
[[figure]]
key = "urssaf_rate"
scope = "bnc_ssi"
valid_from = "2027-01-01"
valid_to = "2027-12-31"
value = "0.262"
unit = "rate"
axis = "cash_date"
source = "décret 2026-xxx"
tag = "unverified"
"""


def write(tmp_path, text: str):
    path = tmp_path / "regime-2027.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_user_file_loads_and_overrides(tmp_path):
    figures = load_figures(write(tmp_path, GOOD_ROW))
    assert len(figures) == 1
    figure = figures[0]
    assert (figure.key, figure.scope, figure.value) == (
        "urssaf_rate",
        "bnc_ssi",
        Decimal("0.262"),
    )
    assert (figure.valid_from, figure.valid_to) == (
        date(2027, 1, 1),
        date(2027, 12, 31),
    )
    regime = Regime.default().with_figures(figures)
    assert regime.value("urssaf_rate", "bnc_ssi", date(2027, 6, 1)) == Decimal("0.262")


def test_native_toml_dates_are_accepted(tmp_path):
    text = GOOD_ROW.replace('"2027-01-01"', "2027-01-01").replace(
        '"2027-12-31"', "2027-12-31"
    )
    assert load_figures(write(tmp_path, text))[0].valid_from == date(2027, 1, 1)


def test_packaged_file_loads_with_every_row(tmp_path):
    text = PACKAGED_DATA.read_text(encoding="utf-8")
    headers = [line for line in text.splitlines() if line == "[[figure]]"]
    assert len(load_figures(PACKAGED_DATA)) == len(headers)


def test_corrupted_toml_names_file_and_line(tmp_path):
    path = write(tmp_path, GOOD_ROW + 'key = "duplicate\n')
    with pytest.raises(RegimeDataError) as caught:
        load_figures(path)
    error = caught.value
    assert isinstance(error, LedgerInputError)
    assert error.filename == str(path)
    assert error.lineno == 12  # the unterminated string
    assert str(error).startswith(f"{path}:12: bad TOML")


def test_file_without_figure_tables_is_refused(tmp_path):
    with pytest.raises(RegimeDataError, match="expected \\[\\[figure\\]\\] tables"):
        load_figures(write(tmp_path, 'title = "nothing"\n'))


def test_missing_file_is_a_regime_data_error(tmp_path):
    with pytest.raises(RegimeDataError, match="cannot read"):
        load_figures(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        ('key = "urssaf_rate"\n', "", "key", "required field is missing"),
        ('value = "0.262"', 'value = "abc"', "value", "expected a decimal number"),
        ('value = "0.262"', "value = 0.262", "value", "expected a decimal number"),
        ('value = "0.262"', 'value = "NaN"', "value", "expected a decimal number"),
        (
            'valid_from = "2027-01-01"',
            'valid_from = "2027-13-01"',
            "valid_from",
            "date",
        ),
        ('valid_to = "2027-12-31"', 'valid_to = "2026-12-31"', "valid_to", "before"),
        ('unit = "rate"', 'unit = "percent"', "unit", "expected one of"),
        ('axis = "cash_date"', 'axis = "whenever"', "axis", "expected one of"),
        ('tag = "unverified"', 'tag = "sure"', "tag", "expected one of"),
        ('tag = "unverified"', 'tag = "code"\nnote = "x"', "note", "unknown field"),
        ('scope = "bnc_ssi"', 'scope = ""', "scope", "non-empty string"),
    ],
)
def test_bad_second_row_names_file_row_line_and_field(
    tmp_path, old, new, field, expected
):
    second = GOOD_ROW.replace("2027", "2028")
    path = write(tmp_path, GOOD_ROW + second.replace(old.replace("2027", "2028"), new))
    with pytest.raises(RegimeDataError) as caught:
        load_figures(path)
    error = caught.value
    assert error.filename == str(path)
    assert error.lineno == 13  # the [[figure]] header of the second row
    assert "row 2" in error.detail
    assert f"field {field!r}" in error.detail
    assert expected in error.detail


def test_income_year_figure_must_start_on_the_first_of_january(tmp_path):
    row = GOOD_ROW.replace('axis = "cash_date"', 'axis = "income_year"')
    with pytest.raises(RegimeDataError) as caught:
        load_figures(write(tmp_path, row.replace("2027-01-01", "2027-02-01")))
    assert "row 1" in caught.value.detail
    assert "field 'valid_from'" in caught.value.detail


def test_overlapping_rows_for_one_key_and_scope_are_refused(tmp_path):
    overlapping = GOOD_ROW.replace("2027-01-01", "2027-07-01").replace(
        'valid_to = "2027-12-31"\n', ""
    )
    with pytest.raises(RegimeDataError) as caught:
        load_figures(write(tmp_path, GOOD_ROW + overlapping))
    assert "row 2" in caught.value.detail
    assert "overlaps row 1" in caught.value.detail
    assert caught.value.lineno == 13


def test_same_dates_for_another_scope_do_not_overlap(tmp_path):
    other = GOOD_ROW.replace('scope = "bnc_ssi"', 'scope = "bnc_cipav"')
    assert len(load_figures(write(tmp_path, GOOD_ROW + other))) == 2


def test_value_of_a_text_figure_is_refused():
    with pytest.raises(RegimeDataError, match="is a text"):
        Regime.default().value("vat_franchise_mention", "all", date(2026, 1, 1))
