"""Load the ledger and turn its business and clients into document parties.

Reading follows ``docs/CONVENTIONS.md`` through the shared model
(:func:`beancount_micro.model.read_books`): the business identity comes from
the ``custom "micro" "business"`` directive, a client from the ``open``
metadata of its receivable account. This module adds what documents need on
top: the identity checks (SIRET and SIREN with python-stdnum, a billing
address) that stop a document before it is numbered.
"""

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount.core import account as account_lib
from beancount.core import data
from beancount_micro.invoice.errors import PartyDataError
from beancount_micro.invoice.model import Party
from beancount_micro.loading import load_fresh
from beancount_micro.model import Books, read_books
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

log = logging.getLogger(__name__)


@dataclass
class Ledger:
    """A loaded ledger: its entries, options and the books read from them."""

    path: Path
    entries: list[data.Directive]
    options: dict[str, Any]
    books: Books
    _regime: Any = None

    def category_of(self, account: str) -> str | None:
        """The activity category of an income account, inherited from parents."""
        while account:
            category = self.books.income_categories.get(account)
            if category:
                return category
            account = account_lib.parent(account) or ""
        return None

    def regime(self) -> Any:
        """The dated regime data with this ledger's own figures (cached)."""
        if self._regime is None:
            self._regime = self.books.regime()
        return self._regime


def load_ledger(path: Path) -> Ledger:
    """Load ``path`` with Beancount's loader; its own errors are not ours."""
    entries, errors, options = load_fresh(path)
    if errors:
        log.info("%s loaded with %d Beancount error(s)", path, len(errors))
    return Ledger(path, entries, options, read_books(entries, options))


def seller_party(ledger: Ledger) -> Party:
    """The business as printed on documents, validated with python-stdnum."""
    business = ledger.books.business
    where = f'{ledger.path}: custom "micro" "business"'
    if business is None:
        raise PartyDataError(where, "business", "directive is missing")
    for key in ("name", "siret", "address"):
        if not str(getattr(business, key) or "").strip():
            raise PartyDataError(where, key, "is required on every document")
    siret = stdnum_siret.compact(business.siret)
    if not stdnum_siret.is_valid(siret):
        raise PartyDataError(where, "siret", f"{siret!r} is not a valid SIRET")
    meta = business.meta or {}
    return Party(
        name=business.name.strip(),
        address=business.address.strip(),
        siren=siret[:9],
        siret=siret,
        is_business=True,
        trade_name=business.trade_name or None,
        email=business.email or None,
        phone=business.phone or None,
        vat_number=_opt(meta, "vat-number"),
        iban=business.iban.replace(" ", "") or None,
        bic=business.bic or None,
    )


def client_party(ledger: Ledger, account: str) -> Party:
    """A client's identity from its ``open`` metadata, checked for documents."""
    client = ledger.books.clients[account]
    meta = client.meta or {}
    where = f"{meta.get('filename')}:{meta.get('lineno')}: client {account}"
    if client.kind not in ("business", "individual"):
        raise PartyDataError(where, "client-type", "must be business or individual")
    if not client.name:
        raise PartyDataError(where, "client", "is empty (the name printed)")
    if not client.address:
        raise PartyDataError(where, "address", "is required (billing address)")
    siren = stdnum_siren.compact(client.siren) or None
    if client.is_business:
        if not siren:
            raise PartyDataError(where, "siren", "is required for a business client")
        if not stdnum_siren.is_valid(siren):
            raise PartyDataError(where, "siren", f"{siren!r} is not a valid SIREN")
    return Party(
        name=client.name,
        address=client.address,
        siren=siren,
        is_business=client.is_business,
        email=client.email or None,
        vat_number=client.vat_number or None,
        account=account,
    )


def _opt(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    text = str(value).strip() if value is not None else ""
    return text or None
