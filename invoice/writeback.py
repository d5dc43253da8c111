"""Write issued documents back: ledger text, atomic writes, the issue lock.

The ledger is the counter: a number exists once its entry is in the ledger.
:func:`issue_lock` is held from reading the last number to appending the new
entry, so two commands never take the same number. Files are replaced
atomically (a temporary file in the same folder, fsync, ``os.replace``):
a crash leaves either the old ledger or the new one, never half of it.
A PDF written before a crash and never booked is overwritten by the next
issue of the same number.
"""

import hashlib
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount_micro import atomic
from beancount_micro.invoice.errors import DocumentStateError
from beancount_micro.invoice.model import Document, cents
from filelock import FileLock

TAG = re.compile(r"^[A-Za-z0-9\-_/.]+$")
LOCK_TIMEOUT = 120


def issue_lock(ledger: Path) -> FileLock:
    """The lock serialising every issue against one ledger.

    It is the ledger's write lock, shared with the bank import, so an import
    and an issue appending to the same ledger queue instead of racing.
    """
    return atomic.lock_for(ledger, LOCK_TIMEOUT)


def write_atomically(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content``: temp file, fsync, rename, fsync dir."""
    atomic.write_bytes_atomic(path, content)


def append_atomically(path: Path, text: str, ledger: Path | None = None) -> None:
    """Append ``text`` to a ledger file by replacing the file atomically.

    The caller holds :func:`issue_lock` of ``ledger``; when ``path`` is
    another file (entries kept apart), that file's own lock is taken too.
    """
    old = Path(path).resolve()
    content = old.read_bytes() if old.exists() else b""
    separator = "\n" if content.strip() and not content.endswith(b"\n\n") else ""
    if ledger is not None and old != Path(ledger).resolve():
        with atomic.locked(old, LOCK_TIMEOUT):
            atomic.append_text_atomic(old, separator + text)
    else:
        atomic.append_text_atomic(old, separator + text)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def quote_string(text: str) -> str:
    """A Beancount string literal: one line, quotes and backslashes escaped."""
    flat = " ".join(str(text).split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def transaction_text(
    doc: Document,
    client_account: str,
    meta: dict[str, object],
    sign: int,
) -> str:
    """The transaction booking ``doc``: receivable against income lines.

    ``sign`` is 1 for invoices and -1 for credit notes. Each line becomes an
    income posting carrying its description, quantity, unit and unit price,
    so the document can be rendered again from the ledger alone; each
    deducted deposit becomes a posting that gives its income back.
    """
    tags = [f"#{doc.project}"] if doc.project and TAG.match(doc.project) else []
    links = " ".join(f"^{link}" for link in [doc.number, *doc.links])
    head = (
        f"{doc.issued} * {quote_string(doc.buyer.name)} {quote_string(doc.title)} "
        f"{links} {' '.join(tags)}"
    ).rstrip()
    lines = [head] + [f"  {key}: {_value(value)}" for key, value in meta.items()]
    lines.append(_posting(client_account, sign * doc.due_amount))
    for line in doc.lines:
        lines.append(_posting(line.account, -sign * line.total))
        lines += [
            f"    line: {quote_string(line.description)}",
            f"    quantity: {line.quantity}",
            f"    unit: {quote_string(line.unit)}",
            f"    unit-price: {line.unit_price} EUR",
        ]
        if line.unit_code != "C62":
            lines.append(f"    unit-code: {quote_string(line.unit_code)}")
    for deduction in doc.deductions:
        lines.append(_posting(deduction.account, sign * deduction.amount))
        lines.append(f"    deducts: {quote_string(deduction.number)}")
    return "\n".join(lines) + "\n"


def quote_text(doc: Document, client_account: str, meta: dict[str, object]) -> str:
    """The ``custom "micro" "quote"`` directive of an issued quote."""
    head = (
        f'{doc.issued} custom "micro" "quote" {quote_string(doc.number or "")} '
        f"{client_account} {cents(doc.total)} EUR"
    )
    return "\n".join([head] + [f"  {k}: {_value(v)}" for k, v in meta.items()]) + "\n"


def stage_text(day: date, quote: str, stage: str) -> str:
    return f'{day} custom "micro" "quote-stage" {quote_string(quote)} "{stage}"\n'


def document_text(day: date, account: str, pdf: str, links: Iterable[str]) -> str:
    """A ``document`` directive so Fava lists the PDF under the client."""
    tail = " ".join(f"^{link}" for link in links)
    return f"{day} document {account} {quote_string(pdf)} {tail}".rstrip() + "\n"


def check_entries_text(text: str, opens: str) -> None:
    """Parse the new entries with their ``open`` directives; refuse any error."""
    _, errors, _ = loader.load_string(opens + "\n" + text)
    errors = [e for e in errors if "document" not in e.message.lower()]
    if errors:
        raise DocumentStateError(
            f"the entry to write does not pass bean-check: {errors[0].message}"
        )


def _posting(account: str, amount: Decimal) -> str:
    return f"  {account.ljust(48)} {cents(amount):>12} EUR"


def _value(value: object) -> str:
    if isinstance(value, date):
        return str(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return f"{value} EUR"
    return quote_string(str(value))
