"""Golden file and ``bean-micro import|reconcile`` through Click.

The golden statement ``data/banque-exemple-2026-04.ofx`` is an invented,
anonymised French bank export (SGML, CHARSET 1252, CRLF, decimal commas,
accented memos, a cheque deposit, card payments, transfers naming
invoices, a URSSAF direct debit). Its expected import into
``data/golden-ledger.beancount`` is ``data/banque-exemple-2026-04.beancount``.
After a deliberate change, regenerate it and review the diff:

    BEANCOUNT_MICRO_REGENERATE=1 .venv/bin/pytest tests/importers/test_golden_and_cli.py
    git diff tests/importers/data/
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from beancount import loader

DATA = Path(__file__).parent / "data"
STATEMENT = DATA / "banque-exemple-2026-04.ofx"
EXPECTED = DATA / "banque-exemple-2026-04.beancount"


@pytest.fixture
def books(tmp_path):
    """A copy of the golden ledger and rules in a scratch folder."""
    for name in ("golden-ledger.beancount", "import-rules.toml"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path / "golden-ledger.beancount"


def test_golden_statement_gives_the_expected_entries(cli, books):
    result = cli("import", STATEMENT, "--ledger", books, "--dry-run")
    assert result.exit_code == 0, result.output
    if os.environ.get("BEANCOUNT_MICRO_REGENERATE"):
        EXPECTED.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == EXPECTED.read_text(encoding="utf-8")
    assert "would add: 10 transaction(s), 1 balance(s); 0 already" in result.stderr


def test_import_appends_checks_and_never_imports_twice(cli, books):
    before = books.read_bytes()
    first = cli("import", STATEMENT, "--ledger", books)
    assert first.exit_code == 0, first.output
    after = books.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].decode("utf-8") == "\n" + EXPECTED.read_text("utf-8")

    # The result passes bean-check, balance included.
    _, errors, _ = loader.load_file(str(books))
    assert errors == []

    second = cli("import", STATEMENT, "--ledger", books)
    assert second.exit_code == 0
    assert books.read_bytes() == after
    assert "0 transaction(s), 0 balance(s); 10 already in the ledger" in second.stderr


def test_output_file_outside_the_ledger_is_deduplicated_too(cli, books):
    output = books.parent / "banque.beancount"
    assert (
        cli("import", STATEMENT, "--ledger", books, "--output", output).exit_code == 0
    )
    text = output.read_text("utf-8")
    assert (
        cli("import", STATEMENT, "--ledger", books, "--output", output).exit_code == 0
    )
    assert output.read_text("utf-8") == text


def test_reconcile_lists_the_lines_to_review_with_candidates(cli, books):
    result = cli("reconcile", books, STATEMENT)
    assert result.exit_code == 0, result.output
    assert "In the ledger: 0 line(s) to review" in result.stdout
    assert "10 new line(s), 3 matched to invoices, 4 to review" in result.stdout
    assert (
        "2026-04-29 320.00 EUR VIR SEPA M. DUPONT: to review: payer not "
        "recognised; no invoice number in memo" in result.stdout
    )

    assert cli("import", STATEMENT, "--ledger", books).exit_code == 0
    listed = cli("reconcile", books)
    assert "In the ledger: 4 line(s) to review" in listed.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an ofx file", "no <OFX> element"),
        (STATEMENT.read_bytes()[:1500], "truncated"),
    ],
)
def test_bad_file_gives_one_line_and_writes_nothing(cli, books, content, message):
    bad = books.parent / "bad.ofx"
    bad.write_bytes(content)
    before = books.read_bytes()
    result = cli("import", STATEMENT, bad, "--ledger", books)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {bad}: ") and message in line
    assert books.read_bytes() == before


def test_statement_of_an_undeclared_account_is_refused(cli, books):
    foreign = books.parent / "autre.ofx"
    foreign.write_bytes(STATEMENT.read_bytes().replace(b"12345678901", b"99999999999"))
    result = cli("import", foreign, "--ledger", books)
    assert result.exit_code == 2
    assert 'no ledger account declares ofx-account: "99999999999"' in result.stderr

    unopened = cli(
        "import", foreign, "--ledger", books, "--account", "Assets:Banque:Autre"
    )
    assert unopened.exit_code == 2
    assert "--account Assets:Banque:Autre is not opened in the ledger" in (
        unopened.stderr
    )

    with books.open("a", encoding="utf-8") as ledger:
        ledger.write("\n2025-01-01 open Assets:Banque:Autre EUR\n")
    forced = cli(
        "import", foreign, "--ledger", books, "--account", "Assets:Banque:Autre"
    )
    assert forced.exit_code == 0


def test_statement_in_another_currency_than_the_account_is_refused(cli, books):
    dollars = books.parent / "usd.ofx"
    dollars.write_bytes(STATEMENT.read_bytes().replace(b"<CURDEF>EUR", b"<CURDEF>USD"))
    before = books.read_bytes()
    result = cli("import", dollars, "--ledger", books)
    assert result.exit_code == 2
    assert "is in USD, but Assets:Banque:Courant-Pro holds only EUR" in result.stderr
    assert books.read_bytes() == before


def test_ledger_text_is_utf8_under_the_c_locale(books):
    """C03: accents are written as UTF-8 whatever the locale."""
    script = (
        "import click\n"
        "from beancount_micro.cli.common import MicroGroup\n"
        "from beancount_micro.cli.importing import import_command\n"
        "group = MicroGroup('g')\n"
        "group.add_command(import_command)\n"
        "group()\n"
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "import",
            str(STATEMENT),
            "--ledger",
            str(books),
        ],
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "RÈGLEMENT PRESTATION" in books.read_text(encoding="utf-8")
