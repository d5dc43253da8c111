"""Import each bank line exactly once: keys, and what the ledger already has.

Every imported bank posting carries ``fitid:`` metadata, so the ledger alone
tells what was imported (no cache, no side database). The key of a line is
its FITID when the statement gives it once; when the FITID is missing or
repeated within the statement, it is a fallback key built from the line:

    ~2025-03-04 -4.20 5f1c9a0b #2

that is ``~``, the date, the amount, the first 8 hex digits of the SHA-1 of
the case-folded ``payee|memo`` text, and the rank of the line among lines
identical in date, amount and text in that statement. The same statement,
or an overlapping one that contains the same identical lines, gives the
same keys again.

Keys are compared per account. Lines without a known key are then compared
with the ledger's bank postings that carry no ``fitid:`` (entries typed by
hand): same account, same amount, at most three days apart, similar text.
One ledger posting absorbs at most one bank line. Balances are compared
only with balances (same account and date), never with transactions.
"""

import bisect
import dataclasses
import datetime
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from beancount.core import data
from beancount_micro.importers.ofx_reader import BankLine
from rapidfuzz import fuzz

WINDOW = datetime.timedelta(days=3)
TEXT_SIMILARITY = 60


def line_keys(lines: Sequence[BankLine]) -> list[str]:
    """Return the import key of each line of one statement, in order."""
    counts = Counter(line.fitid for line in lines if line.fitid)
    return [
        line.fitid if line.fitid and counts[line.fitid] == 1 else fallback_key(line)
        for line in lines
    ]


def fallback_key(line: BankLine) -> str:
    """Return the key of a line whose FITID is missing or repeated."""
    text = f"{line.payee}|{line.memo}".casefold()
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"~{line.date.isoformat()} {line.amount} {digest} #{line.rank}"


@dataclasses.dataclass
class _Unkeyed:
    """A bank posting typed by hand: it has no ``fitid:``."""

    date: datetime.date
    text: str
    entry: data.Transaction
    used: bool = False


class LedgerIndex:
    """What the ledger (and this run) already holds, per bank account."""

    def __init__(self, entries: Iterable[data.Directive] = ()) -> None:
        self.keys: set[tuple[str, str]] = set()
        self.balances: dict[tuple[str, datetime.date], Decimal] = {}
        self._unkeyed: dict[tuple[str, Decimal], list[_Unkeyed]] = defaultdict(list)
        for entry in entries:
            self.add_entry(entry)
        for candidates in self._unkeyed.values():
            candidates.sort(key=lambda c: c.date)

    def add_entry(self, entry: data.Directive) -> None:
        """Record the keys, balances and hand-typed postings of an entry."""
        if isinstance(entry, data.Balance):
            self.balances[(entry.account, entry.date)] = entry.amount.number
            return
        if not isinstance(entry, data.Transaction):
            return
        entry_fitid = (entry.meta or {}).get("fitid")
        for posting in entry.postings:
            fitid = (posting.meta or {}).get("fitid") or entry_fitid
            if fitid is not None:
                self.keys.add((posting.account, str(fitid)))
            elif posting.units is not None and posting.units.number is not None:
                text = f"{entry.payee or ''} {entry.narration or ''}"
                where = (posting.account, posting.units.number)
                self._unkeyed[where].append(_Unkeyed(entry.date, text, entry))

    def known(self, account: str, key: str) -> bool:
        """Tell whether a line with this key was already imported."""
        return (account, key) in self.keys

    def typed_by_hand(self, account: str, line: BankLine) -> data.Transaction | None:
        """Find (and use up) a hand-typed ledger entry for this bank line."""
        candidates = self._unkeyed.get((account, line.amount))
        if not candidates:
            return None
        dates = [c.date for c in candidates]
        low = bisect.bisect_left(dates, line.date - WINDOW)
        high = bisect.bisect_right(dates, line.date + WINDOW)
        text = f"{line.payee} {line.memo}".casefold()
        best = None
        for candidate in candidates[low:high]:
            if candidate.used or not _similar(text, candidate.text):
                continue
            gap = abs((candidate.date - line.date).days)
            if best is None or gap < best[0]:
                best = (gap, candidate)
        if best is None:
            return None
        best[1].used = True
        return best[1].entry

    def add_key(self, account: str, key: str) -> None:
        """Record a key imported during this run."""
        self.keys.add((account, key))


def _similar(bank_text: str, ledger_text: str) -> bool:
    """Tell whether a hand-typed entry's text fits the bank's text."""
    ledger_text = ledger_text.strip().casefold()
    if not ledger_text:
        return True
    return fuzz.token_set_ratio(bank_text, ledger_text) >= TEXT_SIMILARITY
