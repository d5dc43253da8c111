"""Each bank line is imported exactly once: cases C10, C11, C13, C14."""

import datetime
import textwrap
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data
from beancount_micro.importers.dedupe import fallback_key, line_keys
from beancount_micro.importers.ofx_reader import BankLine, read_ofx
from beancount_micro.importers.run import ImportRun, Target
from beancount_micro.importers.writer import format_entries

from tests.conftest import SHARED, needs_shared

D = Decimal
OFX_DIR = SHARED / "cases" / "ofx"


def transactions(entries):
    return [e for e in entries if isinstance(e, data.Transaction)]


def fitids(entries):
    return sorted(e.postings[0].meta["fitid"] for e in transactions(entries))


def test_two_identical_payments_on_one_day_stay_two(ofx):
    """C10: A100 is in the ledger, A101 (same day, amount, name) is new."""
    ledger = """
        2025-01-01 open Assets:Banque:Courant EUR
        2025-01-01 open Equity:Ouverture
        2025-01-01 open Expenses:Repas
        2025-03-01 * "Solde" ""
          Assets:Banque:Courant  100.00 EUR
          Equity:Ouverture
        2025-03-04 * "CB BOULANGERIE DU PORT" ""
          Assets:Banque:Courant  -4.20 EUR
            fitid: "A100"
          Expenses:Repas
    """
    lines = [
        ofx.txn(f, "20250304", "-4.20", "CB BOULANGERIE DU PORT")
        for f in ("A100", "A101")
    ]
    stmt = ofx.statement(lines, balance="<BALAMT>91.60<DTASOF>20250304")
    entries, run = ofx.run_import(ledger, ofx.parse(ofx.text(stmt)))
    assert fitids(entries) == ["A101"]
    assert run.report.duplicates == 1
    (balance,) = [e for e in entries if isinstance(e, data.Balance)]
    assert (balance.date, balance.amount.number) == (
        datetime.date(2025, 3, 5),
        D("91.60"),
    )

    # The balance passes once the new line is in the ledger.
    text = textwrap.dedent(ledger) + format_entries(entries)
    _, errors, _ = loader.load_string(text)
    assert errors == []


def test_hand_typed_entry_absorbs_one_bank_line_only(ofx):
    """C10: without FITIDs, date, amount and payee match one to one."""
    ledger = """
        2025-01-01 open Assets:Banque:Courant EUR
        2025-01-01 open Expenses:Repas
        2025-03-04 * "Boulangerie du port" ""
          Assets:Banque:Courant  -4.20 EUR
          Expenses:Repas
    """
    lines = [
        ofx.txn(f, "20250305", "-4.20", "CB BOULANGERIE DU PORT")
        for f in ("A100", "A101")
    ]
    entries, run = ofx.run_import(ledger, ofx.parse(ofx.text(ofx.statement(lines))))
    assert len(transactions(entries)) == 1
    assert run.report.duplicates == 1


@needs_shared
def test_credit_mutuel_same_amount_lines_are_all_imported_once(ofx):
    """C10: cmfr, 42 lines with two -4000.00 and two -1800.00 on 2016-06-01."""
    document = read_ofx(OFX_DIR / "asgrim-ofxparser__ofxdata-cmfr.ofx")
    entries, _ = ofx.run_import("", document)
    assert len(transactions(entries)) == 42
    on_first = [
        (e.postings[0].units.number, e.postings[0].meta["fitid"])
        for e in transactions(entries)
        if e.date == datetime.date(2016, 6, 1)
    ]
    assert (D("-4000.00"), "LLDT4L5OCS") in on_first
    assert (D("-4000.00"), "LLDT4L5OC2") in on_first
    assert (D("-1800.00"), "LLDT4L5OC9") in on_first
    assert (D("-1800.00"), "LLDT4L5OCI") in on_first

    again, run = ofx.run_import(format_entries(entries), document)
    assert transactions(again) == []
    assert run.report.duplicates == 42


def monthly(ofx, first: int, last: int) -> str:
    lines = [
        ofx.txn(f"T{m}", f"2025{m:02d}15", f"-{m}0.00", f"ACHAT {m}")
        for m in range(first, last + 1)
    ]
    return ofx.text(ofx.statement(lines))


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_overlapping_statements_in_one_run(ofx, order):
    """C11: T1-T6 and T3-T9 together give T1-T9 once, in any order."""
    files = [ofx.parse(monthly(ofx, 1, 6)), ofx.parse(monthly(ofx, 3, 9))]
    entries, _ = ofx.run_import("", *(files[i] for i in order))
    assert fitids(entries) == [f"T{m}" for m in range(1, 10)]

    again, _ = ofx.run_import(format_entries(entries), *files)
    assert transactions(again) == []


def test_balance_is_never_a_duplicate_of_a_transaction(ofx):
    """C13: a statement with only a balance equal to an existing amount."""
    ledger = """
        2025-01-01 open Assets:Banque:Courant EUR
        2025-01-01 open Income:Remboursements
        2025-01-31 * "URSSAF" "Remboursement"
          Assets:Banque:Courant  1500.00 EUR
          Income:Remboursements
    """
    stmt = ofx.statement([], balance="<BALAMT>1500.00<DTASOF>20250131")
    entries, _ = ofx.run_import(ledger, ofx.parse(ofx.text(stmt)))
    (balance,) = entries
    assert isinstance(balance, data.Balance)
    assert (balance.date, balance.account, balance.amount.number) == (
        datetime.date(2025, 2, 1),
        ofx.BANK,
        D("1500.00"),
    )
    assert "__duplicate__" not in balance.meta
    _, errors, _ = loader.load_string(textwrap.dedent(ledger) + format_entries(entries))
    assert errors == []


def test_same_file_three_times_adds_nothing_after_the_first(ofx):
    """C14: unchanged, then CRLF with another DTSERVER: 12 then 0 then 0."""
    lines = [
        ofx.txn(f"R{n:02d}", f"202505{n + 1:02d}", f"-{n}.50", f"ACHAT {n}")
        for n in range(12)
    ]
    text = ofx.text(ofx.statement(lines, balance="<BALAMT>100.00<DTASOF>20250531"))
    entries, _ = ofx.run_import("", ofx.parse(text))
    assert len(transactions(entries)) == 12
    assert all("fitid" in e.postings[0].meta for e in transactions(entries))

    ledger = format_entries(entries)
    second, _ = ofx.run_import(ledger, ofx.parse(text))
    crlf = text.replace("20250601", "20250607").replace("\n", "\r\n")
    third, _ = ofx.run_import(ledger, ofx.parse(crlf))
    assert second == [] and third == []


def line(fitid="", amount="-4.20", rank=1, payee="CB BOULANGERIE"):
    return BankLine(
        fitid, datetime.date(2025, 3, 4), D(amount), payee, "", "debit", "", rank
    )


def test_missing_or_repeated_fitids_get_the_documented_fallback_key():
    """The key is ~date amount sha1(payee|memo)[:8] #rank.

    printf "cb boulangerie|" | sha1sum gives 424938e3...
    """
    lines = [line("X1"), line("X1", rank=2), line(""), line("OK", "-1.00")]
    keys = line_keys(lines)
    assert keys[0] == "~2025-03-04 -4.20 424938e3 #1"
    assert keys[1] == "~2025-03-04 -4.20 424938e3 #2"
    assert keys[2] == fallback_key(line(""))
    assert keys[3] == "OK"


@needs_shared
@pytest.mark.parametrize(
    "name",
    sorted(
        p.name
        for p in OFX_DIR.glob("*.ofx")
        if p.name
        not in {
            "asgrim-ofxparser__ofxdata-emptyDateTime.ofx",
            "libofx-libofx__heap-buffer-overflow-1.ofx",
            "libofx-libofx__null-ptr-deref-1.ofx",
            "jseutter-ofxparse__date_missing.ofx",
            "jseutter-ofxparse__decimal_error.ofx",
        }
    ),
)
def test_every_shared_file_twice_and_overlapping_gives_each_line_once(name):
    """Same file twice, then its first half with the whole, in one run."""
    document = read_ofx(OFX_DIR / name)

    def run(ledger_entries, *statement_lists):
        importer = ImportRun(ledger_entries, {})
        for statements in statement_lists:
            for index, stmt in enumerate(statements):
                target = Target(f"Assets:B{index}", stmt.currency or "EUR")
                importer.add_statement(stmt, target, name)
        return importer.entries()

    once = run([], document.statements)
    expected = sorted(
        (f"Assets:B{i}", key)
        for i, s in enumerate(document.statements)
        for key in line_keys(s.lines)
    )
    got = sorted(
        (e.postings[0].account, e.postings[0].meta["fitid"]) for e in transactions(once)
    )
    assert got == expected

    twice = run(once, document.statements)
    assert transactions(twice) == []

    halves = []
    for stmt in document.statements:
        half = type(stmt)(
            **{**stmt.__dict__, "lines": stmt.lines[: len(stmt.lines) // 2]}
        )
        halves.append(half)
    overlapping = run([], halves, document.statements)
    assert len(transactions(overlapping)) == len(expected)
