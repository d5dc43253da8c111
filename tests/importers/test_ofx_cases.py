"""Reading OFX files: the cases C01 to C08 and C16 of the shared case list."""

import datetime
import re
import textwrap
import time
from decimal import Decimal

import pytest
from beancount.core import data
from beancount_micro.errors import LedgerInputError
from beancount_micro.importers.ofx_reader import parse_amount, read_ofx
from beancount_micro.importers.run import StatementLinesError
from beancount_micro.importers.writer import format_entries

from tests.conftest import SHARED, needs_shared

D = Decimal
OFX_DIR = SHARED / "cases" / "ofx"


def transactions(entries):
    return [e for e in entries if isinstance(e, data.Transaction)]


def balances(entries):
    return [
        (e.date, e.account, e.amount.number, e.amount.currency)
        for e in entries
        if isinstance(e, data.Balance)
    ]


C01 = """\
<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20250305<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>EUR
<BANKACCTFROM>
<BANKID>99999</BANKID>
<BRANCHID>00011</BRANCHID>
<ACCTID>00012345678</ACCTID>
<ACCTTYPE>CHECKING</ACCTTYPE>
</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20250301<DTEND>20250305
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250303<TRNAMT>-12.40<FITID>2025030300007<CHECKNUM>7KQ2ZP1<NAME>FRAIS TENUE DE COMPTE<MEMO>COTISATION MENSUELLE
</STMTTRN></BANKTRANLIST>
<LEDGERBAL><BALAMT>842.17<DTASOF>20250305</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""  # noqa: E501


def test_mixed_closed_and_open_leaf_tags_give_the_transaction(ofx):
    """C01: closed BANKACCTFROM children next to unclosed leaves."""
    header = ofx.text(charset="1252").split("<OFX>")[0]
    document = ofx.parse(header + C01)
    (stmt,) = document.statements
    assert (stmt.bank_id, stmt.branch_id, stmt.account_id) == (
        "99999",
        "00011",
        "00012345678",
    )

    entries, _ = ofx.run_import("", document)
    (entry,) = transactions(entries)
    bank = entry.postings[0]
    assert entry.date == datetime.date(2025, 3, 3)
    assert bank.units.number == D("-12.40") and bank.units.currency == "EUR"
    assert bank.meta["fitid"] == "2025030300007"
    assert bank.meta["checknum"] == "7KQ2ZP1"
    assert (entry.payee, entry.narration) == (
        "FRAIS TENUE DE COMPTE",
        "COTISATION MENSUELLE",
    )
    assert balances(entries) == [
        (datetime.date(2025, 3, 6), ofx.BANK, D("842.17"), "EUR")
    ]


@needs_shared
def test_banque_populaire_file_with_closed_account_tags(ofx):
    """C01: bpbfc, six lines newest first, CHECKNUM kept as text."""
    document = read_ofx(ofx.DIR / "asgrim-ofxparser__ofxdata-bpbfc.ofx")
    entries, _ = ofx.run_import("", document)
    lines = transactions(entries)
    assert len(lines) == 6
    assert min(e.date for e in lines) == datetime.date(2016, 4, 22)
    assert max(e.date for e in lines) == datetime.date(2016, 4, 29)
    assert sum(e.postings[0].units.number for e in lines) == D("-53.49")
    assert "5IIWR0X" in {e.postings[0].meta["checknum"] for e in lines}
    assert balances(entries) == [
        (datetime.date(2016, 7, 21), ofx.BANK, D("10000.00"), "EUR")
    ]


def test_decimal_comma_amounts_and_balance(ofx):
    """C02: a comma is the decimal mark, dots group thousands."""
    lines = [
        ofx.txn("A1", "20250110", "-12,50", "FRAIS"),
        ofx.txn("A2", "20250111", "1400,82", "CLIENT", kind="CREDIT"),
        ofx.txn("A3", "20250112", "1.400,82", "CLIENT", kind="CREDIT"),
    ]
    stmt = ofx.statement(lines, balance="<BALAMT>2.788,96<DTASOF>20250131")
    (parsed,) = ofx.parse(ofx.text(stmt)).statements
    amounts = {line.fitid: line.amount for line in parsed.lines}
    assert amounts == {"A1": D("-12.50"), "A2": D("1400.82"), "A3": D("1400.82")}
    assert sum(amounts.values()) == D("2789.14")
    assert parsed.balance == D("2788.96")


def test_dotted_thousands_alone_is_refused_as_ambiguous(ofx):
    """C02: ``1.400`` in a decimal-comma file could be 1.40 or 1400."""
    lines = [
        ofx.txn("A1", "20250110", "-12,50", "FRAIS"),
        ofx.txn("A4", "20250113", "1.400", "CLIENT", kind="CREDIT"),
    ]
    document = ofx.parse(ofx.text(ofx.statement(lines)))
    (stmt,) = document.statements
    assert [line.fitid for line in stmt.lines] == ["A1"]
    assert stmt.errors == [
        "transaction FITID A4: amount '1.400' is ambiguous in a file with "
        "decimal commas (1.40 or 1400?)"
    ]
    with pytest.raises(
        StatementLinesError, match=re.escape("FITID A4: amount '1.400'")
    ):
        ofx.run_import("", document)


@pytest.mark.parametrize(
    ("text", "comma", "expected"),
    [
        ("-30.000", False, D("-30.000")),
        ("1 234,56", True, D("1234.56")),
        ("+5", False, D("5")),
        ("1.234.567,89", True, D("1234567.89")),
        ("1.40", True, D("1.40")),
    ],
)
def test_amount_rule(text, comma, expected):
    assert parse_amount(text, comma) == expected


@needs_shared
def test_ofxtools_euro_file_with_decimal_commas(ofx):
    """C02: stmtrs_euro, commas in TRNAMT and BALAMT, 12-digit DTASOF."""
    document = read_ofx(ofx.DIR / "csingley-ofxtools__stmtrs_euro.ofx")
    entries, _ = ofx.run_import("", document)
    got = [
        (e.date, e.postings[0].units, e.postings[0].meta["fitid"])
        for e in transactions(entries)
    ]
    assert [(d, u.number, u.currency, f) for d, u, f in got] == [
        (datetime.date(2005, 10, 4), D("-200.00"), "USD", "00002"),
        (datetime.date(2005, 10, 20), D("-300.00"), "USD", "00003"),
    ]
    assert transactions(entries)[0].postings[0].meta["checknum"] == "1000"
    assert balances(entries) == [
        (datetime.date(2005, 10, 30), ofx.BANK, D("200.29"), "USD")
    ]


@needs_shared
def test_charset_8859_1_file(ofx):
    """C03: CHARSET:8859-1 has no codec of that name."""
    (stmt,) = read_ofx(ofx.DIR / "actualbudget-actual__8859-1.ofx").statements
    (line,) = stmt.lines
    assert (line.date, line.amount, stmt.currency, line.fitid, line.payee) == (
        datetime.date(2022, 10, 19),
        D("-20.00"),
        "CAD",
        "wSoKuCS77",
        "Paiement facture/Carte prépayée",
    )


@pytest.mark.parametrize("charset", ["8859-1", "ISO-8859-1", "819", "1252"])
def test_latin1_payee_under_every_charset_spelling(ofx, charset):
    """C03: the four spellings give the same accented payee."""
    name = "Prélèvement URSSAF Île-de-France"
    text = ofx.text(
        ofx.statement(ofx.txn("U1", "20250115", "-96.00", name)), charset=charset
    )
    (stmt,) = ofx.parse(text, encoding="latin-1").statements
    assert stmt.lines[0].payee == name


@needs_shared
def test_cp1252_euro_sign_and_dash(ofx):
    """File 22: CP1252 bytes 0x80 and 0x97 are the euro sign and a dash."""
    (stmt,) = read_ofx(ofx.DIR / "actualbudget-actual__1252.ofx").statements
    assert stmt.lines[0].payee == "Café Métro €uro"
    assert stmt.lines[0].memo == "Paiement 5€ — débit"


UTF8_HEADER = """\
OFXHEADER:100
DATA:OFXSGML
VERSION:102
ENCODING:UTF-8
CHARSET:NONE
"""


def test_utf8_with_charset_none_and_header_in_a_comment(ofx):
    """C05: the ENCODING line decides; a commented header is still found."""
    body = ofx.text(
        ofx.statement(
            ofx.txn("F1", "20250110", "-96.00", "Prélèvement cotisation foncière")
        )
    ).split("\n\n", 1)[1]
    for header in (UTF8_HEADER, f"<!--\n{UTF8_HEADER}-->\n"):
        (stmt,) = ofx.parse(header + "\n" + body, encoding="utf-8").statements
        (line,) = stmt.lines
        assert (line.date, line.amount, line.fitid, line.payee) == (
            datetime.date(2025, 1, 10),
            D("-96.00"),
            "F1",
            "Prélèvement cotisation foncière",
        )


def test_unknown_charset_is_named_in_a_warning(ofx):
    """C05: CHARSET:XYZ is warned about; CP1252 is tried after UTF-8."""
    text = ofx.text(
        ofx.statement(ofx.txn("F1", "20250110", "-9.00", "Café")), charset="XYZ"
    )
    document = ofx.parse(text, encoding="cp1252")
    assert document.warnings == ["unknown CHARSET 'XYZ': read as UTF-8, else CP1252"]
    assert document.statements[0].lines[0].payee == "Café"


def test_long_identifiers_kept_and_balance_none_is_warned(ofx):
    """C06: BANKID of 10 digits, ACCTID with its RIB key, BALAMT 'None'."""
    stmt = (
        ofx.statement(ofx.txn("B1", "20250210", "-20.00", "ABONNEMENT"))
        .replace(
            "<BANKID>99999<BRANCHID>00011<ACCTID>00012345678",
            "<BANKID>9999900011<ACCTID>00012345678K",
        )
        .replace(
            "</BANKTRANLIST>\n",
            "</BANKTRANLIST>\n<LEDGERBAL><BALAMT>None<DTASOF>20250228</LEDGERBAL>",
        )
    )
    document = ofx.parse(ofx.text(stmt))
    (parsed,) = document.statements
    assert (parsed.bank_id, parsed.account_id) == ("9999900011", "00012345678K")
    entries, run = ofx.run_import("", document)
    assert len(transactions(entries)) == 1
    assert balances(entries) == []
    assert any("BALAMT 'None'" in w for w in run.report.warnings)


@needs_shared
def test_multi_decimal_file(ofx):
    """C07: -30.000 and -3.77000 are cents, not thousands; no LEDGERBAL."""
    document = read_ofx(ofx.DIR / "actualbudget-actual__data-multi-decimal.ofx")
    entries, _ = ofx.run_import("", document)
    got = sorted(e.postings[0].units.number for e in transactions(entries))
    assert got == [D("-30.00"), D("-3.77")]
    assert {e.date for e in transactions(entries)} == {datetime.date(2019, 1, 23)}
    assert balances(entries) == []


def test_long_decimals_are_kept_exact_then_refused_when_not_cents(ofx):
    """C07: -8.95000 and 1250.5 are read; -8.955 is refused by FITID."""
    good = ofx.statement(
        [
            ofx.txn("D1", "20250110", "-8.95000", "X"),
            ofx.txn("D2", "20250111", "1250.5", "Y"),
        ]
    )
    (stmt,) = ofx.parse(ofx.text(good)).statements
    assert [line.amount for line in stmt.lines] == [D("-8.95"), D("1250.50")]

    bad = ofx.statement(ofx.txn("D3", "20250110", "-8.955", "Z"))
    (stmt,) = ofx.parse(ofx.text(bad)).statements
    assert stmt.lines == []
    assert stmt.errors == [
        "transaction FITID D3: amount '-8.955' has a nonzero digit past the cent"
    ]


@pytest.mark.parametrize(
    "zone", ["America/Los_Angeles", "Pacific/Kiritimati", "Europe/Paris"]
)
def test_dates_are_the_bank_calendar_day_in_any_time_zone(ofx, monkeypatch, zone):
    """C08: a [+1:CET] suffix never moves the day."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        stmt = ofx.statement(
            [
                ofx.txn("T1", "20250301", "-1.00", "A"),
                ofx.txn("T2", "20250330000000[+1:CET]", "-2.00", "B"),
                ofx.txn("T3", "20251231233000[+1:CET]", "-3.00", "C"),
            ]
        )
        (parsed,) = ofx.parse(ofx.text(stmt)).statements
    finally:
        monkeypatch.undo()
        time.tzset()
    assert [line.date for line in parsed.lines] == [
        datetime.date(2025, 3, 1),
        datetime.date(2025, 3, 30),
        datetime.date(2025, 12, 31),
    ]


@pytest.mark.parametrize("dtasof", ["20250131235959", "20250131"])
def test_balance_is_asserted_the_day_after_the_statement_date(ofx, load_ledger, dtasof):
    """C16: the bank's end-of-day balance is Beancount's next-day balance."""
    ledger = """
        2025-01-01 open Assets:Banque:Courant EUR
        2025-01-01 open Equity:Ouverture
        2025-01-01 open Expenses:Divers
        2025-01-02 * "Solde" ""
          Assets:Banque:Courant  1314.56 EUR
          Equity:Ouverture
    """
    stmt = ofx.statement(
        ofx.txn("X1", "20250131", "-80.00", "ACHAT"),
        balance=f"<BALAMT>1234.56<DTASOF>{dtasof}",
    )
    entries, _ = ofx.run_import(ledger, ofx.parse(ofx.text(stmt)))
    assert balances(entries) == [
        (datetime.date(2025, 2, 1), ofx.BANK, D("1234.56"), "EUR")
    ]
    _, errors, _ = load_ledger(textwrap.dedent(ledger) + format_entries(entries))
    assert errors == []


@needs_shared
def test_multiple_accounts_file_balances_and_stale_date(ofx):
    """C16: three statements; a balance dated before the period is dropped."""
    document = read_ofx(ofx.DIR / "asgrim-ofxparser__ofx-multiple-accounts-xml.ofx")
    by_id = {s.account_id: s for s in document.statements}
    entries, run = ofx.run_import("", document, account="Assets:B")
    account_of = {
        s.account_id: f"Assets:B{i}" for i, s in enumerate(document.statements)
    }
    got = balances(entries)

    empty = account_of["54658222458596"]
    assert by_id["54658222458596"].lines == []
    assert (datetime.date(2014, 7, 18), empty, D("43.01"), "GBP") in got

    savings = account_of["21252344525548"]
    (interest,) = by_id["21252344525548"].lines
    assert (interest.date, interest.amount) == (datetime.date(2014, 7, 1), D("18.70"))
    assert (datetime.date(2014, 7, 18), savings, D("11728.56"), "GBP") in got

    stale = account_of["546582659855"]
    assert sorted(x.amount for x in by_id["546582659855"].lines) == [
        D("-3.98"),
        D("500.00"),
    ]
    assert [b for b in got if b[1] == stale] == []
    assert any(
        "546582659855" in w and "before the statement" in w for w in run.report.warnings
    )


# Every shared file: entries or a named error, and nothing lost -----------

EXPECTED_ERRORS = {
    "asgrim-ofxparser__ofxdata-emptyDateTime.ofx": "has no account (no ACCTID)",
    "libofx-libofx__heap-buffer-overflow-1.ofx": "has an empty ACCTID",
    "libofx-libofx__null-ptr-deref-1.ofx": "truncated",
}
REFUSED_LINES = {
    "jseutter-ofxparse__date_missing.ofx": [
        "transaction FITID 184997056: it has no posting date (DTPOSTED)",
        "transaction FITID 2000957249: it has no posting date (DTPOSTED)",
        "transaction FITID 2000957249: date '20120231' is not a valid date",
    ],
    "jseutter-ofxparse__decimal_error.ofx": [
        "transaction FITID 2000957249: amount '$120' is not a number"
    ],
}


def shared_files():
    return sorted(p.name for p in OFX_DIR.glob("*.ofx"))


@needs_shared
@pytest.mark.parametrize("name", shared_files())
def test_every_shared_file_gives_entries_or_a_named_error(ofx, name):
    path = ofx.DIR / name
    stmttrn = path.read_bytes().upper().count(b"<STMTTRN>")
    if name in EXPECTED_ERRORS:
        with pytest.raises(LedgerInputError) as caught:
            read_ofx(path)
        assert str(caught.value).startswith(str(path))
        assert EXPECTED_ERRORS[name] in str(caught.value)
        assert "\n" not in str(caught.value)
        return

    document = read_ofx(path)
    refused = [e for s in document.statements for e in s.errors]
    assert refused == REFUSED_LINES.get(name, [])
    read = sum(len(s.lines) for s in document.statements)
    assert read + len(refused) == stmttrn

    if refused:
        with pytest.raises(StatementLinesError):
            ofx.run_import("", document)
        return
    entries, _ = ofx.run_import("", document)
    assert len(transactions(entries)) == read
    for entry in transactions(entries):
        assert type(entry.date) is datetime.date
        assert entry.postings[0].units.number.as_tuple().exponent == -2


def test_control_characters_and_huge_memos_do_not_reach_the_ledger():
    from beancount_micro.importers.ofx_reader import MAX_TEXT, _clean

    assert _clean("X\x00\x01\x1b[31mY") == "X [31mY"
    assert _clean("A\x00B\x7f\u202eC") == "A B C"
    long = _clean("virement " * 100_000)
    assert len(long) == MAX_TEXT and long.endswith("…")
