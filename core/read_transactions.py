"""Read transactions into the books: invoices, receipts, purchases.

A transaction with postings on client or categorised income accounts (the
turnover side) and on other accounts (the cash side) is a receipt, dated on
the day it was cashed; see docs/CONVENTIONS.md, "What counts as a receipt".
"""

from collections import defaultdict
from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import data
from beancount_micro.model import (
    CENT,
    CURRENCY,
    INVOICE_KINDS,
    INVOICES,
    MEANS,
    RECEIPTS,
    ZERO,
    Invoice,
    Purchase,
    Receipt,
)
from beancount_micro.read_directives import text_of

# What an account is to the books (see TransactionReader.kind_of).
CLIENT, INCOME, UNCATEGORISED, EXPENSE, CASH, OTHER = (
    "client",
    "income",
    "uncategorised",
    "expense",
    "cash",
    "other",
)


EMPTY: frozenset[str] = frozenset()


def split_share(
    share: Decimal, weights: dict[str, Decimal], into: dict[str, Decimal]
) -> None:
    """Add ``share`` to ``into``, split in proportion to ``weights``."""
    if len(weights) == 1:
        [category] = weights
        into[category] += share
        return
    total = sum(weights.values(), ZERO)
    items = sorted(weights.items())
    allocated = ZERO
    for index, (category, weight) in enumerate(items):
        if index == len(items) - 1 or not total:
            part = share - allocated
        else:
            part = (share * weight / total).quantize(CENT)
        into[category] += part
        allocated += part


class TransactionReader:
    """The part of the reader that handles transactions."""

    def category_of(self, account: str) -> str | None:
        """The activity category of an income account, inherited from parents."""
        try:
            return self.category_cache[account]
        except KeyError:
            pass
        category = self.books.income_categories.get(account)
        if category is None:
            parent = account_lib.parent(account)
            category = self.category_of(parent) if parent else None
        self.category_cache[account] = category
        return category

    def kind_of(self, account: str) -> tuple[str, str | None]:
        """What an account is to the books: client, income, expense or cash."""
        try:
            return self.kind_cache[account]
        except KeyError:
            pass
        category = None
        if account in self.books.clients:
            kind = CLIENT
        elif (category := self.category_of(account)) is not None:
            kind = INCOME
        elif account.startswith(self.income_root + ":"):
            kind = UNCATEGORISED
        elif account.startswith(self.expenses_root + ":"):
            kind = EXPENSE
        elif account in self.books.banks or account.startswith(self.assets_root + ":"):
            # Money is cashed on a bank account, a till or a platform wallet.
            kind = CASH
        else:
            kind = OTHER
        self.kind_cache[account] = (kind, category)
        return kind, category

    def read_transaction(self, entry: data.Transaction) -> None:
        client_side: list[data.Posting] = []
        income_side: list[tuple[data.Posting, str]] = []
        cash_side: list[data.Posting] = []
        expenses: list[data.Posting] = []
        uncategorised_income = []
        kind_of = self.kind_of
        for posting in entry.postings:
            kind, category = kind_of(posting.account)
            if kind is CLIENT:
                client_side.append(posting)
            elif kind is INCOME:
                income_side.append((posting, category))
            elif kind is CASH:
                cash_side.append(posting)
            elif kind is UNCATEGORISED:
                uncategorised_income.append(posting)
            elif kind is EXPENSE:
                expenses.append(posting)

        for posting, _ in income_side:
            if posting.units.currency != CURRENCY:
                self.report(
                    RECEIPTS,
                    entry.meta,
                    f"income posting on {posting.account} is in "
                    f"{posting.units.currency}: turnover must be booked in EUR "
                    "(the euro amount credited)",
                    entry,
                )
                return
        if client_side and uncategorised_income:
            self.report(
                RECEIPTS,
                entry.meta,
                f"income account {uncategorised_income[0].account} has no activity "
                'category: open it with category: "bnc_ssi" (or another category)',
                entry,
            )

        if "invoice" in entry.meta:
            self.read_invoice(entry, client_side, income_side)
        if "urssaf-period" in entry.meta:
            period = text_of(entry.meta, "urssaf-period")
            self.books.urssaf_payments.setdefault(period, []).append(entry)
        if (client_side or income_side) and cash_side:
            self.pending_receipt(entry, client_side, income_side, cash_side)
        elif client_side and "invoice" not in entry.meta:
            # Money owed settled without cash (a bad debt written off, a
            # compensation): the invoice closes, nothing is cashed.
            amount = sum((p.units.number for p in client_side), ZERO)
            self.apply_to_invoices(entry, amount)
        elif expenses:
            self.read_purchase(entry, expenses, cash_side)

    def read_invoice(self, entry, client_side, income_side) -> None:
        meta = entry.meta
        number = text_of(meta, "invoice")
        kind = text_of(meta, "invoice-kind") or "invoice"
        if kind not in INVOICE_KINDS:
            self.report(
                INVOICES,
                meta,
                f"invoice {number}: invoice-kind {kind!r} is not one of "
                f"{', '.join(INVOICE_KINDS)}",
                entry,
            )
        if number in self.books.invoices:
            first = self.books.invoices[number].meta
            self.report(
                INVOICES,
                meta,
                f"invoice number {number} is used twice (first at "
                f"{first.get('filename')}:{first.get('lineno')}): numbers are unique "
                "(CGI ann. II art. 242 nonies A)",
                entry,
            )
            return
        client = None
        if client_side:
            client = self.books.clients[client_side[0].account]
        elif not income_side:
            self.report(
                INVOICES,
                meta,
                f"invoice {number} posts to no client account and no income account",
                entry,
            )
            return
        else:
            self.report(
                INVOICES,
                meta,
                f"invoice {number} has no client: post the amount to the client's "
                "account (an account opened with client: metadata)",
                entry,
            )
        by_category: dict[str, Decimal] = {}
        for posting, category in income_side:
            by_category[category] = (
                by_category.get(category, ZERO) - posting.units.number
            )
        # What the client owes, or for a sale paid on the spot, its income.
        if client_side:
            amount = sum([p.units.number for p in client_side], ZERO)
        else:
            amount = sum(by_category.values(), ZERO)
        invoice = Invoice(
            number=number,
            date=entry.date,
            kind=kind,
            client=client,
            amount=amount,
            by_category=by_category,
            meta=meta,
            entry=entry,
            open_amount=amount if client_side and kind != "credit-note" else ZERO,
        )
        self.books.invoices[number] = invoice
        if kind == "credit-note" and client_side:
            self.apply_to_invoices(entry, amount, exclude=number)

    def apply_to_invoices(
        self, entry, amount: Decimal, exclude: str = ""
    ) -> list[tuple[Invoice, Decimal]]:
        """Allocate a client-account movement to the invoices the entry links.

        The oldest invoice is settled first; returns each invoice's share.
        """
        invoices = self.books.invoices
        links = entry.links or EMPTY
        if len(links) == 1:
            # The common case: one invoice takes the whole movement.
            [link] = links
            invoice = invoices.get(link)
            if invoice is None or link == exclude or invoice.kind == "credit-note":
                return []
            share = -amount
            invoice.open_amount -= share
            if invoice.open_amount <= ZERO and invoice.paid_on is None:
                invoice.paid_on = entry.date
            return [(invoice, share)]
        targets = [
            invoices[link]
            for link in (links if len(links) < 2 else sorted(links))
            if link in invoices
            and link != exclude
            and invoices[link].kind != "credit-note"
        ]
        if not targets:
            return []
        targets.sort(key=lambda invoice: (invoice.date, invoice.number))
        remaining = -amount
        shares = []
        for index, invoice in enumerate(targets):
            last = index == len(targets) - 1
            share = (
                remaining if last else min(remaining, max(invoice.open_amount, ZERO))
            )
            invoice.open_amount -= share
            remaining -= share
            if invoice.open_amount <= ZERO and invoice.paid_on is None:
                invoice.paid_on = entry.date
            shares.append((invoice, share))
        return shares

    def pending_receipt(self, entry, client_side, income_side, cash_side) -> None:
        meta = entry.meta
        by_category: dict[str, Decimal] = defaultdict(Decimal)
        for posting, category in income_side:
            by_category[category] -= posting.units.number
        client_amount = ZERO
        for posting in client_side:
            client_amount += posting.units.number
        client = self.books.clients[client_side[0].account] if client_side else None
        shares = self.apply_to_invoices(entry, client_amount) if client_side else []

        if client_side and not shares:
            self.report(
                RECEIPTS,
                meta,
                f"payment on {client_side[0].account} links no invoice: add the "
                "invoice's link (^F-…) so the register can cite it",
                entry,
            )
        if client_amount:
            self.split_by_invoices(-client_amount, shares, by_category, entry)

        means = text_of(meta, "means") or None
        if means is None:
            self.report(
                RECEIPTS,
                meta,
                "receipt has no means: metadata (virement, cheque, especes, carte, "
                "prelevement, plateforme, autre); the register needs it (CGI art. 99)",
                entry,
            )
        elif means not in MEANS:
            self.report(
                RECEIPTS,
                meta,
                f"payment means {means!r} is not one of {', '.join(MEANS)}",
                entry,
            )
        invoices = self.books.invoices
        if shares:
            paid = tuple(invoice for invoice, _ in shares)
        else:
            links = entry.links or EMPTY
            paid = tuple(invoices[n] for n in sorted(links) if n in invoices)
        numbers = tuple(invoice.number for invoice in paid)
        if not numbers and "invoice" in meta:
            numbers = (text_of(meta, "invoice"),)
        amount = ZERO
        for value in by_category.values():
            amount += value
        receipt = Receipt(
            date=entry.date,
            amount=amount,
            by_category={k: v for k, v in by_category.items() if v},
            means=means,
            client=client,
            invoices=numbers,
            paid=paid,
            cash_accounts=(cash_side[0].account,)
            if len(cash_side) == 1
            else tuple(sorted({p.account for p in cash_side})),
            meta=meta,
            entry=entry,
        )
        self.books.receipts.append(receipt)

    def split_by_invoices(self, amount, shares, by_category, entry) -> None:
        """Give each paid invoice's categories to its share of the money."""
        if not shares:
            business = self.books.business
            if business and business.categories:
                by_category[business.categories[0]] += amount
                return
            self.report(
                RECEIPTS,
                entry.meta,
                "cannot tell the activity category of this receipt: link it to "
                "an invoice or declare the business categories",
                entry,
            )
            return
        for invoice, share in shares:
            split_share(share, invoice.by_category, by_category)

    def read_purchase(self, entry, expenses, cash_side) -> None:
        no_purchase = self.no_purchase
        counted = [p for p in expenses if p.account not in no_purchase]
        if not counted:
            return
        amount = ZERO
        for posting in counted:
            if posting.units.currency == CURRENCY:
                amount += posting.units.number
        if len(counted) == 1:
            accounts = (counted[0].account,)
        else:
            accounts = tuple(sorted({p.account for p in counted}))
        self.books.purchases.append(
            Purchase(entry.date, amount, accounts, entry.meta, entry)
        )
