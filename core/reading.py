"""Read the books from loaded entries: one pass, see :func:`read_books`.

The reader combines :class:`~beancount_micro.read_directives.DirectiveReader`
(``open`` and ``custom`` directives) and
:class:`~beancount_micro.read_transactions.TransactionReader` (invoices,
receipts, purchases). Problems are collected with the topic of the plugin
that reports them.
"""

from collections.abc import Sequence

from beancount.core import data
from beancount_micro.errors import error_at
from beancount_micro.model import Books
from beancount_micro.read_directives import DirectiveReader, flag_value
from beancount_micro.read_transactions import TransactionReader


class Reader(DirectiveReader, TransactionReader):
    """One pass over the entries, collecting what :class:`Books` holds."""

    def __init__(self, options_map: dict) -> None:
        self.books = Books(filename=options_map.get("filename", ""))
        self.income_root = options_map.get("name_income", "Income")
        self.expenses_root = options_map.get("name_expenses", "Expenses")
        self.assets_root = options_map.get("name_assets", "Assets")
        self.opens: dict[str, data.Open] = {}
        self.category_cache: dict[str, str | None] = {}
        self.kind_cache: dict[str, tuple[str, str | None]] = {}
        self.no_purchase: set[str] = set()
        self.cash_tuples: dict[str, tuple[str]] = {}

    def report(self, topic: str, meta: data.Meta | None, message: str, entry=None):
        self.books.errors.append((topic, error_at(meta, message, entry)))

    def flag(self, entry, key: str, topic: str) -> bool:
        """Read a TRUE/FALSE value; anything else is an error (and counts as no)."""
        value = flag_value(entry.meta, key)
        if value is None:
            self.report(
                topic,
                entry.meta,
                f"{key}: {entry.meta[key]!r} is not TRUE or FALSE "
                "(write it unquoted, in capitals)",
                entry,
            )
            return False
        return value


def read_books(entries: Sequence[data.Directive], options_map: dict) -> Books:
    """Read the micro-entrepreneur's books from loaded (sorted) entries."""
    reader = Reader(options_map)
    last = None
    for entry in entries:
        if isinstance(entry, data.Transaction):
            reader.read_transaction(entry)
        elif isinstance(entry, data.Open):
            reader.read_open(entry)
        elif isinstance(entry, data.Custom):
            reader.read_custom(entry)
        last = entry.date
    reader.books.last_date = last
    return reader.books
