"""Payment terms and legal mentions, from the dated regime data.

Every figure printed on a document comes from the regime data in force on
its issue date: the payment term (Code de commerce L441-10), the late-penalty
rate (ECB rate of the half-year + the margin, or the configured rate, never
under the floor of 3 × the legal interest rate), the fixed recovery
indemnity (D441-5) and the VAT franchise mention (CGI art. 293 B).

:func:`required_mentions` lists what the law wants printed (CGI art. 242
nonies A, Code de commerce L441-9, R123-237); the renderer checks that each
one is in the rendered text, whatever template the user chose.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from beancount_micro.formatting import euros, long_date
from beancount_micro.formatting import number as french_number
from beancount_micro.invoice.errors import DocumentStateError, MissingMentionError
from beancount_micro.invoice.model import Document

LOCALE = "fr_FR"

OPERATION_CATEGORY = "Catégorie d'opération : prestations de services"
NO_DISCOUNT = "Escompte pour paiement anticipé : aucun escompte"


@dataclass(frozen=True)
class Mention:
    """A mention the law requires, and the exact text that must be printed."""

    name: str
    text: str


def money(value: Decimal) -> str:
    """``1 500,00 €`` with a narrow no-break space between thousands."""
    return euros(value)


def number(value: Decimal) -> str:
    """``2,5``: a quantity or a rate in French notation."""
    return french_number(value, None)


def two_places(value: Decimal) -> str:
    """``12,40``: a rate in percent with two decimals."""
    return format_decimal(value, format="#,##0.00", locale=LOCALE)


def due_date(
    regime: Any, issued: date, days: int | None, due: date | None, where: str
) -> date:
    """The due date: given, or issue date + days (default from the regime)."""
    longest = int(regime.value("payment_term_days", "b2b_max", issued))
    if due is None:
        if days is None:
            days = int(regime.value("payment_term_days", "b2b_default", issued))
        due = issued + timedelta(days=days)
    if due < issued:
        raise DocumentStateError(f"{where}: due date {due} is before the issue date")
    if (due - issued).days > longest:
        raise DocumentStateError(
            f"{where}: payment term of {(due - issued).days} days exceeds the "
            f"{longest} days allowed (Code de commerce L441-10)"
        )
    return due


def late_penalty_text(regime: Any, issued: date, configured: Decimal | None) -> str:
    """The late-penalty sentence with the rate in force for the half-year."""
    floor = regime.value("late_penalty_floor_multiple", "all", issued) * regime.value(
        "legal_interest_rate", "professional", issued
    )
    if configured is None:
        rate = regime.value("ecb_refinancing_rate", "all", issued) + regime.value(
            "late_penalty_margin", "all", issued
        )
        basis = "taux de refinancement de la BCE majoré de 10 points"
    else:
        rate = configured / 100
        basis = "taux convenu"
        if rate < floor:
            raise DocumentStateError(
                f"late-penalty rate {configured} % is under the legal floor of "
                f"{two_places(floor * 100)} % (3 × the legal interest rate, L441-10)"
            )
    percent = two_places(rate * 100)
    return f"Pénalités de retard : {percent} % par an ({basis})"


def indemnity(regime: Any, issued: date) -> Decimal:
    """The fixed recovery indemnity owed by a business paying late."""
    return regime.value("recovery_indemnity", "all", issued)


def indemnity_text(amount: Decimal) -> str:
    whole = amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount
    return f"indemnité forfaitaire pour frais de recouvrement de {number(whole)} €"


def required_mentions(
    doc: Document, franchise_mention: str, einvoicing: bool = False
) -> list[Mention]:
    """What the law wants printed on ``doc``, each with its exact text.

    ``einvoicing`` says whether the e-invoicing mentions (décret 2022-1299)
    are due on the issue date, as the regime data ``einvoicing_mentions``
    tells.
    """
    seller, buyer = doc.seller, doc.buyer
    mentions = [
        Mention("seller name followed by EI", f"{seller.name} EI"),
        Mention("seller SIRET", seller.siret or ""),
        Mention("seller address", seller.address),
        Mention("client name", buyer.name),
        Mention("client address", buyer.address),
        Mention("issue date", long_date(doc.issued)),
        Mention("VAT franchise mention", franchise_mention),
        Mention("total", money(doc.total)),
    ]
    if doc.number:
        mentions.append(Mention("document number", doc.number))
    if buyer.is_business:
        mentions.append(Mention("client SIREN", buyer.siren or ""))
    for index, line in enumerate(doc.lines, 1):
        mentions.append(Mention(f"line {index} description", line.description))
        mentions.append(Mention(f"line {index} unit price", money(line.unit_price)))
    if doc.kind == "quote":
        return mentions

    if doc.service_date:
        mentions.append(Mention("date of service", long_date(doc.service_date)))
    if doc.kind == "credit-note":
        mentions.append(Mention("corrected invoice", doc.corrects or ""))
    for deduction in doc.deposits:
        mentions.append(Mention(f"deposit {deduction.number}", deduction.number))
    if einvoicing:
        mentions.append(Mention("operation category", OPERATION_CATEGORY))
    if buyer.is_business and doc.kind != "credit-note":
        mentions += [
            Mention("due date", long_date(doc.due) if doc.due else ""),
            Mention("late-penalty rate", doc.late_penalty or ""),
            Mention(
                "recovery indemnity",
                indemnity_text(doc.recovery_indemnity)
                if doc.recovery_indemnity is not None
                else "",
            ),
            Mention("early-payment discount", NO_DISCOUNT),
        ]
    return mentions


def check_mentions(doc: Document, mentions: list[Mention], text: str) -> None:
    """Stop when a mention is empty or missing from the rendered ``text``."""
    flat = " ".join(text.split())
    for mention in mentions:
        wanted = " ".join(mention.text.split())
        if not wanted or wanted not in flat:
            raise MissingMentionError(doc.number or "draft", mention.name)
