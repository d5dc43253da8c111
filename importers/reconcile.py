"""Find the open invoice(s) a bank credit pays.

Open invoices come from the ledger through :func:`beancount_micro.model.
read_books` (an invoice with money still owed on its client's account).
A credit is matched, in this order:

1. by invoice number in its NAME or MEMO (``F-2026-0042``, also written
   ``F20260042`` or ``F 2026 0042`` by the bank): the amount must settle
   the invoices named, or pay part of a single one;
2. by payer and amount: the payer is recognised (fuzzy, rapidfuzz) from the
   client's ``client:`` name and ``payer-names:``; then exactly one open
   invoice of that client has the amount, or exactly one set of two to
   four of its oldest open invoices adds up to it.

Anything else (two invoices of the same amount, an unknown payer, an
amount that fits nothing) is not guessed: it is returned as a
:class:`Review` with the candidates, for the user to settle by hand.
Invoices matched during a run are settled as the run goes, so two
credits never pay the same invoice twice.
"""

import dataclasses
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from beancount_micro.importers.ofx_reader import BankLine
from beancount_micro.model import Books, Invoice
from rapidfuzz import fuzz

NAME_SIMILARITY = 90
MAX_NUMBER_TOKENS = 4
SUBSET_POOL = 12
SUBSET_SIZES = (2, 3, 4)
MAX_CANDIDATES = 8
LEGAL_FORMS = {"SAS", "SASU", "SARL", "EURL", "SA", "SCI", "SNC", "EI", "SCOP", "ETS"}
BANK_WORDS = {"VIR", "VIREMENT", "SEPA", "DE", "RECU", "INST", "REF", "MOTIF", "PAR"}


@dataclasses.dataclass(frozen=True)
class Settlement:
    """A credit matched to invoices of one client."""

    client_account: str
    invoices: tuple[tuple[str, Decimal], ...]
    reason: str


@dataclasses.dataclass(frozen=True)
class Review:
    """A credit left for the user, with the invoices it might pay."""

    reason: str
    candidates: tuple[str, ...] = ()


@dataclasses.dataclass
class _Open:
    """An invoice still owed, as the run settles it."""

    number: str
    client_account: str
    date: object
    outstanding: Decimal


class Reconciler:
    """Match credits against the open invoices of a ledger."""

    def __init__(self, books: Books) -> None:
        self._invoices: dict[str, _Open] = {}
        self._by_key: dict[str, str] = {}
        self._by_client: dict[str, list[_Open]] = defaultdict(list)
        self._by_amount: dict[Decimal, list[_Open]] = defaultdict(list)
        self._client_names: dict[str, list[str]] = {}
        self._client_label: dict[str, str] = {}
        self._token_index: dict[str, set[str]] = defaultdict(set)
        self._payer_cache: dict[str, list[str]] = {}

        for invoice in books.invoices.values():
            self._add_invoice(invoice)
        for client in books.clients.values():
            names = [_normalise(n) for n in (client.name, *client.payer_names)]
            names = [n for n in names if n]
            self._client_names[client.account] = names
            self._client_label[client.account] = client.name
            for name in names:
                for token in name.split():
                    self._token_index[token].add(client.account)
        for invoices in self._by_client.values():
            invoices.sort(key=lambda i: (i.date, i.number))

    def match(self, line: BankLine) -> Settlement | Review:
        """Find what a credit pays, and settle it when the match is sure."""
        result = self._by_number(line) or self._by_payer(line)
        if isinstance(result, Settlement):
            for number, amount in result.invoices:
                self._invoices[number].outstanding -= amount
        return result

    def open_numbers(self) -> list[str]:
        """Return the numbers of the invoices still owed after this run."""
        return [i.number for i in self._invoices.values() if i.outstanding > 0]

    # Steps -------------------------------------------------------------

    def _by_number(self, line: BankLine) -> Settlement | Review | None:
        """Match by invoice numbers written in the line."""
        numbers = self._numbers_in(f"{line.payee} {line.memo}")
        if not numbers:
            return None
        owed = [self._invoices[n] for n in numbers if self._invoices[n].outstanding > 0]
        named = ", ".join(numbers)
        if not owed:
            return Review(f"invoice {named} in memo is already paid", tuple(numbers))
        if len({i.client_account for i in owed}) > 1:
            return Review(f"invoices {named} belong to several clients", tuple(numbers))

        total = sum((i.outstanding for i in owed), Decimal(0))
        label = ", ".join(i.number for i in owed)
        if line.amount == total:
            word = "number" if len(owed) == 1 else "numbers"
            return _settle(owed, f"{word} {label} in memo")
        if len(owed) == 1 and line.amount < total:
            rest = total - line.amount
            reason = f"number {label} in memo, part payment ({rest} still owed)"
            return Settlement(owed[0].client_account, ((label, line.amount),), reason)
        return Review(
            f"{line.amount} does not settle {label} (owed {total})", tuple(numbers)
        )

    def _by_payer(self, line: BankLine) -> Settlement | Review:
        """Match by recognised payer, then by amount."""
        clients = self._payers(line)
        if len(clients) != 1:
            same = [
                i.number
                for i in self._by_amount.get(line.amount, ())
                if i.outstanding == line.amount
            ][:MAX_CANDIDATES]
            who = "payer not recognised" if not clients else "several clients fit"
            if same:
                return Review(f"{who}; open invoices of {line.amount}", tuple(same))
            return Review(f"{who}; no invoice number in memo")

        client = clients[0]
        owed = [i for i in self._by_client[client] if i.outstanding > 0]
        exact = [i for i in owed if i.outstanding == line.amount]
        payer = f"payer {self._client_label[client]}"
        if len(exact) == 1:
            return _settle(exact, f"amount {line.amount} and {payer}")
        if len(exact) > 1:
            numbers = tuple(i.number for i in exact)
            return Review(f"{len(exact)} open invoices of {line.amount}", numbers)

        subsets = _subsets(owed[:SUBSET_POOL], line.amount)
        if len(subsets) == 1:
            label = ", ".join(i.number for i in subsets[0])
            return _settle(subsets[0], f"amount {line.amount} = {label}, and {payer}")
        numbers = tuple(i.number for i in owed[:MAX_CANDIDATES])
        if subsets:
            return Review(f"several sets of invoices add up to {line.amount}", numbers)
        return Review(f"{payer} owes no invoice of {line.amount}", numbers)

    # Helpers -----------------------------------------------------------

    def _add_invoice(self, invoice: Invoice) -> None:
        """Index an invoice by its number (every invoice, paid or not)."""
        if invoice.kind == "credit-note" or invoice.client is None:
            return
        key = _number_key(invoice.number)
        state = _Open(
            invoice.number, invoice.client.account, invoice.date, invoice.open_amount
        )
        self._invoices[invoice.number] = state
        self._by_client[invoice.client.account].append(state)
        self._by_amount[invoice.open_amount].append(state)
        if len(key) >= 4 and any(c.isdigit() for c in key):
            self._by_key[key] = invoice.number

    def _numbers_in(self, text: str) -> list[str]:
        """Return the invoice numbers written in a text, in order, once."""
        tokens = re.findall(r"[A-Z0-9]+", _fold(text.upper()))
        found: list[str] = []
        for start in range(len(tokens)):
            joined = ""
            for token in tokens[start : start + MAX_NUMBER_TOKENS]:
                joined += token
                number = self._by_key.get(joined)
                if number and number not in found:
                    found.append(number)
        return found

    def _payers(self, line: BankLine) -> list[str]:
        """Return the client accounts whose names fit the line's payer."""
        text = _normalise(f"{line.payee} {line.memo}")
        if text in self._payer_cache:
            return self._payer_cache[text]
        nearby = set()
        for token in text.split():
            nearby |= self._token_index.get(token, set())
        fits = []
        for account in sorted(nearby):
            best = max(
                fuzz.token_set_ratio(name, text) for name in self._client_names[account]
            )
            if best >= NAME_SIMILARITY:
                fits.append((best, account))
        top = max((score for score, _ in fits), default=0)
        clients = [account for score, account in fits if score == top]
        self._payer_cache[text] = clients
        return clients


def _settle(invoices: Iterable[_Open], reason: str) -> Settlement:
    """Settle whole invoices."""
    invoices = list(invoices)
    pairs = tuple((i.number, i.outstanding) for i in invoices)
    return Settlement(invoices[0].client_account, pairs, reason)


def _subsets(owed: list[_Open], amount: Decimal) -> list[tuple[_Open, ...]]:
    """Return the sets of two to four invoices that add up to an amount."""
    found = []
    for size in SUBSET_SIZES:
        for combo in itertools.combinations(owed, size):
            if sum((i.outstanding for i in combo), Decimal(0)) == amount:
                found.append(combo)
                if len(found) > 1:
                    return found
    return found


def _number_key(number: str) -> str:
    """Reduce an invoice number to letters and digits (``F20260042``)."""
    return re.sub(r"[^A-Z0-9]", "", _fold(number.upper()))


def _normalise(name: str) -> str:
    """Reduce a name to upper-case words, without accents or legal forms."""
    words = re.findall(r"[A-Z0-9]+", _fold(name.upper()))
    return " ".join(w for w in words if w not in LEGAL_FORMS and w not in BANK_WORDS)


def _fold(text: str) -> str:
    """Remove accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
