"""What a quote, invoice, deposit invoice or credit note is made of.

These types carry no behaviour beyond their arithmetic: the sources build
them, the renderer prints them, the Factur-X writer serialises them and the
ledger writer turns them into entries. Money is ``Decimal`` in euros, rounded
to the cent per line (a line total is quantity × unit price, rounded half-up).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

KINDS = ("quote", "invoice", "deposit", "final", "credit-note")


def cents(value: Decimal) -> Decimal:
    """Round an amount to the cent, half-up, as invoices do."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Party:
    """The seller or the buyer, as printed on documents."""

    name: str
    address: str
    siren: str | None = None
    siret: str | None = None
    is_business: bool = False
    trade_name: str | None = None
    email: str | None = None
    phone: str | None = None
    vat_number: str | None = None
    iban: str | None = None
    bic: str | None = None
    account: str | None = None


@dataclass(frozen=True)
class Line:
    """One billed line: quantity × unit price, booked to an income account."""

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    account: str
    unit_code: str = "C62"
    vat_category: str | None = "E"

    @property
    def total(self) -> Decimal:
        return cents(self.quantity * self.unit_price)


@dataclass(frozen=True)
class Deduction:
    """A deposit invoice deducted from a final invoice."""

    number: str
    issued: date
    amount: Decimal
    account: str


@dataclass
class Document:
    """A document ready to render: every field the PDF and the XML print."""

    kind: str
    number: str | None
    issued: date
    seller: Party
    buyer: Party
    lines: list[Line]
    title: str
    service_date: date | None = None
    due: date | None = None
    valid_until: date | None = None
    project: str | None = None
    quote: str | None = None
    corrects: str | None = None
    corrects_date: date | None = None
    credited_lines: tuple[int, ...] = ()
    deductions: list[Deduction] = field(default_factory=list)
    payment_terms: str = ""
    late_penalty: str | None = None
    recovery_indemnity: Decimal | None = None
    payment_link: str | None = None
    deposit_requested: Decimal | None = None
    source: str | None = None
    links: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """Total HT of the lines (equal to TTC under the VAT franchise)."""
        return sum((line.total for line in self.lines), ZERO)

    @property
    def prepaid(self) -> Decimal:
        """What earlier deposit invoices already billed."""
        return sum((d.amount for d in self.deductions), ZERO)

    @property
    def deposits(self) -> list[Deduction]:
        """Deducted deposits, one per invoice number (accounts merged)."""
        merged: dict[str, Deduction] = {}
        for d in self.deductions:
            if d.number in merged:
                first = merged[d.number]
                d = Deduction(
                    d.number, d.issued, first.amount + d.amount, first.account
                )
            merged[d.number] = d
        return list(merged.values())

    @property
    def due_amount(self) -> Decimal:
        """The amount the client still has to pay for this document."""
        return self.total - self.prepaid

    @property
    def is_draft(self) -> bool:
        return self.number is None
