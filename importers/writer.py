"""Append imported entries to a ledger file, atomically and checked.

The new text is first printed with Beancount's printer and read back with
``loader.load_string``: a syntax error or an entry that does not read back
the same stops the write. The file is then rewritten as its old bytes,
unchanged, followed by the new entries, through a temporary file in the
same folder (fsync, then ``os.replace``), under a lock (``FILE.lock``), so
a crash or a concurrent import never leaves half an import behind.
"""

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from beancount import loader
from beancount.core import data
from beancount.parser import printer
from beancount_micro.errors import BeancountMicroError
from filelock import FileLock, Timeout

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
    """Hold the import lock of a ledger file.

    Raises:
        LedgerWriteError: another import holds the lock for too long.
    """
    lock = FileLock(f"{path}.lock")
    try:
        with lock.acquire(timeout=LOCK_TIMEOUT):
            yield
    except Timeout as exc:
        raise LedgerWriteError(f"{path} is locked by another import") from exc


def append_text(path: str | Path, text: str) -> None:
    """Append text to a file atomically, keeping every existing byte.

    The caller holds :func:`locked` for the whole read-compute-write.
    """
    path = Path(path)
    old = path.read_bytes() if path.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    new = old + (b"\n" if old else b"") + text.encode("utf-8")
    if not new.endswith(b"\n"):
        new += b"\n"

    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(new)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (where the platform allows it)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


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
