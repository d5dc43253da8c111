"""Read ``open`` and ``custom "micro"`` directives into the books.

Business identity, clients, income categories, bank accounts, declarations
made, regime figures added by the ledger, quotes and time entries.
"""

import datetime
import functools
import os
from decimal import Decimal
from typing import Any

from beancount.core import account as account_lib
from beancount.core import data
from beancount_micro.identity import (
    SIREN_DIGITS,
    SIRET_DIGITS,
    compact,
    shape_problem,
)
from beancount_micro.model import (
    BUSINESS,
    CATEGORIES,
    CLIENT_TYPES,
    CURRENCY,
    DECLARATIONS,
    INVOICES,
    NATURES,
    PERIODICITIES,
    ZERO,
    Business,
    Client,
    DeclarationMade,
    Quote,
    TimeEntry,
)


def _is_account(value: Any) -> bool:
    return isinstance(value, str) and _valid_account(value)


# A ledger names the same few accounts over and over; Beancount checks each
# name with a regular expression.
_valid_account = functools.lru_cache(maxsize=4096)(account_lib.is_valid)


def text_of(meta: data.Meta, key: str) -> str:
    """A metadata value as stripped text; "" when absent."""
    value = meta.get(key)
    if value is None:
        return ""
    return value.strip() if type(value) is str else str(value).strip()


def flag_value(meta: data.Meta, key: str) -> bool | None:
    """A TRUE/FALSE metadata value; None when it is something else."""
    value = meta.get(key, False)
    return value if isinstance(value, bool) else None


def _euros(value: Any) -> Decimal | None:
    """Return the number of an EUR amount (or a bare number), else None."""
    if isinstance(value, data.Amount):
        return value.number if value.currency == CURRENCY else None
    if isinstance(value, Decimal):
        return value
    return None


# The ``custom "micro" "<kind>"`` directives, and the method reading each.
CUSTOM_READERS = {
    "business": "read_business",
    "business-change": "read_business_change",
    "declaration": "read_declaration",
    "figure": "read_figure",
    "regime-data": "read_regime_data",
    "quote": "read_quote",
    "quote-stage": "read_quote_stage",
    "time": "read_time",
}


class DirectiveReader:
    """The part of the reader that handles ``open`` and ``custom`` directives."""

    def read_open(self, entry: data.Open) -> None:
        meta = entry.meta or {}
        self.opens[entry.account] = entry
        # What an account is (client, category, purchases) is settled by its
        # open; a posting before it (an error of its own) must not fix it.
        if self.kind_cache:
            self.kind_cache.clear()
            self.category_cache.clear()
        if "category" in meta:
            category = text_of(meta, "category")
            if category not in CATEGORIES:
                self.report(
                    BUSINESS,
                    meta,
                    f"unknown activity category {category!r} on {entry.account}: "
                    f"expected one of {', '.join(CATEGORIES)}",
                    entry,
                )
            else:
                self.books.income_categories[entry.account] = category
        if "bank" in meta or "dedicated" in meta:
            self.books.banks[entry.account] = meta
        if "purchase" in meta and not self.flag(entry, "purchase", BUSINESS):
            self.no_purchase.add(entry.account)
        if "client" in meta:
            self.read_client(entry)

    def read_client(self, entry: data.Open) -> None:
        meta = entry.meta
        kind = text_of(meta, "client-type") or "individual"
        siren = compact(text_of(meta, "siren"))
        if kind not in CLIENT_TYPES:
            self.report(
                BUSINESS,
                meta,
                f"client {entry.account}: client-type {kind!r} is not one of "
                "business, individual",
                entry,
            )
        if siren:
            # The checksum is checked by identity_problems (see identity.py).
            problem = shape_problem(siren, SIREN_DIGITS)
            if problem:
                self.report(
                    BUSINESS,
                    meta,
                    f"client {entry.account}: SIREN {siren!r} is malformed: {problem}",
                    entry,
                )
        elif kind == "business":
            self.report(
                BUSINESS,
                meta,
                f"client {entry.account} is a business but has no siren: "
                "a business client's SIREN is required on invoices",
                entry,
            )
        payers = tuple(
            name.strip()
            for name in text_of(meta, "payer-names").split(",")
            if name.strip()
        )
        self.books.clients[entry.account] = Client(
            account=entry.account,
            name=text_of(meta, "client"),
            kind=kind,
            siren=siren,
            address=text_of(meta, "address"),
            email=text_of(meta, "email"),
            vat_number=text_of(meta, "vat-number"),
            payer_names=payers,
            meta=meta,
        )

    def read_custom(self, entry: data.Custom) -> None:
        if entry.type != "micro" or not entry.values:
            return
        name = CUSTOM_READERS.get(entry.values[0].value)
        if name is not None:
            values = [value.value for value in entry.values[1:]]
            getattr(self, name)(entry, values)

    def read_business(self, entry: data.Custom, values: list) -> None:
        meta = entry.meta
        if self.books.business is not None:
            self.report(BUSINESS, meta, "a second micro business directive", entry)
            return
        siret = compact(text_of(meta, "siret"))
        # The checksum is checked by identity_problems (see identity.py).
        problem = shape_problem(siret, SIRET_DIGITS)
        if problem:
            self.report(
                BUSINESS,
                meta,
                f"business SIRET {siret!r} is malformed: {problem} (SIREN + NIC)",
                entry,
            )
        categories = tuple(
            c.strip() for c in text_of(meta, "categories").split(",") if c.strip()
        )
        for category in categories:
            if category not in CATEGORIES:
                self.report(
                    BUSINESS,
                    meta,
                    f"unknown activity category {category!r}: expected one of "
                    f"{', '.join(CATEGORIES)}",
                    entry,
                )
        categories = tuple(c for c in categories if c in CATEGORIES)
        if not categories:
            self.report(
                BUSINESS,
                meta,
                "business has no valid categories: expected some of "
                f"{', '.join(CATEGORIES)}",
                entry,
            )
        nature = text_of(meta, "nature") or (
            "liberal"
            if categories and categories[0].startswith("bnc")
            else "commercial"
        )
        if nature not in NATURES:
            self.report(
                BUSINESS,
                meta,
                f"business nature {nature!r}: expected one of {', '.join(NATURES)}",
                entry,
            )
        periodicity = text_of(meta, "periodicity") or "quarterly"
        if periodicity not in PERIODICITIES:
            self.report(
                BUSINESS,
                meta,
                f"periodicity {periodicity!r}: expected quarterly or monthly",
                entry,
            )
            periodicity = "quarterly"
        if not text_of(meta, "name"):
            self.report(BUSINESS, meta, "business has no name:", entry)
        self.books.business = Business(
            name=text_of(meta, "name"),
            trade_name=text_of(meta, "trade-name"),
            siret=siret,
            address=text_of(meta, "address"),
            categories=categories,
            nature=nature,
            periodicity=periodicity,
            versement_liberatoire=self.flag(entry, "versement-liberatoire", BUSINESS),
            acre=self.flag(entry, "acre", BUSINESS),
            created=entry.date,
            email=text_of(meta, "email"),
            phone=text_of(meta, "phone"),
            iban=text_of(meta, "iban").replace(" ", ""),
            bic=text_of(meta, "bic"),
            meta=meta,
        )

    def read_business_change(self, entry: data.Custom, values: list) -> None:
        business = self.books.business
        if business is None:
            self.report(BUSINESS, entry.meta, "business-change before business", entry)
            return
        change: dict[str, Any] = {}
        if "periodicity" in entry.meta:
            change["periodicity"] = text_of(entry.meta, "periodicity")
        if "versement-liberatoire" in entry.meta:
            change["versement_liberatoire"] = self.flag(
                entry, "versement-liberatoire", BUSINESS
            )
        self.books.business = business._replace(
            changes=(*business.changes, (entry.date, change))
        )

    def read_declaration(self, entry: data.Custom, values: list) -> None:
        meta = entry.meta
        if len(values) < 2 or not isinstance(values[0], str):
            self.report(
                DECLARATIONS,
                meta,
                'declaration: expected a period and an amount, e.g. "2026-Q1" '
                "1200.00 EUR",
                entry,
            )
            return
        period_id, amount = values[0], values[1]
        turnover = _euros(amount)
        if turnover is None:
            self.report(
                DECLARATIONS,
                meta,
                f"declaration {period_id}: turnover {amount!r} is not an amount in EUR",
                entry,
            )
            return
        by_category = {}
        for category in CATEGORIES:
            if category in meta:
                value = _euros(meta[category])
                if value is None:
                    self.report(
                        DECLARATIONS,
                        meta,
                        f"declaration {period_id}: {category} is not an amount in EUR",
                        entry,
                    )
                    continue
                by_category[category] = value
        self.books.declarations.append(
            DeclarationMade(entry.date, period_id, turnover, by_category, meta, entry)
        )

    def read_figure(self, entry: data.Custom, values: list) -> None:
        from beancount_micro.regime import Figure

        meta = entry.meta
        if len(values) < 3 or not all(isinstance(v, str) for v in values[:2]):
            self.report(
                BUSINESS,
                meta,
                'figure: expected a key, a scope and a value, e.g. "urssaf_rate" '
                '"bnc_ssi" 0.262',
                entry,
            )
            return
        key, scope, value = values[0], values[1], values[2]
        valid_to = meta.get("valid-to")
        problem = ""
        if not isinstance(value, Decimal):
            problem = "the value is not a plain number (rates as fractions: 0.262)"
        elif value < 0:
            problem = "the value is negative"
        elif (key.endswith("_rate") or key.endswith("_share")) and value > 1:
            problem = f"{value} is not a rate: write rates as fractions (0.262)"
        elif valid_to is not None and not isinstance(valid_to, datetime.date):
            problem = f"valid-to {valid_to!r} is not a date (YYYY-MM-DD, unquoted)"
        elif valid_to is not None and valid_to < entry.date:
            problem = f"valid-to {valid_to} is before the directive's date"
        elif not self.known_figure(key, scope):
            problem = (
                f"no figure {key!r} for {scope!r} in the regime data: check the key "
                "and scope against core/regime/regime.toml"
            )
        if problem:
            self.report(BUSINESS, meta, f"figure {key} {scope}: {problem}", entry)
            return
        self.books.figures.append(
            Figure(
                key=key,
                scope=scope,
                valid_from=entry.date,
                valid_to=valid_to,
                value=value,
                unit=text_of(meta, "unit") or "rate",
                axis=text_of(meta, "axis") or "cash_date",
                source=text_of(meta, "source") or f"ledger {meta.get('filename')}",
                tag="ledger",
            )
        )

    def known_figure(self, key: str, scope: str) -> bool:
        """Whether the packaged regime data has figures of this key and scope."""
        from beancount_micro.regime import Regime

        return any(
            f.key == key and f.scope == scope for f in Regime.default().figures()
        )

    def read_regime_data(self, entry: data.Custom, values: list) -> None:
        from beancount_micro.errors import BeancountMicroError
        from beancount_micro.regime import load_figures

        meta = entry.meta
        if not values or not isinstance(values[0], str):
            self.report(BUSINESS, meta, "regime-data: expected a file name", entry)
            return
        base = os.path.dirname(str(meta.get("filename", "")))
        path = os.path.join(base, values[0])
        try:
            self.books.figures.extend(load_figures(path))
        except BeancountMicroError as exc:
            self.report(BUSINESS, meta, f"regime-data: {exc}", entry)
        except OSError as exc:
            self.report(
                BUSINESS,
                meta,
                f"regime-data: cannot read {path} ({exc.strerror}); expected a TOML "
                "file of dated figures",
                entry,
            )

    def read_quote(self, entry: data.Custom, values: list) -> None:
        meta = entry.meta
        if (
            len(values) < 3
            or not isinstance(values[0], str)
            or not _is_account(values[1])
        ):
            self.report(
                INVOICES,
                meta,
                "quote: expected a number, a client account and an amount, e.g. "
                '"D-2026-0003" Assets:Clients:X 4500.00 EUR',
                entry,
            )
            return
        amount = _euros(values[2]) or ZERO
        self.books.quotes[values[0]] = Quote(
            number=values[0],
            date=entry.date,
            client_account=values[1],
            amount=amount,
            stage=text_of(meta, "stage") or "sent",
            valid_until=meta.get("valid-until"),
            project=text_of(meta, "project") or None,
            meta=meta,
        )

    def read_quote_stage(self, entry: data.Custom, values: list) -> None:
        quote = self.books.quotes.get(values[0]) if values else None
        if quote is None or len(values) < 2:
            self.report(
                INVOICES,
                entry.meta,
                f"quote-stage for unknown quote {values[:1]}",
                entry,
            )
            return
        quote.stage = str(values[1])

    def read_time(self, entry: data.Custom, values: list) -> None:
        if len(values) < 2 or not _is_account(values[0]):
            self.report(
                INVOICES,
                entry.meta,
                "time: expected a client account and hours, e.g. Assets:Clients:X 2.5 "
                '"project"',
                entry,
            )
            return
        hours = values[1].number if isinstance(values[1], data.Amount) else values[1]
        self.books.time_entries.append(
            TimeEntry(
                date=entry.date,
                client_account=values[0],
                hours=Decimal(hours),
                project=str(values[2]) if len(values) > 2 else "",
                note=text_of(entry.meta, "note"),
                meta=entry.meta,
            )
        )
