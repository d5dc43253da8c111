"""The importer in a beangulp import script (``beangulp.Ingest``)."""

import shutil
from pathlib import Path

import beangulp
from beancount_micro.importers.ofx import OfxImporter
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"
STATEMENT = DATA / "banque-exemple-2026-04.ofx"


def importer() -> OfxImporter:
    return OfxImporter(
        "Assets:Banque:Courant-Pro",
        "12345678901",
        bank_id="30006",
        rules=DATA / "import-rules.toml",
    )


def test_identify_claims_only_its_account(tmp_path):
    assert importer().identify(str(STATEMENT))
    other = OfxImporter("Assets:Banque:Autre", "00000000000")
    assert not other.identify(str(STATEMENT))
    text = tmp_path / "notes.txt"
    text.write_text("<OFX> but nothing else", encoding="utf-8")
    assert not importer().identify(str(text))


def test_extract_through_ingest_matches_the_golden_entries(tmp_path):
    ledger = tmp_path / "golden-ledger.beancount"
    shutil.copy(DATA / "golden-ledger.beancount", ledger)
    ingest = beangulp.Ingest([importer()])
    runner = CliRunner()
    args = ["extract", str(STATEMENT), "-e", str(ledger)]
    result = runner.invoke(ingest.cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    expected = (DATA / "banque-exemple-2026-04.beancount").read_text("utf-8")
    for block in expected.strip().split("\n\n"):
        assert block in result.output

    # The statement written to the ledger, a second extract adds nothing.
    ledger.write_text(ledger.read_text("utf-8") + "\n" + expected, encoding="utf-8")
    again = runner.invoke(ingest.cli, args, catch_exceptions=False)
    assert again.exit_code == 0
    assert "fitid" not in again.output


def test_date_of_a_statement_is_its_last_day():
    assert str(importer().date(str(STATEMENT))) == "2026-04-30"
