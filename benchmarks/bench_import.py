"""Cost of the bank import: parsing, deduplication, reconciliation.

Prints, for generated statements of 5 000 and 50 000 lines:

- reading and extracting a statement (our decoding, checks and entries)
  against a bare ``OfxParser.parse`` of the same file (target: <= 1.5x);
- deduplication against a 100 000-entry ledger (half the lines known);
- reconciliation of the credits against 10 000 open invoices;

and the 5k -> 50k growth of each (near 10 means linear). Measured once
(2 cores): ofxparse 2.4 s / 198 s, import 3.1 s / 270 s (ratio 1.27 / 1.36;
ofxparse itself grows about 80x from 5k to 50k lines); dedupe 1.4 s / 1.9 s;
reconciliation 2.5 s / 7.2 s (both include reading the ledger).

    .venv/bin/python benchmarks/bench_import.py [--runs 3]
"""

import argparse
import datetime
import io
import logging
import random
import statistics
import tempfile
import time
import warnings
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount
from beancount_micro.importers.ofx_reader import BankLine, Statement, read_ofx
from beancount_micro.importers.run import ImportRun, Target
from ofxparse import OfxParser

BANK = "Assets:Banque:Courant"
START = datetime.date(2020, 1, 1)
HEADER = (
    "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
    "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
)


def ofx_file(lines: int, folder: Path) -> Path:
    """Write a CP1252 SGML statement of ``lines`` transactions."""
    rng = random.Random(lines)
    body = []
    for n in range(lines):
        day = START + datetime.timedelta(days=n // 20)
        amount = f"{rng.randint(-90000, 90000) / 100:.2f}".replace(".", ",")
        body.append(
            f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>{day:%Y%m%d}<TRNAMT>{amount}"
            f"<FITID>B{n:08d}<NAME>CB COMMERÇANT {n % 997}<MEMO>ACHAT N° {n}\n"
            "</STMTTRN>\n"
        )
    text = (
        HEADER + "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<DTSERVER>20250101<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1>"
        "<STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS>"
        "<CURDEF>EUR<BANKACCTFROM><BANKID>30006<ACCTID>12345678901<ACCTTYPE>CHECKING"
        "</BANKACCTFROM><BANKTRANLIST><DTSTART>20200101<DTEND>20301231\n"
        + "".join(body)
        + "</BANKTRANLIST><LEDGERBAL><BALAMT>100,00<DTASOF>20301231</LEDGERBAL>"
        "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    )
    path = folder / f"bench-{lines}.ofx"
    path.write_bytes(text.encode("cp1252"))
    return path


def timed(function, runs: int) -> float:
    """Median wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_parse(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        OfxParser.parse(io.BytesIO(path.read_bytes()), fail_fast=False)


def our_import(path: Path) -> None:
    (statement,) = read_ofx(path).statements
    run = ImportRun([], {})
    run.add_statement(statement, Target(BANK, "EUR"), str(path))
    run.entries()


def ledger_entries(count: int) -> list[data.Directive]:
    """A ledger of ``count`` imported bank transactions."""
    meta = data.new_metadata("<bench>", 0)
    entries = [data.Open(meta, START, BANK, None, None)]
    for n in range(count):
        units = Amount(Decimal(-(n % 5000)) / 100 - 1, "EUR")
        postings = [
            data.Posting(BANK, units, None, None, None, {"fitid": f"L{n:08d}"}),
            data.Posting("Expenses:Divers", -units, None, None, None, None),
        ]
        day = START + datetime.timedelta(days=n // 40)
        entries.append(
            data.Transaction(
                meta, day, "*", "X", "", frozenset(), frozenset(), postings
            )
        )
    return entries


def statement(lines: list[BankLine]) -> Statement:
    return Statement(
        "", "", "1", "CHECKING", "EUR", None, None, lines, None, None, [], []
    )


def dedupe(ledger: list, lines: int) -> None:
    """Half the lines are already in the ledger."""
    bank_lines = [
        BankLine(
            f"L{n:08d}" if n % 2 else f"N{n:08d}",
            START + datetime.timedelta(days=n // 40),
            Decimal(-(n % 5000)) / 100 - 1,
            "X",
            "",
            "debit",
            "",
            1,
        )
        for n in range(lines)
    ]
    run = ImportRun(ledger, {})
    run.add_statement(statement(bank_lines), Target(BANK, "EUR"), "bench")


def invoices_ledger(invoices: int, clients: int) -> list[data.Directive]:
    """Open invoices spread over clients."""
    meta = data.new_metadata("<bench>", 0)
    entries: list[data.Directive] = [
        data.Open(meta, START, BANK, None, None),
        data.Open({**meta, "category": "bnc_ssi"}, START, "Income:Ventes", None, None),
    ]
    for c in range(clients):
        name = f"Client {c:04d} Conseil"
        entries.append(
            data.Open({**meta, "client": name}, START, f"Assets:C:K{c}", None, None)
        )
    for n in range(invoices):
        number = f"F-2024-{n + 1:05d}"
        units = Amount(Decimal(100 + n % 700), "EUR")
        postings = [
            data.Posting(f"Assets:C:K{n % clients}", units, None, None, None, None),
            data.Posting("Income:Ventes", -units, None, None, None, None),
        ]
        day = START + datetime.timedelta(days=n // 30)
        entries.append(
            data.Transaction(
                {**meta, "invoice": number},
                day,
                "*",
                "",
                "",
                frozenset(),
                frozenset({number}),
                postings,
            )
        )
    return entries


def reconcile(ledger: list, options: dict, lines: int, invoices: int, clients: int):
    """Credits: a third name an invoice, a third name a payer, a third unknown."""
    bank_lines = []
    for n in range(lines):
        k = n % invoices
        amount = Decimal(100 + k % 700)
        if n % 3 == 0:
            payee, memo = "VIR SEPA", f"FACTURE F-2024-{k + 1:05d}"
        elif n % 3 == 1:
            payee, memo = f"CLIENT {k % clients:04d} CONSEIL", "REGLEMENT"
        else:
            payee, memo = f"INCONNU {n}", "VIR"
        day = START + datetime.timedelta(days=400 + n // 50)
        bank_lines.append(BankLine(f"R{n}", day, amount, payee, memo, "credit", "", 1))
    run = ImportRun(ledger, options)
    run.add_statement(statement(bank_lines), Target(BANK, "EUR"), "bench")
    run.entries()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    sizes = (5_000, 50_000)

    with tempfile.TemporaryDirectory() as folder:
        files = {n: ofx_file(n, Path(folder)) for n in sizes}
        print("Reading + extracting vs bare ofxparse (median of runs, seconds)")
        for n in sizes:
            bare = timed(lambda n=n: bare_parse(files[n]), args.runs)
            ours = timed(lambda n=n: our_import(files[n]), args.runs)
            print(
                f"  {n:>6} lines: ofxparse {bare:6.2f}  import {ours:6.2f}  "
                f"ratio {ours / bare:4.2f} (target <= 1.5)"
            )

    ledger = ledger_entries(100_000)
    growth = {}
    print("Deduplication against a 100 000-entry ledger")
    for n in sizes:
        growth[n] = timed(lambda n=n: dedupe(ledger, n), args.runs)
        print(f"  {n:>6} lines: {growth[n]:6.2f} s")
    print(f"  growth 5k -> 50k: {growth[50_000] / growth[5_000]:4.1f}x (10x is linear)")

    ledger = invoices_ledger(10_000, 1_000)
    options = {"operating_currency": ["EUR"]}
    print("Reconciliation against 10 000 open invoices (1 000 clients)")
    for n in sizes:
        growth[n] = timed(
            lambda n=n: reconcile(ledger, options, n, 10_000, 1_000), args.runs
        )
        print(f"  {n:>6} lines: {growth[n]:6.2f} s")
    print(f"  growth 5k -> 50k: {growth[50_000] / growth[5_000]:4.1f}x (10x is linear)")


if __name__ == "__main__":
    main()
