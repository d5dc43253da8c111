"""Helpers for the bank import tests: build OFX statements and run imports."""

import logging
import textwrap
from types import SimpleNamespace

import click
import pytest
from beancount import loader
from beancount_micro.cli.common import MicroGroup
from beancount_micro.cli.importing import import_command, reconcile_command
from beancount_micro.importers.ofx_reader import parse_ofx_bytes
from beancount_micro.importers.run import ImportRun, Target
from click.testing import CliRunner

from tests.conftest import SHARED

OFX_DIR = SHARED / "cases" / "ofx"
BANK = "Assets:Banque:Courant"

HEADER = """\
OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:{charset}
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

"""
SIGNON = (
    "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
    "<DTSERVER>{server}<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1>\n"
)


def statement(
    lines: list[str] | str,
    balance: str | None = None,
    start: str = "20250101",
    end: str = "20251231",
    acctid: str = "00012345678",
    bankid: str = "99999",
    currency: str = "EUR",
) -> str:
    """Return one STMTRS aggregate; ``lines`` are STMTTRN bodies."""
    if isinstance(lines, str):
        lines = [lines]
    body = "".join(f"<STMTTRN>{line}\n</STMTTRN>\n" for line in lines)
    ledgerbal = f"<LEDGERBAL>{balance}</LEDGERBAL>\n" if balance else ""
    return (
        "<STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\n"
        f"<STMTRS><CURDEF>{currency}\n"
        f"<BANKACCTFROM><BANKID>{bankid}<BRANCHID>00011<ACCTID>{acctid}"
        "<ACCTTYPE>CHECKING</BANKACCTFROM>\n"
        f"<BANKTRANLIST><DTSTART>{start}<DTEND>{end}\n{body}</BANKTRANLIST>\n"
        f"{ledgerbal}</STMTRS></STMTTRNRS>\n"
    )


def ofx_text(*statements: str, charset: str = "1252", server: str = "20250601") -> str:
    """Return a whole SGML OFX file around statements."""
    return (
        HEADER.format(charset=charset)
        + SIGNON.format(server=server)
        + "<BANKMSGSRSV1>"
        + "".join(statements)
        + "</BANKMSGSRSV1></OFX>\n"
    )


def txn(fitid: str, date: str, amount: str, name: str, memo: str = "", kind="DEBIT"):
    """Return the body of one STMTTRN."""
    memo_tag = f"<MEMO>{memo}" if memo else ""
    return (
        f"<TRNTYPE>{kind}<DTPOSTED>{date}<TRNAMT>{amount}"
        f"<FITID>{fitid}<NAME>{name}{memo_tag}"
    )


def parse(text: str, encoding: str = "cp1252"):
    """Parse OFX text given as it would be saved by the bank."""
    return parse_ofx_bytes(text.encode(encoding), "test.ofx")


def run_import(ledger_text: str, *documents, account: str = BANK, strict=True):
    """Import parsed documents against an inline ledger; return new entries."""
    entries, _, options = loader.load_string(textwrap.dedent(ledger_text))
    run = ImportRun(entries, options, strict=strict)
    for document in documents:
        for number, stmt in enumerate(document.statements):
            name = account if len(document.statements) == 1 else f"{account}{number}"
            run.add_statement(stmt, Target(name, stmt.currency or "EUR"), "t.ofx")
    return run.entries(), run


@pytest.fixture
def ofx():
    """The OFX builders and the import helper, for the tests."""
    return SimpleNamespace(
        statement=statement,
        text=ofx_text,
        txn=txn,
        parse=parse,
        run_import=run_import,
        BANK=BANK,
        DIR=OFX_DIR,
    )


@pytest.fixture
def cli():
    """Invoke ``bean-micro import|reconcile`` through Click's runner."""

    @click.group(cls=MicroGroup)
    def group() -> None:
        """Test group."""

    group.add_command(import_command)
    group.add_command(reconcile_command)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(group, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def no_unexpected_logs(caplog):
    """Fail a test when the importers log an error."""
    caplog.set_level(logging.WARNING, logger="beancount_micro")
    yield caplog
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
