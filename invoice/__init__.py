"""Quotes, invoices, deposits and credit notes from plain-text sources.

A TOML source per document (``factures/2026-04-lumiere.toml``) and a
catalogue of services become a numbered PDF/A-3b with Factur-X EN 16931 XML
embedded, and an entry appended to the ledger (see ``docs/INVOICES.md``):

    bean-micro invoice factures/2026-04-lumiere.toml --ledger ledger.beancount

:mod:`.issue` holds the entry points; :mod:`.render` the PDF,
:mod:`.facturx_xml` the XML, :mod:`.writeback` the ledger writes.
"""

from beancount_micro.invoice.config import InvoiceConfig, load_config
from beancount_micro.invoice.issue import (
    IssueResult,
    issue_credit_note,
    issue_invoice,
    issue_quote,
    render_existing,
)

__all__ = [
    "InvoiceConfig",
    "IssueResult",
    "issue_credit_note",
    "issue_invoice",
    "issue_quote",
    "load_config",
    "render_existing",
]
