"""Recompute the figures of ``ledger.example.beancount`` from the file itself.

Independent of the generator's bookkeeping: it loads the ledger with
Beancount (the plugin line removed), applies the receipt rule of
``docs/CONVENTIONS.md`` and checks what the example promises: the header's
figures, continuous invoice numbering, payment means on every receipt,
declarations equal to the rounded receipts of their periods, contributions
paid to the euro, and the list of unpaid invoices. Run from the repository
root: ``python tools/check_example.py``; it exits 1 on any mismatch.
"""

import datetime
import itertools
import re
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data
from stdnum.fr import siren as siren_lib
from stdnum.fr import siret as siret_lib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_example import OUTPUT, notice_rates, period_end

TODAY = datetime.date(2026, 11, 30)
MEANS = {"virement", "cheque", "especes", "carte", "prelevement", "plateforme", "autre"}
DEADLINES = {1: (4, 30), 2: (7, 31), 3: (10, 31), 4: (1, 31)}
EURO = Decimal(1)


def load(path: Path) -> tuple[list, list]:
    text = "".join(
        line
        for line in path.read_text("utf-8").splitlines(keepends=True)
        if not line.startswith("plugin ")
    )
    entries, errors, _ = loader.load_string(text)
    return entries, errors


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def deadline(period: str) -> datetime.date:
    year, q = int(period[:4]), int(period[-1])
    month, day = DEADLINES[q]
    return datetime.date(year + (q == 4), month, day)


class Checker:
    def __init__(self, entries: list) -> None:
        self.entries = entries
        self.problems: list[str] = []
        opens = [e for e in entries if isinstance(e, data.Open)]
        self.clients = {e.account: e.meta for e in opens if "client" in e.meta}
        self.income = {e.account for e in opens if "category" in e.meta}
        self.business = next(
            e
            for e in entries
            if isinstance(e, data.Custom)
            and e.type == "micro"
            and e.values[0].value == "business"
        )
        self.txns = [e for e in entries if isinstance(e, data.Transaction)]

    def fail(self, message: str) -> None:
        self.problems.append(message)

    def receipts(self) -> list[tuple[datetime.date, Decimal, data.Transaction]]:
        out = []
        for txn in self.txns:
            turnover = [
                p
                for p in txn.postings
                if p.account in self.clients or p.account in self.income
            ]
            cash = [p for p in txn.postings if p not in turnover]
            for p in txn.postings:
                if p.units.currency != "EUR":
                    self.fail(f"{txn.date} non-EUR posting {p}")
            if turnover and cash:
                lost = -sum((p.units.number for p in turnover), Decimal(0))
                out.append((txn.date, lost, txn))
                if txn.meta.get("means") not in MEANS:
                    self.fail(f"{txn.date} receipt without valid means")
        return out

    def invoices(self) -> dict[str, data.Transaction]:
        found = {t.meta["invoice"]: t for t in self.txns if "invoice" in t.meta}
        series: dict[str, list[tuple[int, datetime.date]]] = defaultdict(list)
        for number, txn in found.items():
            match = re.fullmatch(r"(.*?)(\d+)", number)
            series[match.group(1)].append((int(match.group(2)), txn.date))
            if number not in txn.links:
                self.fail(f"{number} does not carry its own link")
        for prefix, rows in series.items():
            rows.sort()
            if [n for n, _ in rows] != list(range(1, len(rows) + 1)):
                self.fail(f"series {prefix} is not continuous")
            if any(a[1] > b[1] for a, b in itertools.pairwise(rows)):
                self.fail(f"series {prefix} goes back in time")
        return found

    def unpaid(self, invoices: dict[str, data.Transaction]) -> list[str]:
        balance: dict[str, Decimal] = defaultdict(Decimal)
        for txn in self.txns:
            own = txn.meta.get("invoice")
            for p in txn.postings:
                if p.account not in self.clients:
                    continue
                if own and txn.meta.get("invoice-kind") in ("credit-note", "final"):
                    # A credit note reduces the invoice it corrects; a final
                    # invoice stands on its own (the deposit was paid).
                    target = txn.meta.get("corrects", own)
                elif own:
                    target = own
                else:
                    refs = [link for link in txn.links if link in invoices]
                    if len(refs) != 1:
                        # A payment for several invoices settles each in full.
                        for ref in refs:
                            balance[ref] = Decimal(0)
                        continue
                    target = refs[0]
                balance[target] += p.units.number
        rows = []
        for number, left in sorted(balance.items()):
            if left:
                due = invoices[number].meta["due"]
                state = "overdue" if due < TODAY else "not yet due"
                rows.append(f"{number} {left} EUR due {due} ({state})")
        return rows

    def declarations(self, by_quarter: dict[str, Decimal]) -> list[str]:
        customs = [
            e
            for e in self.entries
            if isinstance(e, data.Custom) and e.values[0].value == "declaration"
        ]
        paid = {
            t.meta["urssaf-period"]: t for t in self.txns if "urssaf-period" in t.meta
        }
        rows = []
        for decl in customs:
            period, amount = decl.values[1].value, decl.values[2].value.number
            cashed = sum(
                (by_quarter.get(p, Decimal(0)) for p in period.split("+")), Decimal(0)
            )
            if amount != cashed.quantize(EURO, ROUND_HALF_UP):
                self.fail(f"{period}: declared {amount}, cashed {cashed}")
            last = period.split("+")[-1]
            if decl.date > deadline(last):
                self.fail(f"{period}: filed late")
            rates = notice_rates(period_end(period))
            due = sum(
                ((amount * r).quantize(EURO, ROUND_HALF_UP) for r in rates),
                Decimal(0),
            )
            txn = paid.get(period)
            got = txn and sum(
                p.units.number
                for p in txn.postings
                if p.account.startswith("Expenses:")
            )
            if got != due:
                self.fail(f"{period}: contributions paid {got}, due {due}")
            rows.append(f"{period}: cashed {cashed}, declared {amount}, paid {got}")
        return rows

    def identifiers(self) -> None:
        siret_lib.validate(self.business.meta["siret"])
        for meta in self.clients.values():
            if meta["client-type"] == "business":
                siren_lib.validate(meta["siren"])


def header_figures(path: Path) -> dict[str, Decimal]:
    figures = {}
    for line in path.read_text("utf-8").splitlines():
        match = re.fullmatch(r";\s+(\d{4}(?:-Q\d| total))\s+([\d.]+)", line)
        if match:
            figures[match.group(1).replace(" total", "")] = Decimal(match.group(2))
    return figures


def main() -> int:
    entries, errors = load(OUTPUT)
    if errors:
        for error in errors:
            print(error.message)
        return 1
    checker = Checker(entries)
    checker.identifiers()
    invoices = checker.invoices()
    receipts = checker.receipts()

    totals: dict[str, Decimal] = defaultdict(Decimal)
    for day, amount, _ in receipts:
        totals[quarter_of(day)] += amount
        totals[str(day.year)] += amount
    if dict(totals) != header_figures(OUTPUT):
        checker.fail(f"header figures differ from the file: {dict(totals)}")

    print(f"{len(invoices)} invoices, {len(receipts)} receipts")
    for key in sorted(totals):
        print(f"  {key:<8} {totals[key]:>10}")
    for row in checker.declarations(totals):
        print("  " + row)
    print("Unpaid at", TODAY)
    for row in checker.unpaid(invoices):
        print("  " + row)
    for problem in checker.problems:
        print("PROBLEM:", problem)
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main())
