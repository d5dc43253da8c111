"""Generate a large ledger that follows ``docs/CONVENTIONS.md``, for benchmarks.

    python benchmarks/generate.py 100000 benchmarks/out/ledger-100000.beancount
    python benchmarks/generate.py 10000 benchmarks/out/      # file named for N

The ledger holds exactly N transactions between 2024-01-01 and 2026-11-30 for
a BNC-SSI business started on 2024-01-01 (quarterly, no ACRE, no versement
libératoire): about 50 clients, N/3 invoices and credit notes numbered
without gaps per year, their payments (transfers, cheques, cards; some in two
parts, some settling two invoices), purchases, monthly transfers to a
personal account, and a declaration with its payment for every quarter due
by then, so no declaration is missing. The turnover passes the ceilings on
purpose: the plugins report it. Quotes, time entries and monthly balance
assertions come on top of the N transactions. Same N and seed, same file.
"""

import argparse
import bisect
import datetime
import random
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from beancount_micro.urssaf import compute_declaration
from stdnum import luhn

START = datetime.date(2024, 1, 1)
END = datetime.date(2026, 11, 30)
DAYS = (END - START).days + 1
TODAY = "2026-11-30"
ZERO = Decimal(0)
EURO = Decimal(1)

PRO = "Assets:Banque:Compte-Pro"
PERSO = "Assets:Banque:Compte-Perso"
URSSAF = "Expenses:Cotisations:Urssaf"
INCOME = (
    ("Income:Prestations:Community-Management", "Community management"),
    ("Income:Prestations:Creation-Contenu", "Création de contenus"),
    ("Income:Prestations:Formation", "Formation réseaux sociaux"),
)
WORK = (
    "animation des comptes Instagram et Facebook",
    "calendrier éditorial et publications",
    "reportage photo et retouches",
    "montage de reels",
    "campagne de lancement",
    "atelier d'une demi-journée",
    "modération et veille",
    "newsletter mensuelle",
)
TRADES = (
    "Boulangerie", "Atelier", "Cabinet", "Studio", "Librairie", "Brasserie",
    "Fromagerie", "Galerie", "Domaine", "Maison", "Agence", "Ferme", "Garage",
    "Institut", "Salon", "Crêperie", "Cave", "Pépinière",
)  # fmt: skip
SURNAMES = (
    "Le Gall", "Morvan", "Tanguy", "Guillou", "Riou", "Le Roux", "Prigent",
    "Cadiou", "Quéré", "Jaouen", "Le Bras", "Nédélec", "Le Corre", "Kerhervé",
    "Guéguen", "Salaün", "Le Meur", "Abgrall", "Bescond", "Caradec",
)  # fmt: skip
FIRST_NAMES = (
    "Anne", "Yann", "Maëlle", "Loïc", "Nolwenn", "Erwan", "Gwenaëlle", "Tanguy",
    "Solène", "Ronan", "Élise", "Mathis",
)  # fmt: skip
FORMS = ("SARL", "SAS", "EURL", "SCOP")
TOWNS = (
    "35000 Rennes", "35400 Saint-Malo", "29200 Brest", "56100 Lorient",
    "22000 Saint-Brieuc", "29000 Quimper", "56000 Vannes", "35300 Fougères",
)  # fmt: skip
STREETS = ("rue de la Paix", "place du Marché", "quai des Indes", "rue Nationale")

# supplier | account | text | lowest | highest (cents) | means
SUPPLIERS = (
    ("Canva", "Expenses:Logiciels", "Abonnement Canva Pro", 1199, 1199, "carte"),
    ("Adobe", "Expenses:Logiciels", "Creative Cloud", 1399, 2799, "carte"),
    ("Metricool", "Expenses:Logiciels", "Abonnement Metricool", 2200, 4500, "carte"),
    ("Free Mobile", "Expenses:Telecom", "Forfait mobile", 1999, 1999, "prelevement"),
    ("Orange", "Expenses:Telecom", "Box internet", 3299, 3999, "prelevement"),
    ("LDLC", "Expenses:Materiel", "Matériel informatique", 1990, 149900, "carte"),
    ("SNCF Connect", "Expenses:Deplacements", "Billet de train", 1500, 12000, "carte"),
    ("Bureau Vallée", "Expenses:Fournitures", "Fournitures", 350, 6500, "carte"),
    ("Banque Azur", "Expenses:Frais-Bancaires", "Frais bancaires", 150, 1200,
     "prelevement"),
    ("Social Ads Academy", "Expenses:Formation", "Formation en ligne", 9000, 59000,
     "virement"),
)  # fmt: skip
EXPENSE_ACCOUNTS = sorted({s[1] for s in SUPPLIERS})


@dataclass
class Client:
    account: str
    name: str
    kind: str
    payer: str
    weight: int
    invoices: list = field(default_factory=list)


@dataclass
class Invoice:
    date: datetime.date
    client: Client
    income: int
    amount: Decimal
    text: str
    project: str = ""
    corrects: "Invoice | None" = None
    credited: Decimal = ZERO
    number: str = ""


class Ledger:
    """Entries as text with their date, and the movements of the pro account."""

    def __init__(self) -> None:
        self.entries: list[tuple[datetime.date, int, str]] = []
        self.transactions = 0
        self.pro: list[tuple[datetime.date, Decimal]] = []
        self.receipts: dict[str, Decimal] = defaultdict(Decimal)

    def add(self, day: datetime.date, text: str, pro: Decimal | None = None) -> None:
        self.entries.append((day, len(self.entries), text))
        if text[11] in "*!":
            self.transactions += 1
        if pro is not None:
            self.pro.append((day, pro))

    def receive(self, day: datetime.date, text: str, amount: Decimal) -> None:
        """Add a payment received on the business account."""
        self.add(day, text, amount)
        self.receipts[quarter(day)] += amount
        self.receipts[f"{day.year}-{day.month:02d}"] += amount

    def balance_before(self, day: datetime.date) -> Decimal:
        return sum((amount for when, amount in self.pro if when < day), ZERO)


def cents(rng: random.Random, low: int, high: int, round_to: int = 1) -> Decimal:
    """An amount in euros drawn between ``low`` and ``high`` cents."""
    return Decimal(rng.randint(low // round_to, high // round_to) * round_to) / 100


def money(amount: Decimal) -> str:
    return f"{amount:>10.2f} EUR"


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return "-".join(w.capitalize() for w in words)


def upper_plain(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split()).upper()


def luhn_number(rng: random.Random, digits: int) -> str:
    body = str(rng.randint(4 * 10 ** (digits - 2), 10 ** (digits - 1) - 1))
    return body + luhn.calc_check_digit(body)


def quarter(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


# The business and its clients ------------------------------------------------


def make_clients(rng: random.Random, count: int = 50) -> list[Client]:
    """About four businesses for one private person, with unequal weights."""
    pairs = rng.sample([(t, s) for t in TRADES for s in SURNAMES], count)
    clients = []
    for i, (trade, surname) in enumerate(pairs):
        if i % 5 == 4:
            name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {surname}"
            clients.append(
                Client(f"Assets:Clients:{slug(name)}", name, "individual", "", 1)
            )
        else:
            name = f"{trade} {surname} {FORMS[i % len(FORMS)]}"
            clients.append(
                Client(
                    f"Assets:Clients:{slug(trade + ' ' + surname)}",
                    name,
                    "business",
                    upper_plain(name),
                    rng.choice((2, 4, 8, 16)),
                )
            )
    return clients  # fmt: skip


def client_open(rng: random.Random, client: Client) -> str:
    street = f"{rng.randint(1, 90)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}"
    lines = [
        f"{START} open {client.account} EUR",
        f'  client: "{client.name}"',
        f'  client-type: "{client.kind}"',
    ]
    if client.kind == "business":
        lines.append(f'  siren: "{luhn_number(rng, 9)}"')
    lines += [
        f'  address: "{street}"',
        f'  email: "contact@{client.account.rsplit(":", 1)[1].lower()}.example"',
    ]
    if client.payer:
        lines.append(f'  payer-names: "{client.payer}, {client.payer[:-5]}"')
    return "\n".join(lines)


def header(rng: random.Random, plugin: bool) -> str:
    siren = luhn_number(rng, 9)
    siret = siren + "0001" + luhn.calc_check_digit(siren + "0001")
    lines = [
        "; Benchmark ledger generated by benchmarks/generate.py (fictional data).",
        'option "title" "Benchmark: community manager"',
        'option "operating_currency" "EUR"',
    ]
    if plugin:
        lines.append(
            f"plugin \"beancount_micro.plugins.micro\" \"{{'today': '{TODAY}'}}\""
        )
    lines += [
        "",
        f'{START} custom "micro" "business"',
        '  name: "Camille Benchmark"',
        f'  siret: "{siret}"',
        '  address: "1 rue du Test, 35000 Rennes"',
        '  categories: "bnc_ssi"',
        '  periodicity: "quarterly"',
        "  versement-liberatoire: FALSE",
        "  acre: FALSE",
        "",
        f'{START} open {PRO} EUR\n  bank: "Banque Azur"\n  dedicated: TRUE',
        f'{START} open {PERSO} EUR\n  bank: "Crédit de l\'Ouest"',
        *(
            f'{START} open {account} EUR\n  category: "bnc_ssi"'
            for account, _ in INCOME
        ),
        *(f"{START} open {account} EUR" for account in EXPENSE_ACCOUNTS),
        f"{START} open {URSSAF} EUR\n  purchase: FALSE",
        f"{START} open Equity:Opening-Balances EUR",
    ]
    return "\n".join(lines)  # fmt: skip


# Invoices and payments ---------------------------------------------------------


def make_invoices(
    rng: random.Random, clients: list[Client], count: int
) -> list[Invoice]:
    """``count`` invoices and credit notes, numbered per year in date order."""
    weights = [c.weight for c in clients]
    credit_notes = count // 100
    invoices = []
    for _ in range(count - credit_notes):
        client = rng.choices(clients, weights)[0]
        day = START + datetime.timedelta(days=rng.randrange(DAYS - 20))
        income = rng.randrange(len(INCOME))
        if client.kind == "business":
            amount = cents(rng, 30000, 400000, 500 if rng.random() < 0.8 else 1)
        else:
            amount = cents(rng, 8000, 60000, 1000)
        text = f"{INCOME[income][1]} : {rng.choice(WORK)}"
        project = f"projet-{rng.randrange(400):03d}" if rng.random() < 0.2 else ""
        invoices.append(Invoice(day, client, income, amount, text, project))

    for target in rng.sample(invoices, credit_notes):
        share = Decimal(rng.randint(10, 30)) / 100
        credit = (target.amount * share).quantize(Decimal("0.01"))
        target.credited = credit
        day = target.date + datetime.timedelta(days=rng.randint(3, 15))
        invoices.append(Invoice(day, target.client, target.income, -credit,
                                "Avoir partiel", corrects=target))  # fmt: skip

    invoices.sort(key=lambda i: i.date)
    per_year: dict[int, int] = defaultdict(int)
    for invoice in invoices:
        per_year[invoice.date.year] += 1
    width = {year: max(4, len(str(n))) for year, n in per_year.items()}
    seen: dict[int, int] = defaultdict(int)
    for invoice in invoices:
        year = invoice.date.year
        seen[year] += 1
        invoice.number = f"F-{year}-{seen[year]:0{width[year]}d}"
        invoice.client.invoices.append(invoice)
    return invoices


def invoice_text(invoice: Invoice) -> str:
    client, account = invoice.client, INCOME[invoice.income][0]
    links = f"^{invoice.number}"
    lines = []
    if invoice.corrects:
        links += f" ^{invoice.corrects.number}"
        lines = [
            '  invoice-kind: "credit-note"',
            f'  corrects: "{invoice.corrects.number}"',
        ]
    else:
        term = 30 if client.kind == "business" else 0
        lines.append(f"  due: {invoice.date + datetime.timedelta(days=term)}")
    if invoice.project:
        lines.append(f'  project: "{invoice.project}"')
        links += f" #{invoice.project}"
    return "\n".join([
        f'{invoice.date} * "{client.name}" "{invoice.text}" {links}',
        f'  invoice: "{invoice.number}"',
        *lines,
        f"  {client.account:<44}{money(invoice.amount)}",
        f"  {account:<44}{money(-invoice.amount)}",
    ])  # fmt: skip


def payment_text(
    day: datetime.date,
    client: Client,
    parts: list[Invoice],
    amount: Decimal,
    means: str,
    note: str = "",
) -> str:
    numbers = [p.number for p in parts]
    payee = client.payer if means == "virement" and client.payer else client.name
    text = note or "Règlement " + " et ".join(numbers)
    return "\n".join([
        f'{day} * "{payee}" "{text}" ' + " ".join(f"^{n}" for n in numbers),
        f'  means: "{means}"',
        f"  {PRO:<44}{money(amount)}",
        f"  {client.account:<44}{money(-amount)}",
    ])  # fmt: skip


def add_payments(rng: random.Random, ledger: Ledger, clients: list[Client]) -> None:
    """Pay most invoices 5 to 40 days later; a few in two parts or two at once."""
    for client in clients:
        queue = [i for i in client.invoices if i.corrects is None]
        means_pool = ("virement",) * 6 + ("cheque", "carte")
        if client.kind == "individual":
            means_pool = ("cheque", "carte", "virement")
        k = 0
        while k < len(queue):
            invoice = queue[k]
            k += 1
            due = invoice.amount - invoice.credited
            delay = (
                rng.randint(5, 40) if client.kind == "business" else rng.randint(0, 10)
            )
            day = invoice.date + datetime.timedelta(days=delay)
            means = rng.choice(means_pool)
            roll = rng.random()
            if day > END or roll < 0.003:
                continue
            if roll < 0.03 and day + datetime.timedelta(days=20) <= END:
                first = (due / 2).quantize(Decimal("0.01"))
                later = day + datetime.timedelta(days=20)
                for when, part in ((day, first), (later, due - first)):
                    text = payment_text(when, client, [invoice], part, means)
                    ledger.receive(when, text, part)
                continue
            if roll < 0.06 and k < len(queue):
                other = queue[k]
                k += 1
                day = max(day, other.date + datetime.timedelta(days=5))
                if day <= END:
                    total = due + other.amount - other.credited
                    text = payment_text(day, client, [invoice, other], total, means)
                    ledger.receive(day, text, total)
                continue
            ledger.receive(day, payment_text(day, client, [invoice], due, means), due)


# URSSAF, purchases, transfers ---------------------------------------------------


def periods() -> list[tuple[str, datetime.date]]:
    """Every quarterly declaration due by the end date, with its deadline.

    The first one covers the quarter of creation and the next (90-day rule).
    """
    out = [("2024-Q1+2024-Q2", datetime.date(2024, 7, 31))]
    deadlines = {1: (0, 4, 30), 2: (0, 7, 31), 3: (0, 10, 31), 4: (1, 1, 31)}
    for year in (2024, 2025, 2026):
        for q in (1, 2, 3, 4):
            add, month, day = deadlines[q]
            deadline = datetime.date(year + add, month, day)
            if (year, q) > (2024, 2) and deadline <= END:
                out.append((f"{year}-Q{q}", deadline))
    return out


def add_declarations(rng: random.Random, ledger: Ledger) -> None:
    for period, deadline in periods():
        parts = period.split("+")
        cashed = {part: ledger.receipts.get(part, ZERO) for part in parts}
        total = sum(cashed.values(), ZERO)
        turnover = cashed if len(parts) > 1 else total
        calc = compute_declaration("bnc_ssi", period, turnover, created=START)

        filed = deadline - datetime.timedelta(days=rng.randint(3, 9))
        # A declaration covering several quarters gives each one to the euro.
        declared = sum((v.quantize(EURO, ROUND_HALF_UP) for v in cashed.values()), ZERO)
        ledger.add(
            filed, f'{filed} custom "micro" "declaration" "{period}" {declared:.2f} EUR'
        )
        paid = filed + datetime.timedelta(days=2)
        amount = calc.total_to_pay
        ledger.add(paid, "\n".join([
            f'{paid} * "URSSAF" "Cotisations {period}"',
            f'  urssaf-period: "{period}"',
            '  means: "prelevement"',
            f"  {URSSAF:<44}{money(amount)}",
            f"  {PRO}",
        ]), -amount)  # fmt: skip


def add_draws(ledger: Ledger) -> None:
    """Each month, move 45 % of the month's receipts to the personal account."""
    year, month = 2024, 1
    while (year, month) <= (END.year, END.month):
        day = datetime.date(year, month, 26)
        cashed = ledger.receipts.get(f"{year}-{month:02d}", ZERO)
        amount = (cashed * Decimal("0.45") / 100).to_integral_value() * 100
        if amount > 0:
            ledger.add(day, "\n".join([
                f'{day} * "Camille Benchmark" "Virement vers compte personnel"',
                f"  {PERSO:<44}{money(amount)}",
                f"  {PRO:<44}{money(-amount)}",
            ]), -amount)  # fmt: skip
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def add_purchases(rng: random.Random, ledger: Ledger, count: int) -> None:
    for n in range(count):
        supplier, account, text, low, high, means = rng.choice(SUPPLIERS)
        day = START + datetime.timedelta(days=rng.randrange(DAYS))
        amount = cents(rng, low, high)
        lines = [f'{day} * "{supplier}" "{text}"', f'  means: "{means}"']
        if rng.random() < 0.3:
            lines.append(f'  voucher: "documents/achats/{day}-{n:06d}.pdf"')
        lines += [f"  {account:<44}{money(amount)}", f"  {PRO}"]
        ledger.add(day, "\n".join(lines), -amount)


def add_opening(ledger: Ledger, count: int) -> None:
    """Open with savings enough for the first months, before clients pay."""
    savings, brought = Decimal(5 * count), Decimal(4 * count)
    ledger.add(
        START,
        "\n".join(
            [
                f'{START} * "Solde d\'ouverture" "Compte personnel"',
                f"  {PERSO:<44}{money(savings)}",
                "  Equity:Opening-Balances",
            ]
        ),
    )
    ledger.add(START, "\n".join([
        f'{START} * "Camille Benchmark" "Apport au compte pro"',
        f"  {PRO:<44}{money(brought)}",
        f"  {PERSO:<44}{money(-brought)}",
    ]), brought)  # fmt: skip


def add_balances(ledger: Ledger) -> None:
    """A balance assertion on the first of each month; refuse an overdraft."""
    moves = sorted(ledger.pro)
    days = [day for day, _ in moves]
    running, totals = ZERO, []
    for i, (day, amount) in enumerate(moves):
        running += amount
        totals.append(running)
        end_of_day = i + 1 == len(moves) or moves[i + 1][0] != day
        if running < 0 and end_of_day:
            raise SystemExit(
                f"generated ledger overdraws the business account on {day}"
            )
    year, month = 2024, 2
    while (year, month) <= (END.year, END.month):
        day = datetime.date(year, month, 1)
        i = bisect.bisect_left(days, day)
        balance = totals[i - 1] if i else ZERO
        ledger.add(day, f"{day} balance {PRO:<40}{money(balance)}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def add_quotes_and_time(
    rng: random.Random, ledger: Ledger, clients: list[Client], count: int
) -> None:
    stages = ("sent", "accepted", "refused", "invoiced", "draft")
    days = sorted(
        START + datetime.timedelta(days=rng.randrange(DAYS)) for _ in range(count)
    )
    seen: dict[int, int] = defaultdict(int)
    for day in days:
        seen[day.year] += 1
        client = rng.choice(clients)
        amount = cents(rng, 30000, 500000, 500)
        ledger.add(
            day,
            "\n".join(
                [
                    f'{day} custom "micro" "quote" "D-{day.year}-{seen[day.year]:04d}" '
                    f"{client.account} {amount:.2f} EUR",
                    f'  stage: "{rng.choice(stages)}"',
                    f"  valid-until: {day + datetime.timedelta(days=30)}",
                ]
            ),
        )
        hours = Decimal(rng.randint(1, 16)) / 2
        ledger.add(day, "\n".join([
            f'{day} custom "micro" "time" {client.account} {hours} '
            f'"projet-{rng.randrange(400):03d}"',
            f'  note: "{rng.choice(WORK).capitalize()}"',
        ]))  # fmt: skip


# Putting it together ------------------------------------------------------------


def generate(count: int, seed: int = 1, plugin: bool = True) -> str:
    """Return the text of a ledger of exactly ``count`` transactions."""
    rng = random.Random(seed)
    ledger = Ledger()
    top = header(rng, plugin)
    clients = make_clients(rng)
    opens = [client_open(rng, client) for client in clients]

    add_opening(ledger, count)
    for invoice in make_invoices(rng, clients, count // 3):
        ledger.add(invoice.date, invoice_text(invoice))
    add_payments(rng, ledger, clients)
    add_declarations(rng, ledger)
    add_draws(ledger)
    purchases = count - ledger.transactions
    if purchases < 0:
        raise SystemExit(f"{count} transactions are too few for a ledger of 3 years")
    add_purchases(rng, ledger, purchases)
    add_balances(ledger)
    add_quotes_and_time(rng, ledger, clients, count // 60)

    body = [text for _, _, text in sorted(ledger.entries, key=lambda e: (e[0], e[1]))]
    return "\n\n".join([top, "\n".join(opens), *body]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of transactions")
    parser.add_argument("out", help="output file, or a folder (ending in /) for it")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-plugin",
        action="store_true",
        help="leave out the plugin line (bare Beancount)",
    )
    args = parser.parse_args(argv)

    out = Path(args.out)
    if out.is_dir() or args.out.endswith("/"):
        out = out / f"ledger-{args.count}.beancount"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(generate(args.count, args.seed, not args.no_plugin), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
