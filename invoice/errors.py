"""Exceptions raised while preparing, rendering and issuing documents.

Each class builds its message from the values it is given, so a ``raise``
stays short and every message says what was found, where, and what was
expected. All derive from :class:`BeancountMicroError`, which the CLI turns
into one line on stderr and a non-zero exit code.
"""

from pathlib import Path

from beancount_micro.errors import BeancountMicroError, LedgerInputError


class SourceError(LedgerInputError):
    """A document source, catalogue or configuration file holds bad data."""

    def __init__(self, path: Path | str, field: str, expected: str) -> None:
        super().__init__(str(path), None, f"field '{field}': {expected}")
        self.field = field


class UnknownClientError(BeancountMicroError):
    """The source names an account that is not a client in the ledger."""

    def __init__(self, path: Path | str, account: str) -> None:
        super().__init__(
            f"{path}: field 'client': {account} is not a client account "
            "(expected an account opened with 'client:' metadata)"
        )


class PartyDataError(BeancountMicroError):
    """The business or a client lacks an identity field a document needs."""

    def __init__(self, where: str, field: str, expected: str) -> None:
        super().__init__(f"{where}: '{field}' {expected}")
        self.field = field


class MissingMentionError(BeancountMicroError):
    """A mandatory mention is absent from the document or its rendering."""

    def __init__(self, number: str, mention: str) -> None:
        super().__init__(f"{number}: mandatory mention missing: {mention}")
        self.mention = mention


class NumberingError(BeancountMicroError):
    """Issuing would break the continuous, chronological numbering."""


class DocumentNotFoundError(BeancountMicroError):
    """A number given on the command line is not in the ledger."""

    def __init__(self, number: str, what: str = "document") -> None:
        super().__init__(f"{number}: no {what} with this number in the ledger")


class DocumentStateError(BeancountMicroError):
    """The document exists but cannot be used that way (stage, amount...)."""


class FacturXError(BeancountMicroError):
    """The Factur-X data would break an EN 16931 rule or fail its schema."""


class TemplateError(BeancountMicroError):
    """The configured template cannot be loaded or rendered."""
