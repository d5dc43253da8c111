"""Write ``ledger.example.beancount``: the books of a fictional community manager.

Margaux Peyrol (invented, like every client in ``tools/example_data.py``)
started a BNC activity affiliated to the SSI on 2025-03-10, with ACRE,
quarterly declarations and no versement libératoire. The ledger runs to
2026-11-30 and follows ``docs/CONVENTIONS.md``. It holds exactly these
planted problems:

- the 2025-Q4 declaration (due 2026-01-31) was never filed nor paid;
- 2026 receipts pass the 37 500 € VAT base threshold (VAT due from 2027-01-01);
- four invoices are unpaid: three overdue at 2026-11-30, one not yet due.

The output is deterministic: run ``python tools/make_example.py`` from the
repository root and commit the result. ``tools/check_example.py`` recomputes
the figures printed in the header from the written file.
"""

import calendar
import datetime
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path

from beancount_micro.regime import Regime
from example_data import (
    ACRE_UNTIL,
    CLIENTS,
    DECLARATIONS,
    NET_PAYMENTS,
    ONE_OFF_PAYMENTS,
    ONE_OFFS,
    PUBLIC_HOLIDAYS,
    PURCHASES,
    QUOTES,
    REMINDERS,
    RETAINERS,
    SUBSCRIPTIONS,
    TIME,
    rows,
)
from stdnum import iban as iban_lib
from stdnum import luhn
from stdnum.fr import siren as siren_lib
from stdnum.fr import siret as siret_lib
from stdnum.fr import tva as tva_lib

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "ledger.example.beancount"
SEED = 20250310

START = datetime.date(2025, 3, 10)
END = datetime.date(2026, 11, 30)
ZERO = Decimal(0)
EURO = Decimal(1)
CENT = Decimal("0.01")

PRO = "Assets:Banque:Compte-Pro"
PERSO = "Assets:Banque:Compte-Perso"
INCOME = {
    "cm": "Income:Prestations:Community-Management",
    "content": "Income:Prestations:Creation-Contenu",
    "training": "Income:Prestations:Formation",
}
EXPENSES = ("Logiciels", "Materiel", "Telecom", "Frais-Bancaires", "Formation")

MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
    "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip

# Public holidays that move a bank debit or an invoice to the next day.
HOLIDAYS = {datetime.date.fromisoformat(day) for day in PUBLIC_HOLIDAYS.split()}


@dataclass(frozen=True)
class Client:
    """A client, opened as a receivable account."""

    leaf: str
    opened: datetime.date
    kind: str
    name: str
    address: str
    email: str
    payer: str
    siren: str
    vat: str

    @property
    def account(self) -> str:
        return f"Assets:Clients:{self.leaf}"


@dataclass
class Invoice:
    """An invoice of the story; its number is given once all are sorted."""

    label: str
    date: datetime.date
    client: Client
    income: str
    text: str
    amount: Decimal
    kind: str = ""
    project: str = ""
    tag: bool = False
    service_date: datetime.date | None = None
    refers: str = ""
    number: str = ""


@dataclass
class Payment:
    """Money received for one or more invoices: (label, amount) parts."""

    date: datetime.date
    client: Client
    means: str
    parts: list[tuple[str, Decimal]]
    cheque: str = ""

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.parts), ZERO)


@dataclass
class Books:
    """Everything the ledger holds, as text entries with their bank movement."""

    invoices: list[Invoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    entries: list[tuple[datetime.date, int, str, Decimal]] = field(default_factory=list)

    def add(self, day: datetime.date, text: str, pro: Decimal = ZERO) -> None:
        """Add an entry; ``pro`` is what it moves on the business account."""
        self.entries.append((day, len(self.entries), text, pro))

    def pro_balance(self, before: datetime.date) -> Decimal:
        return sum((e[3] for e in self.entries if e[0] < before), ZERO)


def date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def entry(*lines: str) -> str:
    return "\n".join(lines)


def posting(account: str, amount: Decimal | None = None) -> str:
    if amount is None:
        return f"  {account}"
    return f"  {account:<44}{amount.quantize(CENT):>10} EUR"


def working_day(day: datetime.date) -> datetime.date:
    """Return the day itself or the next day a bank works."""
    while day.weekday() >= 5 or day in HOLIDAYS:
        day += datetime.timedelta(days=1)
    return day


def months(first: str, last: str) -> list[tuple[int, int]]:
    """Every (year, month) from ``first`` to ``last`` (``YYYY-MM``), included."""
    year, month = map(int, first.split("-"))
    out = [(year, month)]
    while f"{year}-{month:02d}" != last:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        out.append((year, month))
    return out


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(EURO, ROUND_HALF_UP)


# Identifiers -----------------------------------------------------------------


def make_siren(rng: random.Random) -> str:
    """A Luhn-valid SIREN drawn from the seed, checked by python-stdnum."""
    body = str(rng.randint(41_000_000, 93_999_999))
    return siren_lib.validate(body + luhn.calc_check_digit(body))


def make_siret(siren: str) -> str:
    body = siren + "0001"
    return siret_lib.validate(body + luhn.calc_check_digit(body))


def make_iban(rng: random.Random) -> str:
    """A French IBAN with a valid RIB key and check digits (fictional bank)."""
    bank, branch = "18829", "00417"
    account = f"{rng.randint(0, 10**11 - 1):011d}"
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    return iban_lib.validate("FR" + iban_lib.calc_check_digits("FR00" + bban) + bban)


def vat_number(siren: str) -> str:
    key = (12 + 3 * (int(siren) % 97)) % 97
    return "FR" + tva_lib.validate(f"FR{key:02d}{siren}")


# The story -------------------------------------------------------------------


def make_clients(rng: random.Random) -> dict[str, Client]:
    clients = {}
    for leaf, opened, kind, name, address, email, payer, vat in rows(CLIENTS):
        siren = make_siren(rng) if kind == "business" else ""
        vat = vat_number(siren) if vat == "yes" else ""
        clients[leaf] = Client(
            leaf, date(opened), kind, name, address, email, payer, siren, vat
        )
    return clients


def cheque_number(rng: random.Random, means: str) -> str:
    return str(rng.randint(1_000_000, 9_999_999)) if means == "cheque" else ""


def add_retainers(books: Books, rng: random.Random, clients: dict) -> None:
    """Monthly community management, invoiced the first working day after."""
    for leaf, first, last, p25, p26, means, delays, unpaid in rows(RETAINERS):
        client, delays = clients[leaf], [int(d) for d in delays.split()]
        for i, (year, month) in enumerate(months(first, last)):
            label = f"{leaf}-{year}-{month:02d}"
            end = datetime.date(year, month, calendar.monthrange(year, month)[1])
            issued = working_day(end + datetime.timedelta(days=1))
            amount = Decimal(p25 if year == 2025 else p26)
            text = f"Community management, {MONTHS_FR[month - 1]} {year}"
            books.invoices.append(
                Invoice(label, issued, client, INCOME["cm"], text, amount,
                        service_date=end)
            )  # fmt: skip

            paid = working_day(
                issued + datetime.timedelta(days=delays[i % len(delays)])
            )
            if f"{year}-{month:02d}" in unpaid.split() or paid > END:
                continue
            part = (label, NET_PAYMENTS.get(label, amount))
            cheque = cheque_number(rng, means)
            books.payments.append(Payment(paid, client, means, [part], cheque))


def add_one_offs(books: Books, rng: random.Random, clients: dict) -> None:
    for label, day, leaf, income, amount, kind, project, refers, text in rows(ONE_OFFS):
        books.invoices.append(
            Invoice(label, date(day), clients[leaf], INCOME[income], text,
                    Decimal(amount), kind, project.rstrip("#"),
                    project.endswith("#"), refers=refers)
        )  # fmt: skip
    owner = {i.label: i.client for i in books.invoices}
    for day, means, parts in rows(ONE_OFF_PAYMENTS):
        pairs = [part.split() for part in parts.split(",")]
        books.payments.append(
            Payment(date(day), owner[pairs[0][0]], means,
                    [(label, Decimal(amount)) for label, amount in pairs],
                    cheque_number(rng, means))
        )  # fmt: skip


def number_invoices(books: Books) -> dict[str, str]:
    """Number each year's invoices in date order: F-2025-0001, F-2025-0002…"""
    books.invoices.sort(key=lambda invoice: invoice.date)
    counters: dict[int, int] = defaultdict(int)
    for invoice in books.invoices:
        counters[invoice.date.year] += 1
        invoice.number = f"F-{invoice.date.year}-{counters[invoice.date.year]:04d}"

    numbers = {invoice.label: invoice.number for invoice in books.invoices}
    for invoice in books.invoices:
        if invoice.refers:
            invoice.text = invoice.text.replace(
                f"<{invoice.refers}>", numbers[invoice.refers]
            )
    return numbers


# Entries -----------------------------------------------------------------------


def invoice_entry(invoice: Invoice, numbers: dict[str, str]) -> str:
    client = invoice.client
    links = [invoice.number] + ([numbers[invoice.refers]] if invoice.refers else [])
    head = f'{invoice.date} * "{client.name}" "{invoice.text}"'
    head += "".join(f" ^{link}" for link in links)
    if invoice.tag:
        head += f" #{invoice.project}"
    lines = [head, f'  invoice: "{invoice.number}"']
    if invoice.kind:
        lines.append(f'  invoice-kind: "{invoice.kind}"')
    if invoice.kind == "credit-note":
        lines.append(f'  corrects: "{links[1]}"')
    else:
        # Businesses get 30 days (Code de commerce L441-10); people pay on receipt.
        term = 30 if client.kind == "business" else 0
        lines.append(f"  due: {invoice.date + datetime.timedelta(days=term)}")
    if invoice.service_date:
        lines.append(f"  service-date: {invoice.service_date}")
    if invoice.project:
        lines.append(f'  project: "{invoice.project}"')
    lines.append(posting(client.account, invoice.amount))
    lines.append(posting(invoice.income, -invoice.amount))
    return entry(*lines)


def payment_entry(payment: Payment, numbers: dict[str, str], part: str = "") -> str:
    """A payment; ``part`` says which of several instalments it is ("1/2")."""
    client = payment.client
    refs = [numbers[label] for label, _ in payment.parts]
    if payment.means == "cheque":
        payee, text = client.name, f"Remise de chèque n° {payment.cheque}, {refs[0]}"
    elif payment.means == "carte":
        payee, text = client.name, f"Paiement par carte (terminal), {refs[0]}"
    else:
        payee, text = client.payer.split(",")[0], "Règlement " + " et ".join(refs)
    if part:
        text = f"Règlement partiel {refs[0]} ({part})"
    return entry(
        f'{payment.date} * "{payee}" "{text}"' + "".join(f" ^{r}" for r in refs),
        f'  means: "{payment.means}"',
        posting(PRO, payment.total),
        posting(client.account, -payment.total),
    )


def add_purchase(
    books: Books,
    day: datetime.date,
    supplier: str,
    text: str,
    account: str,
    amount: str,
    means: str,
    voucher: str = "",
) -> None:
    lines = [f'{day} * "{supplier}" "{text}"', f'  means: "{means}"']
    if voucher:
        lines.append(f'  voucher: "{voucher}"')
    lines += [posting(account, Decimal(amount)), posting(PRO)]
    books.add(day, entry(*lines), -Decimal(amount))


def add_purchases(books: Books) -> None:
    """The laptop, a training course, subscriptions, phone plan, bank fees."""
    for day, *rest in rows(PURCHASES):
        add_purchase(books, date(day), *rest)
    for day, first, supplier, text, account, p25, p26, means in rows(SUBSCRIPTIONS):
        for year, month in months(first, "2026-11"):
            when = datetime.date(year, month, int(day))
            if means == "prelevement":
                when = working_day(when)
            if when <= END:
                label = f"{text}, {MONTHS_FR[month - 1]} {year}"
                amount = p25 if year == 2025 else p26
                add_purchase(books, when, supplier, label, account, amount, means)


def receipts_by_period(books: Books) -> dict[str, Decimal]:
    """Cash received by quarter (``2025-Q3``) and by year (``2025``)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for payment in books.payments:
        day = payment.date
        totals[f"{day.year}-Q{(day.month - 1) // 3 + 1}"] += payment.total
        totals[str(day.year)] += payment.total
    return dict(totals)


def notice_rates(day: datetime.date) -> tuple[Decimal, Decimal]:
    """The contribution and CFP rates on the notice for money cashed on ``day``.

    Figures come from the packaged regime data; under ACRE the rate is the
    normal one times the share paid, to the nearest tenth of a point.
    """
    regime = Regime.default()
    rate = regime.value("urssaf_rate", "bnc_ssi", day)
    if day <= date(ACRE_UNTIL):
        step = regime.value("acre_rate_step", "all", day)
        share = regime.value("acre_share_paid", "all", START)
        rate = (rate * share / step).quantize(EURO, ROUND_HALF_UP) * step
    return rate, regime.value("cfp_rate", "liberal", day)


def contributions(turnover: Decimal, period: str) -> tuple[Decimal, Decimal]:
    """Each line of the notice: declared turnover × rate, to the euro."""
    social, cfp = notice_rates(period_end(period))
    return half_up(turnover * social), half_up(turnover * cfp)


def period_end(period: str) -> datetime.date:
    """Last day of the last quarter of ``2025-Q3`` or ``2025-Q1+2025-Q2``."""
    year, quarter = period.split("+")[-1].split("-Q")
    month = 3 * int(quarter)
    return datetime.date(int(year), month, calendar.monthrange(int(year), month)[1])


def declared(receipts: dict[str, Decimal]) -> list[tuple[str, str, str, Decimal]]:
    """(period, filed, debited, turnover declared) for each declaration filed."""
    out = []
    for period, filed, debited in rows(DECLARATIONS):
        cashed = sum((receipts.get(q, ZERO) for q in period.split("+")), ZERO)
        out.append((period, filed, debited, half_up(cashed)))
    return out


def add_declarations(books: Books, receipts: dict[str, Decimal]) -> None:
    for period, filed, debited, turnover in declared(receipts):
        books.add(
            date(filed),
            f'{filed} custom "micro" "declaration" "{period}" {turnover:.2f} EUR',
        )
        social, cfp = contributions(turnover, period)
        rate, cfp_rate = (
            (r * 100).normalize() for r in notice_rates(period_end(period))
        )
        books.add(date(debited), entry(
            f'{debited} * "URSSAF" "Cotisations {period}"',
            f'  urssaf-period: "{period}"',
            '  means: "prelevement"',
            f"  ; cotisations {rate} % : {social} € ; CFP {cfp_rate} % : {cfp} €",
            posting("Expenses:Cotisations:Urssaf", social + cfp),
            posting(PRO),
        ), -(social + cfp))  # fmt: skip


def add_paperwork(books: Books, clients: dict, numbers: dict[str, str]) -> None:
    """Quotes and their stages, time spent, reminders sent."""
    for number, leaf, amount, day, stage, valid, project, later in rows(QUOTES):
        lines = [
            f'{day} custom "micro" "quote" "{number}" '
            f"{clients[leaf].account} {amount} EUR",
            f'  stage: "{stage}"',
            f"  valid-until: {valid}",
        ]
        if project:
            lines.append(f'  project: "{project}"')
        books.add(date(day), entry(*lines))
        for change in filter(None, later.split(", ")):
            when, stage = change.split()
            books.add(
                date(when), f'{when} custom "micro" "quote-stage" "{number}" "{stage}"'
            )

    for day, leaf, hours, project, note in rows(TIME):
        account = clients[leaf].account
        books.add(date(day), entry(
            f'{day} custom "micro" "time" {account} {hours} "{project}"',
            f'  note: "{note}"',
        ))  # fmt: skip

    for day, label, level in rows(REMINDERS):
        books.add(date(day), entry(
            f'{day} custom "micro" "reminder" "{numbers[label]}"',
            f"  level: {level}",
        ))  # fmt: skip


def add_draws(books: Books) -> None:
    """Pay herself monthly, keeping a reserve for the next contributions."""
    for year, month in months("2025-04", "2026-11"):
        day = working_day(datetime.date(year, month, 26))
        reserve = Decimal(2500 if year == 2025 else 4000)
        available = books.pro_balance(day + datetime.timedelta(days=1)) - reserve
        amount = (available / 100).to_integral_value(ROUND_FLOOR) * 100
        if day <= END and amount >= 200:
            books.add(day, entry(
                f'{day} * "Margaux Peyrol" "Virement vers compte personnel"',
                posting(PERSO, amount),
                posting(PRO, -amount),
            ), -amount)  # fmt: skip


def add_balances(books: Books) -> None:
    """Statement balances of the business account; refuse an overdraft."""
    for day in sorted({e[0] for e in books.entries}):
        balance = books.pro_balance(day + datetime.timedelta(days=1))
        if balance < 0:
            raise SystemExit(f"business account overdrawn on {day}: {balance}")
    checks = [f"{y}-{m:02d}-01" for y, m in months("2025-04", "2026-10") if m % 3 == 1]
    for day in [*map(date, checks), END]:
        books.add(day, f"{day} balance {PRO:<32} {books.pro_balance(day):.2f} EUR")


# The file ----------------------------------------------------------------------


def header(receipts: dict[str, Decimal]) -> str:
    periods = sorted(receipts, key=lambda p: (p[:4], len(p) == 4, p))
    figures = [
        f";   {p if len(p) > 4 else p + ' total':<11}{receipts[p]:>10}" for p in periods
    ]
    filings = []
    for period, filed, _, turnover in declared(receipts):
        paid = sum(contributions(turnover, period))
        filings.append(
            f";   {period:<16} filed {filed}  {turnover:>6} declared, {paid:>5} paid"
        )
    return entry(
        "; Books of Margaux Peyrol EI, community manager in Rennes (BNC, SSI).",
        "; Fictional person, clients and identifiers: the example ledger of",
        "; beancount-micro. Activity started 2025-03-10 with ACRE; quarterly",
        "; URSSAF declarations; no versement libératoire; entries to 2026-11-30.",
        "; Generated by tools/make_example.py, checked by tools/check_example.py.",
        ";",
        "; Receipts (cash received, EUR) by quarter and by year:",
        *figures,
        ";",
        "; Declarations filed (turnover declared, contributions paid, EUR):",
        *filings,
        ";",
        "; Problems left in these books on purpose:",
        "; - 2025-Q4 was never declared nor paid (deadline 2026-01-31);",
        "; - 2026 receipts pass the 37 500 EUR VAT base threshold: VAT from",
        ";   2027-01-01 (the 41 250 EUR majorated threshold is not reached);",
        "; - unpaid invoices: three overdue at 2026-11-30, one not yet due.",
    )


def business(rng: random.Random) -> str:
    return entry(
        '2025-03-10 custom "micro" "business"',
        '  name: "Margaux Peyrol"',
        '  trade-name: "Peyrol Social Media"',
        f'  siret: "{make_siret(make_siren(rng))}"',
        '  address: "8 allée des Tilleuls, 35000 Rennes"',
        '  categories: "bnc_ssi"',
        '  nature: "liberal"',
        '  periodicity: "quarterly"',
        "  versement-liberatoire: FALSE",
        "  acre: TRUE",
        '  email: "bonjour@peyrol-social.example"',
        '  phone: "+33 6 39 98 41 27"',
        f'  iban: "{make_iban(rng)}"',
        '  bic: "AZURFRPPXXX"',
    )


def accounts() -> str:
    return entry(
        f'2025-03-10 open {PRO} EUR\n  bank: "Banque Azur"\n  dedicated: TRUE',
        f'2025-03-10 open {PERSO} EUR\n  bank: "Crédit de l\'Ouest"',
        *(f'2025-03-10 open {a} EUR\n  category: "bnc_ssi"' for a in INCOME.values()),
        *(f"2025-03-10 open Expenses:{leaf} EUR" for leaf in EXPENSES),
        "2025-03-10 open Expenses:Cotisations:Urssaf EUR\n  purchase: FALSE",
        "2025-03-10 open Equity:Opening-Balances EUR",
    )


def client_open(client: Client) -> str:
    lines = [
        f"{client.opened} open {client.account} EUR",
        f'  client: "{client.name}"',
        f'  client-type: "{client.kind}"',
    ]
    if client.siren:
        lines.append(f'  siren: "{client.siren}"')
    lines += [f'  address: "{client.address}"', f'  email: "{client.email}"']
    if client.payer:
        lines.append(f'  payer-names: "{client.payer}"')
    if client.vat:
        lines.append(f'  vat-number: "{client.vat}"')
    return entry(*lines)


def add_opening(books: Books) -> None:
    books.add(START, entry(
        f'{START} * "Solde d\'ouverture" "Compte personnel au début de l\'activité"',
        posting(PERSO, Decimal("2400.00")),
        posting("Equity:Opening-Balances"),
    ))  # fmt: skip
    books.add(START, entry(
        f'{START} * "Margaux Peyrol" "Apport personnel au compte pro"',
        posting(PRO, Decimal("1800.00")),
        posting(PERSO, Decimal("-1800.00")),
    ), Decimal("1800.00"))  # fmt: skip


def journal(books: Books) -> str:
    """Entries by date, a balance first in its day, a comment at each month."""
    out, month = [], None
    for day, _, text, _ in sorted(
        books.entries, key=lambda e: (e[0], " balance " not in e[2], e[1])
    ):
        if (day.year, day.month) != month:
            month = (day.year, day.month)
            out.append(f"; {MONTHS_FR[day.month - 1].capitalize()} {day.year}\n")
        out.append(text + "\n")
    return "\n".join(out)


def build() -> str:
    """Return the whole example ledger as text."""
    rng = random.Random(SEED)
    owner = business(rng)
    clients = make_clients(rng)
    books = Books()
    add_retainers(books, rng, clients)
    add_one_offs(books, rng, clients)
    numbers = number_invoices(books)

    add_opening(books)
    for client in clients.values():
        books.add(client.opened, client_open(client))
    for invoice in books.invoices:
        books.add(invoice.date, invoice_entry(invoice, numbers))
    instalments = Counter(p.parts[0][0] for p in books.payments)
    seen: Counter = Counter()
    for payment in sorted(books.payments, key=lambda p: p.date):
        label = payment.parts[0][0]
        seen[label] += 1
        part = f"{seen[label]}/{instalments[label]}" if instalments[label] > 1 else ""
        text = payment_entry(payment, numbers, part)
        books.add(payment.date, text, payment.total)
    add_purchases(books)
    receipts = receipts_by_period(books)
    add_declarations(books, receipts)
    add_paperwork(books, clients, numbers)
    add_draws(books)
    add_balances(books)

    options = entry(
        'option "title" "Margaux Peyrol EI, community manager"',
        'option "operating_currency" "EUR"',
        "plugin \"beancount_micro.plugins.micro\" \"{'today': '2026-11-30'}\"",
        '2025-03-10 custom "fava-extension" "beancount_micro.fava_ext"',
    )
    parts = [header(receipts), options, owner, accounts(), journal(books)]
    return "\n\n".join(parts).rstrip() + "\n"


def main() -> int:
    OUTPUT.write_text(build(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
