"""SIRET and SIREN: shape checked while reading, checksum by python-stdnum."""

import pytest
from beancount import loader
from beancount_micro.identity import compact, identity_problems, shape_problem
from beancount_micro.model import read_books
from ledgers import HEADER, ledger
from stdnum.fr import siren

GOOD_SIRET, GOOD_SIREN = "73282932000074", "732829320"


@pytest.mark.parametrize(
    ("number", "digits", "expected"),
    [
        (GOOD_SIRET, 14, None),
        (GOOD_SIREN, 9, None),
        ("7328293200007", 14, "expected 14 digits, found 13"),
        ("7328293200007O", 14, "expected 14 digits, found 'O' at position 14"),
        ("73282932X", 9, "expected 9 digits, found 'X' at position 9"),
    ],
)
def test_shape(number, digits, expected):
    assert shape_problem(number, digits) == expected


@pytest.mark.parametrize(
    "written",
    [
        "732 829 320",
        "732\u00a0829\u00a0320",  # no-break spaces
        "732\u202f829\u202f320",  # narrow no-break spaces, as French typography has
        "732.829.320",
        "732\u00b7829\u00b7320",  # middle dots
        "\uff17\uff13\uff12\uff18\uff12\uff19\uff13\uff12\uff10",  # full-width
        "732\u2022829\u2022320",  # bullets
    ],
)
def test_numbers_are_compacted_as_python_stdnum_reads_them(written):
    assert compact(written) == GOOD_SIREN
    assert siren.compact(written) == GOOD_SIREN


def test_other_characters_stay_for_the_shape_check_to_name():
    # A circled twenty is no pair of digits (NFKC would make it "20").
    number = compact("7328293\u247300074")
    assert shape_problem(number, 14) == (
        "expected 14 digits, found '\u2473' at position 8"
    )


def books_of(text: str):
    entries, _, options = loader.load_string(text)
    return read_books(entries, options)


def test_a_checksum_error_is_found_by_stdnum_and_names_the_line():
    # 14 digits, but the Luhn sum of 12345678901234 is 57, not a multiple of 10;
    # that of 123456789 is 47.
    text = ledger("").replace(GOOD_SIRET, "12345678901234")
    text = text.replace(f'siren: "{GOOD_SIREN}"', 'siren: "123456789"')
    [business, client] = identity_problems(books_of(text))
    assert business.message.startswith("business SIRET '12345678901234' is invalid")
    assert (
        business.source["lineno"]
        == text.splitlines().index('2025-03-10 custom "micro" "business"') + 1
    )
    assert client.message.startswith(
        "client Assets:Clients:Acme: SIREN '123456789' is invalid"
    )


def test_valid_numbers_and_la_poste_pass():
    assert identity_problems(books_of(ledger(""))) == []
    # La Poste's SIRETs (SIREN 356000000) follow their own sum rule, which
    # python-stdnum knows: 35600000049837 fails plain Luhn but is valid.
    text = ledger("").replace(GOOD_SIRET, "35600000049837")
    assert identity_problems(books_of(text)) == []


def test_bean_check_reports_the_shape_and_leaves_the_checksum_to_the_cli():
    bad_sum = ledger("").replace(GOOD_SIRET, "12345678901234")
    _, errors, _ = loader.load_string(bad_sum)
    assert not [e for e in errors if "SIRET" in e.message]
    too_short = HEADER.format(plugin="micro", today="2026-12-04").replace(
        GOOD_SIRET, "7328293200007"
    )
    _, errors, _ = loader.load_string(too_short)
    [error] = [e for e in errors if "SIRET" in e.message]
    assert error.message == (
        "business SIRET '7328293200007' is malformed: expected 14 digits, found 13 "
        "(SIREN + NIC)"
    )


def test_the_books_keep_the_compacted_number():
    text = ledger("").replace(GOOD_SIRET, "732\u00a0829\u00a0320\u00a000074")
    text = text.replace(f'siren: "{GOOD_SIREN}"', 'siren: "732\u202f829\u202f320"')
    books = books_of(text)
    assert books.business.siret == GOOD_SIRET
    assert books.clients["Assets:Clients:Acme"].siren == GOOD_SIREN
    assert identity_problems(books) == []
    _, errors, _ = loader.load_string(text)
    assert not [e for e in errors if "SIRE" in e.message]
