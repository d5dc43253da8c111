"""Append imported entries to a ledger file, atomically and checked.

The new text is first printed with Beancount's printer and read back with
``loader.load_string``: a syntax error or an entry that does not read back
the same stops the write. The file is then rewritten as its old bytes,
unchanged, followed by the new entries, through a temporary file in the
same folder (fsync, then ``os.replace``), under the lock every writer of
the file shares (:mod:`beancount_micro.atomic`), so a crash or a concurrent
command never leaves half an import behind.
"""

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from beancount import loader
from beancount.core import data
from beancount.parser import printer
from beancount_micro import atomic
from beancount_micro.errors import BeancountMicroError

LOCK_TIMEOUT = 30


class LedgerWriteError(BeancountMicroError):
    """The new entries could not be written."""


def format_entries(entries: Sequence[data.Directive]) -> str:
    """Print entries as ledger text, checked by reading it back.

    Raises:
        LedgerWriteError: the text does not read back as the same entries.
    """
    text = "\n".join(
        printer.format_entry(entry).rstrip("\n") + "\n" for entry in entries
    )
    parsed, errors, _ = loader.load_string(text)
    syntax = [e for e in errors if type(e).__name__.startswith("Parser")]
    if syntax:
        raise LedgerWriteError(f"the new entries do not parse: {syntax[0].message}")
    if _shape(parsed) != _shape(entries):
        raise LedgerWriteError("the new entries do not read back as written")
    return text


@contextlib.contextmanager
def locked(path: str | Path) -> Iterator[None]:
    """Hold the write lock of a ledger file (shared with every other writer).

    Raises:
        LedgerWriteError: another command holds the lock for too long.
    """
    try:
        with atomic.locked(path, LOCK_TIMEOUT):
            yield
    except atomic.FileBusyError as exc:
        raise LedgerWriteError(str(exc)) from exc


def append_text(path: str | Path, text: str) -> None:
    """Append text to a file atomically, keeping every existing byte.

    The caller holds :func:`locked` for the whole read-compute-write.
    """
    old = Path(path).resolve()
    separator = "\n" if old.exists() and old.stat().st_size else ""
    atomic.append_text_atomic(path, separator + text)


def _shape(entries: Sequence[data.Directive]) -> list[tuple]:
    """Reduce entries to what must survive printing: type, date, amounts."""
    shapes = []
    for entry in sorted(entries, key=data.entry_sortkey):
        amounts: tuple = ()
        if isinstance(entry, data.Transaction):
            amounts = tuple(
                (p.account, p.units.number, (p.meta or {}).get("fitid"))
                for p in entry.postings
            )
        elif isinstance(entry, data.Balance):
            amounts = ((entry.account, entry.amount.number),)
        shapes.append((type(entry).__name__, entry.date, amounts))
    return shapes
