"""Errors shared by every part of beancount-micro.

Plugins return :class:`MicroError` records (Beancount's error protocol:
``source``, ``message``, ``entry``), so ``bean-check`` and Fava print them
with the file and line of the entry at fault. Everything else raises a
subclass of :class:`BeancountMicroError`; the CLI turns those into one line
on stderr and a non-zero exit code, in one place.
"""

from typing import Any, NamedTuple

from beancount.core import data


class MicroError(NamedTuple):
    """A problem found in the ledger, reported by a plugin."""

    source: data.Meta
    message: str
    entry: Any


class BeancountMicroError(Exception):
    """Base of every error the CLI reports as a one-line message."""


class LedgerInputError(BeancountMicroError):
    """Bad data at a known place: a file and, when known, a line."""

    def __init__(self, filename: str, lineno: int | None, message: str) -> None:
        self.filename = filename
        self.lineno = lineno
        self.detail = message
        where = f"{filename}:{lineno}" if lineno else filename
        super().__init__(f"{where}: {message}")


def error_at(meta: data.Meta | None, message: str, entry: Any = None) -> MicroError:
    """Build a plugin error located at ``meta`` (or at a pseudo file)."""
    if not meta or "filename" not in meta:
        meta = data.new_metadata("<beancount_micro>", 0)
    return MicroError(meta, message, entry)
