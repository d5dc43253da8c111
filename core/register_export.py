"""Write the registers as CSV, JSON or a PDF in French for a tax inspector.

The CSV follows French spreadsheet habits (``;`` separator, decimal comma,
UTF-8 with a byte-order mark) so it opens as is in the accountant's software.
"""

import csv
import datetime
import io
import json
from collections import defaultdict
from importlib import resources

import jinja2
from beancount_micro.formatting import euros, number, short_date
from beancount_micro.model import Books
from beancount_micro.registers import Register

TITLES = {
    "recettes": "Livre des recettes",
    "achats": "Registre des achats",
}
PARTY = {"recettes": "Client", "achats": "Fournisseur"}
CSV_HEADER = [
    "N°",
    "Date",
    "Client / fournisseur",
    "Nature",
    "Montant (EUR)",
    "Mode de règlement",
    "Pièce justificative",
    "Catégorie",
]


def to_csv(register: Register) -> str:
    """The register as French CSV text (without the byte-order mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in register.rows:
        writer.writerow(
            [
                row.number,
                short_date(row.date),
                row.party,
                row.nature,
                number(row.amount).replace("\u202f", "").replace("\xa0", ""),
                row.means_label,
                row.voucher,
                row.category,
            ]
        )
    return buffer.getvalue()


def to_json(books: Books, registers: list[Register], complete: bool = True) -> str:
    """Both registers as JSON (amounts as strings, exact decimals)."""
    business = books.business
    document = {
        "business": {
            "name": business.display_name,
            "siret": business.siret,
            "address": business.address,
        }
        if business
        else None,
        "complete": complete,
        "registers": [register.to_json() for register in registers],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _ordinal(quarter: int) -> str:
    return f"{quarter}er" if quarter == 1 else f"{quarter}e"


def _blocks(register: Register) -> list[dict]:
    """Rows grouped by quarter, with quarter and year totals."""
    quarters: dict[tuple[int, int], list] = defaultdict(list)
    for row in register.rows:
        quarters[(row.date.year, (row.date.month - 1) // 3 + 1)].append(row)
    blocks = []
    keys = sorted(quarters)
    for index, (year, quarter) in enumerate(keys):
        rows = quarters[(year, quarter)]
        last_of_year = index == len(keys) - 1 or keys[index + 1][0] != year
        year_rows = [r for r in register.rows if r.date.year == year]
        blocks.append(
            {
                "label": f"du {_ordinal(quarter)} trimestre {year}",
                "year": year,
                "total": euros(sum(r.amount for r in rows)),
                "year_total": euros(sum(r.amount for r in year_rows))
                if last_of_year
                else "",
                "rows": [
                    {
                        "number": r.number,
                        "date": short_date(r.date),
                        "party": r.party,
                        "nature": r.nature,
                        "amount": euros(r.amount),
                        "means": r.means_label,
                        "voucher": r.voucher,
                    }
                    for r in rows
                ],
            }
        )
    return blocks


def to_pdf(
    books: Books,
    registers: list[Register],
    printed: datetime.date,
    complete: bool = True,
) -> bytes:
    """Both registers as one PDF/A document headed with the business identity."""
    from weasyprint import HTML, URLFetcher

    template_text = (
        resources.files("beancount_micro") / "templates" / "registers.html"
    ).read_text(encoding="utf-8")
    environment = jinja2.Environment(autoescape=True)
    start = min(r.start for r in registers)
    end = max(r.end for r in registers)
    html = environment.from_string(template_text).render(
        business=books.business,
        start=short_date(start),
        end=short_date(end),
        printed=short_date(printed),
        complete=complete,
        registers=[
            {
                "title": TITLES[r.kind],
                "party_label": PARTY[r.kind],
                "rows": r.rows,
                "blocks": _blocks(r),
                "cash_total": euros(
                    sum(row.amount for row in r.rows if row.means == "especes")
                ),
                "order_note": "des encaissements"
                if r.kind == "recettes"
                else "des paiements",
            }
            for r in registers
        ],
    )
    # Nothing to fetch: the template is self-contained.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/a-3b")
