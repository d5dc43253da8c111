"""Turn statements into new ledger entries, once each, categorised.

An :class:`ImportRun` is built on the loaded ledger. Statements are added
one by one (from one or several OFX files); lines already in the ledger or
already added in this run are counted as duplicates, whatever the order of
the files. :meth:`ImportRun.entries` then reconciles the new lines in date
order and returns the entries to write:

    2026-04-12 * "VIR SEPA LUMIERE BIO" "REGLEMENT F-2026-0012" ^F-2026-0012
      means: "virement"
      match: "number F-2026-0012 in memo"
      Assets:Banque:Courant-Pro   1500.00 EUR
        fitid: "2026041200042"
      Assets:Clients:Lumiere-Bio  -1500.00 EUR

Credits that match no invoice for sure, and debits no rule explains, are
flagged ``!`` and posted to the review account with ``match:`` (why) and
``candidates:`` (the invoices they might pay).
"""

import dataclasses
import datetime
import logging
from collections.abc import Sequence
from decimal import Decimal

from beancount.core import data, flags
from beancount.core.amount import Amount
from beancount_micro.errors import LedgerInputError
from beancount_micro.importers.dedupe import LedgerIndex, line_keys
from beancount_micro.importers.ofx_reader import BankLine, Statement
from beancount_micro.importers.reconcile import Reconciler, Review, Settlement
from beancount_micro.importers.rules import (
    Rules,
    payment_means,
    urssaf_period,
)
from beancount_micro.model import read_books

log = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)


class StatementLinesError(LedgerInputError):
    """Some lines of a statement cannot be imported."""

    def __init__(self, path: str, problems: Sequence[str]) -> None:
        count = len(problems)
        super().__init__(
            path,
            None,
            f"{count} line(s) refused, nothing imported: " + "; ".join(problems),
        )


class StatementCurrencyError(LedgerInputError):
    """A statement's currency is not the one its account holds."""


@dataclasses.dataclass(frozen=True)
class Target:
    """The ledger account a statement is imported into."""

    account: str
    currency: str


@dataclasses.dataclass
class ImportReport:
    """What a run did, for the user."""

    added: int = 0
    duplicates: int = 0
    balances: int = 0
    matched: int = 0
    reviews: list[tuple[data.Transaction, str]] = dataclasses.field(
        default_factory=list
    )
    warnings: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class _Pending:
    """A new bank line waiting to become an entry."""

    line: BankLine
    key: str
    target: Target
    path: str


class ImportRun:
    """Import statements into a ledger, each bank line exactly once."""

    def __init__(
        self,
        entries: Sequence[data.Directive],
        options_map: dict,
        rules: Rules | None = None,
        strict: bool = True,
    ) -> None:
        self.rules = rules or Rules()
        self.strict = strict
        self.report = ImportReport()
        self._index = LedgerIndex(entries)
        books = read_books(entries, options_map)
        self._reconciler = Reconciler(books)
        self._urssaf_account = self.rules.urssaf_account or _urssaf_account(books)
        self._opened = {e.account for e in entries if isinstance(e, data.Open)}
        self._pending: list[_Pending] = []
        self._balances: list[data.Balance] = []

    def add_statement(self, statement: Statement, target: Target, path: str) -> None:
        """Queue a statement's new lines and its closing balance.

        Raises:
            StatementLinesError: some lines were refused and the run is
                strict (the default): nothing of the statement is queued.
            StatementCurrencyError: the statement is in another currency.
        """
        where = f"{path} ({statement.describe()})"
        currency = statement.currency or target.currency
        if currency != target.currency:
            raise StatementCurrencyError(
                path,
                None,
                f"{statement.describe()} is in {currency}, "
                f"but {target.account} holds {target.currency}",
            )
        if statement.errors and self.strict:
            raise StatementLinesError(path, statement.errors)
        for problem in statement.errors:
            self._warn(f"{where}: skipped {problem}")
        for warning in statement.warnings:
            self._warn(f"{where}: {warning}")

        for line, key in zip(statement.lines, line_keys(statement.lines), strict=True):
            account = target.account
            if self._index.known(account, key) or self._index.typed_by_hand(
                account, line
            ):
                self.report.duplicates += 1
                continue
            self._index.add_key(account, key)
            self._pending.append(_Pending(line, key, target, path))
        self._add_balance(statement, target, path, where)

    def entries(self) -> list[data.Directive]:
        """Return the new entries, reconciled in date order and sorted."""
        pending = sorted(
            self._pending,
            key=lambda p: (p.line.date, p.target.account, p.line.amount, p.key),
        )
        self._pending = []
        new: list[data.Directive] = [self._transaction(p) for p in pending]
        new.extend(self._balances)
        self._balances = []
        self.report.added += len(pending)
        new.extend(self._missing_opens(new))
        new.sort(key=data.entry_sortkey)
        return new

    # Balances ----------------------------------------------------------

    def _add_balance(self, statement: Statement, target: Target, path, where) -> None:
        """Queue the statement's balance, dated the day after DTASOF."""
        if statement.balance is None:
            if not any("balance" in w for w in statement.warnings):
                self._warn(f"{where}: no closing balance in the statement")
            return
        as_of = statement.balance_date
        first = statement.start or min((x.date for x in statement.lines), default=None)
        if first is not None and as_of < first:
            self._warn(
                f"{where}: balance dated {as_of} is before the statement "
                f"period ({first}); no balance assertion written"
            )
            return

        # Beancount checks a balance at the start of its day (C16).
        date = as_of + ONE_DAY
        key = (target.account, date)
        number = statement.balance.quantize(Decimal("0.01"))
        if key in self._index.balances:
            if self._index.balances[key] != number:
                self._warn(
                    f"{where}: balance {number} on {date} differs from the "
                    f"{self._index.balances[key]} already asserted"
                )
            return
        self._index.balances[key] = number
        meta = data.new_metadata(path, 0)
        amount = Amount(number, target.currency)
        self._balances.append(
            data.Balance(meta, date, target.account, amount, None, None)
        )
        self.report.balances += 1

    # Transactions ------------------------------------------------------

    def _transaction(self, pending: _Pending) -> data.Transaction:
        """Build the entry of one bank line: matched, ruled or to review."""
        line, target = pending.line, pending.target
        meta = data.new_metadata(pending.path, 0)
        meta["means"] = payment_means(line)
        bank_meta = {"fitid": pending.key}
        if line.checknum:
            bank_meta["checknum"] = line.checknum
        units = Amount(line.amount, target.currency)
        bank = data.Posting(target.account, units, None, None, None, bank_meta)
        links: frozenset[str] = frozenset()
        flag = flags.FLAG_OKAY

        outcome = self._reconciler.match(line) if line.amount > 0 else None
        if isinstance(outcome, Settlement):
            meta["match"] = outcome.reason
            links = frozenset(number for number, _ in outcome.invoices)
            other = outcome.client_account
            self.report.matched += 1
        else:
            other = self._categorise(line, meta)
        if other is None:
            flag = flags.FLAG_WARNING
            other = self.rules.review_account
            review = outcome or Review("no rule matches this line")
            meta["match"] = f"to review: {review.reason}"
            if review.candidates:
                meta["candidates"] = " ".join(review.candidates)

        counter = data.Posting(other, -units, None, None, None, None)
        entry = data.Transaction(
            meta,
            line.date,
            flag,
            line.payee or None,
            line.memo,
            data.EMPTY_SET,
            links,
            [bank, counter],
        )
        if flag == flags.FLAG_WARNING:
            self.report.reviews.append((entry, meta["match"]))
        return entry

    def _categorise(self, line: BankLine, meta: dict) -> str | None:
        """Return the counter-account a rule gives, or None to review."""
        if self._urssaf_account and self.rules.is_urssaf(line):
            period = urssaf_period(f"{line.memo} {line.payee}")
            if period:
                meta["urssaf-period"] = period
            return self._urssaf_account
        return self.rules.account_for(line)

    def _missing_opens(self, new: list[data.Directive]) -> list[data.Open]:
        """Open every account the new entries use that the ledger lacks.

        The review account, or an account the rules file names, may not be
        opened yet: the batch then opens it on its first use, so the ledger
        stays valid without ``auto_accounts`` and an import through Fava is
        never refused for an account the importer chose (case C22).
        """
        first_use: dict[str, datetime.date] = {}
        for entry in new:
            if isinstance(entry, data.Transaction):
                for posting in entry.postings:
                    if posting.account not in self._opened:
                        day = first_use.get(posting.account, entry.date)
                        first_use[posting.account] = min(day, entry.date)
        opens = []
        for account, day in sorted(first_use.items()):
            self._opened.add(account)
            meta = data.new_metadata("<import>", 0)
            opens.append(data.Open(meta, day, account, None, None))
        return opens

    def _warn(self, message: str) -> None:
        """Record and log a warning."""
        log.warning("%s", message)
        self.report.warnings.append(message)


def _urssaf_account(books) -> str | None:
    """Return the account earlier URSSAF payments were posted to."""
    banks = set(books.banks)
    latest = None
    for payments in books.urssaf_payments.values():
        for entry in payments:
            for posting in entry.postings:
                if posting.account in banks or posting.units.number <= 0:
                    continue
                if latest is None or entry.date >= latest[0]:
                    latest = (entry.date, posting.account)
    return latest[1] if latest else None


def statement_date(statements: Sequence[Statement]) -> datetime.date | None:
    """Return the date a statement file covers up to (for archiving)."""
    dates = [s.end or s.balance_date for s in statements if s.end or s.balance_date]
    dates += [line.date for s in statements for line in s.lines]
    return max(dates, default=None)
