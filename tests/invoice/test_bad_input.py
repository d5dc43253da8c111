"""Bad input: one clear line, a non-zero exit, nothing written."""

import pytest


def run(cli, args):
    from click.testing import CliRunner

    return CliRunner().invoke(cli, args)


@pytest.mark.parametrize(
    "replacement, message",
    [
        ('client = "Assets:Clients:Nobody"',
         "field 'client': Assets:Clients:Nobody is not a client account"),
        ("quantity = -2",
         "field 'lines[2].quantity': -2 must be positive"),
        ('client = "Assets:Clients:Sans-Siren"',
         "'siren' is required for a business client"),
        ('unit-price = "abc"',
         "field 'lines[2].unit-price': expected a number, found 'abc'"),
        ('item = "nonexistent"',
         "field 'lines[2].item': 'nonexistent' is not in the catalogue"),
        ('colour = "red"',
         "field 'lines[2].colour': unknown field"),
        ("quantity = 1e300",
         "field 'lines[2].quantity': 1E+300 is over 999999999.99"),
        ('unit-price = "10.005"',
         "field 'lines[2].unit-price': 10.005: at most 2 decimals (cents)"),
        ('description = "a\\u0007b"',
         "field 'lines[2].description': contains the control character U+0007"),
        ("quantity = 99999999",
         "field 'lines[2]': 99999999 × 80.00 is over 999999999.99 EUR"),
    ],
    ids=["unknown-client", "negative-quantity", "missing-siren", "bad-price",
         "unknown-item", "unknown-line-field", "huge-quantity", "sub-cent-price",
         "control-character", "line-total-too-large"],
)  # fmt: skip
def test_bad_source_is_one_line_error_and_nothing_written(
    books, fx, cli, replacement, message
):
    text = fx.business_source
    key = replacement.split(" =")[0]
    if key == "client":
        text = text.replace('client = "Assets:Clients:Lumiere-Bio"', replacement)
    elif key == "item":
        text = text.replace('item = "atelier"', replacement)
    elif key == "quantity":
        text = text.replace("quantity = 2.5", replacement)
    else:
        text += replacement + "\n"
    source = books.source("bad.toml", text)
    before = books.ledger.read_bytes()

    result = run(cli, ["invoice", str(source), "--ledger", str(books.ledger)])

    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert message in lines[0]
    assert "Traceback" not in result.output
    assert books.ledger.read_bytes() == before
    assert not (books.root / "documents").exists()


def test_source_error_names_the_file(books, fx, cli):
    text = fx.business_source.replace("quantity = 2.5", "quantity = -2")
    source = books.source("bad.toml", text)
    result = run(cli, ["invoice", str(source), "--ledger", str(books.ledger)])
    assert result.output.startswith(f"error: {source}: field 'lines[2].quantity'")


def test_date_before_previous_invoice_is_refused_by_the_cli(books, fx, cli):
    source = books.source("ok.toml", fx.business_source)
    args = ["invoice", str(source), "--ledger", str(books.ledger)]
    assert run(cli, [*args, "--date", "2026-05-10"]).exit_code == 0
    before = books.ledger.read_bytes()

    result = run(cli, [*args, "--date", "2026-05-09"])

    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        "error: issue date 2026-05-09 is before F-2026-0001 of 2026-05-10: dates in "
        "series F-2026- never go backwards (CGI ann. II art. 242 nonies A)"
    ]
    assert books.ledger.read_bytes() == before


def test_invalid_toml_names_the_file(books, cli):
    source = books.source("broken.toml", "client = \n")
    result = run(cli, ["invoice", str(source), "--ledger", str(books.ledger)])
    assert result.exit_code != 0
    assert f"{source}: field 'source': invalid TOML" in result.output


def test_unknown_invoice_for_credit_note(books, cli):
    result = run(cli, ["credit-note", "F-2026-0099", "--ledger", str(books.ledger)])
    assert result.exit_code != 0
    assert result.output.strip() == (
        "error: F-2026-0099: no invoice with this number in the ledger"
    )


def test_unaccepted_quote_is_not_invoiced(books, fx, cli):
    source = books.source("devis.toml", fx.business_source)
    assert (
        run(cli, ["quote", str(source), "--ledger", str(books.ledger)]).exit_code == 0
    )
    result = run(cli, ["invoice", "--from-quote", "D-2026-0001",
                       "--ledger", str(books.ledger)])  # fmt: skip
    assert result.exit_code != 0
    assert "D-2026-0001 is at stage 'sent'" in result.output


def test_cli_prints_where_it_wrote(books, fx, cli):
    source = books.source("ok.toml", fx.business_source)
    result = run(cli, ["invoice", str(source), "--ledger", str(books.ledger)])
    assert result.exit_code == 0, result.output
    pdf = books.root / "documents" / "factures" / "F-2026-0001.pdf"
    assert result.output.strip() == (
        f"F-2026-0001 (invoice) 1434.56 EUR: PDF {pdf}, entry appended to "
        f"{books.ledger}"
    )
