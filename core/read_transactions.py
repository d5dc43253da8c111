"""Read transactions into the books: invoices, receipts, purchases.

A transaction with postings on client or categorised income accounts (the
turnover side) and on other accounts (the cash side) is a receipt, dated on
the day it was cashed; see docs/CONVENTIONS.md, "What counts as a receipt".
"""

from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import data
from beancount_micro.invoice_rules import invoice_problems
from beancount_micro.model import (
    CENT,
    CURRENCY,
    INVOICE_KINDS,
    INVOICE_RULES,
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
        into[category] = into[category] + share if category in into else share
        return
    total = sum(weights.values(), ZERO)
    items = sorted(weights.items())
    allocated = ZERO
    for index, (category, weight) in enumerate(items):
        if index == len(items) - 1 or not total:
            part = share - allocated
        else:
            part = (share * weight / total).quantize(CENT)
        into[category] = into.get(category, ZERO) + part
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
            # An expense account opened with purchase: FALSE holds no purchase.
            kind = OTHER if account in self.no_purchase else EXPENSE
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
        kinds = self.kind_cache
        for posting in entry.postings:
            kind, category = kinds.get(posting.account) or self.kind_of(posting.account)
            if kind is CLIENT:
                client_side.append(posting)
            elif kind is CASH:
                cash_side.append(posting)
            elif kind is EXPENSE:
                expenses.append(posting)
            elif kind is INCOME:
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
                income_side.append((posting, category))
            elif kind is UNCATEGORISED:
                uncategorised_income.append(posting)

        if client_side and uncategorised_income:
            self.report(
                RECEIPTS,
                entry.meta,
                f"income account {uncategorised_income[0].account} has no activity "
                'category: open it with category: "bnc_ssi" (or another category)',
                entry,
            )

        meta = entry.meta
        if "invoice" in meta:
            self.read_invoice(entry, client_side, income_side)
        if "urssaf-period" in meta:
            period = text_of(meta, "urssaf-period")
            self.books.urssaf_payments.setdefault(period, []).append(entry)
        if (client_side or income_side) and cash_side:
            self.pending_receipt(entry, client_side, income_side, cash_side)
        elif client_side and "invoice" not in meta:
            # Money owed settled without cash (a bad debt written off, a
            # compensation): the invoice closes, nothing is cashed.
            amount = sum((p.units.number for p in client_side), ZERO)
            self.apply_to_invoices(entry, amount)
        elif expenses:
            self.read_purchase(entry, expenses)

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
        by_category = _income_by_category(income_side)
        # What the client owes, or for a sale paid on the spot, its income.
        amount = _total(client_side) if client_side else sum(by_category.values(), ZERO)
        owed = amount if client_side and kind != "credit-note" else ZERO
        invoice = Invoice(
            number, entry.date, kind, client, amount, by_category, meta, entry, owed
        )
        self.books.invoices[number] = invoice
        for problem in invoice_problems(invoice):
            self.report(INVOICE_RULES, meta, problem, entry)
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
        by_category = _income_by_category(income_side)
        client = None
        shares: list[tuple[Invoice, Decimal]] = []
        if client_side:
            client = self.books.clients[client_side[0].account]
            client_amount = _total(client_side)
            shares = self.apply_to_invoices(entry, client_amount)
            if not shares:
                self.report(
                    RECEIPTS,
                    meta,
                    f"payment on {client_side[0].account} links no invoice: add "
                    "the invoice's link (^F-…) so the register can cite it",
                    entry,
                )
            if client_amount:
                self.split_by_invoices(client_amount, shares, by_category, entry)

        means = meta.get("means")
        if means not in MEANS:
            means = self.means_of(entry)
        if len(shares) == 1:
            paid: tuple[Invoice, ...] = (shares[0][0],)
        elif shares:
            paid = tuple([invoice for invoice, _ in shares])
        else:
            invoices = self.books.invoices
            links = entry.links or EMPTY
            paid = tuple([invoices[n] for n in sorted(links) if n in invoices])
        if len(paid) == 1:
            numbers: tuple[str, ...] = (paid[0].number,)
        else:
            numbers = tuple([invoice.number for invoice in paid])
        if not numbers and "invoice" in meta:
            numbers = (text_of(meta, "invoice"),)
        if len(by_category) == 1:
            [amount] = by_category.values()
            if not amount:
                by_category = {}
        else:
            amount = sum(by_category.values(), ZERO)
            if not all(by_category.values()):
                by_category = {k: v for k, v in by_category.items() if v}
        if len(cash_side) == 1:
            # Most receipts land on one account: its tuple is shared.
            account = cash_side[0].account
            cash_accounts = self.cash_tuples.get(
                account
            ) or self.cash_tuples.setdefault(account, (account,))
        else:
            cash_accounts = tuple(sorted({p.account for p in cash_side}))
        self.books.receipts.append(
            Receipt(
                entry.date,
                amount,
                by_category,
                means,
                client,
                numbers,
                paid,
                cash_accounts,
                meta,
                entry,
            )
        )

    def means_of(self, entry) -> str | None:
        """The payment means of a receipt, reporting a missing or unknown one."""
        means = text_of(entry.meta, "means") or None
        if means is None:
            self.report(
                RECEIPTS,
                entry.meta,
                "receipt has no means: metadata (virement, cheque, especes, carte, "
                "prelevement, plateforme, autre); the register needs it (CGI art. 99)",
                entry,
            )
        elif means not in MEANS:
            self.report(
                RECEIPTS,
                entry.meta,
                f"payment means {means!r} is not one of {', '.join(MEANS)}",
                entry,
            )
        return means

    def split_by_invoices(self, client_amount, shares, by_category, entry) -> None:
        """Give each paid invoice's categories to its share of the money.

        ``client_amount`` is the movement on the client accounts (negative
        for money received); without a paid invoice it goes to the business's
        first category.
        """
        if not shares:
            business = self.books.business
            if business and business.categories:
                category = business.categories[0]
                received = -client_amount
                by_category[category] = (
                    by_category[category] + received
                    if category in by_category
                    else received
                )
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

    def read_purchase(self, entry, expenses) -> None:
        self.books.purchases.append(Purchase(entry, expenses))


def _total(postings: list[data.Posting]) -> Decimal:
    """The sum of the postings' numbers."""
    total = postings[0].units.number
    for posting in postings[1:]:
        total += posting.units.number
    return total


def _income_by_category(
    income_side: list[tuple[data.Posting, str]],
) -> dict[str, Decimal]:
    """Turnover by activity category: income postings are credits."""
    by_category: dict[str, Decimal] = {}
    for posting, category in income_side:
        by_category[category] = by_category.get(category, ZERO) - posting.units.number
    return by_category
