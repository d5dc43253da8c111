"""The cockpit page through Fava's app and Flask's test client.

Figures are compared with what ``bean-micro urssaf --json`` and
``bean-micro registers --format json`` print for the same ledger and day.
"""

import csv
import io
import json
import re
from decimal import Decimal

import pypdf
import pytest
from beancount_micro.cli.main import cli
from beancount_micro.formatting import euros
from click.testing import CliRunner

PAGE = "extension/MicroCockpit/"


def run_cli(*args: str) -> dict:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def rows(html: str, attribute: str) -> dict[str, str]:
    """The opening tags of the rows carrying ``attribute``, by its value."""
    found = {}
    for match in re.finditer(rf"<tr[^>]*\b{attribute}=\"([^\"]+)\"[^>]*>", html):
        found[match.group(1)] = match.group(0)
    return found


def attr(tag: str, name: str) -> str:
    return re.search(rf'\b{name}="([^"]*)"', tag).group(1)


def row_html(html: str, attribute: str, value: str) -> str:
    start = html.index(f'{attribute}="{value}"')
    return html[start : html.index("</tr>", start)]


def test_page_answers_200_and_is_in_french(example):
    response = example.get(PAGE)
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    for heading in (
        "Seuils 2026",
        "Déclarations URSSAF",
        "Registres 2026",
        "Créances clients",
        "Chiffre d’affaires encaissé 2026",
        "Problèmes signalés",
    ):
        assert heading in html
    assert 'id="micro-today">30/11/2026<' in html


def test_periods_match_the_cli(example, example_path):
    document = run_cli("urssaf", str(example_path), "--today", "2026-11-30", "--json")
    html = example.get(PAGE).get_data(as_text=True)
    shown = rows(html, "data-period")

    assert list(shown) and set(shown) == {p["period"] for p in document["periods"]}
    for period in document["periods"]:
        tag = shown[period["period"]]
        assert attr(tag, "data-status") == period["status"]
        assert attr(tag, "data-turnover") == period["turnover"]
        assert attr(tag, "data-total") == period["total_to_pay"]
        assert attr(tag, "data-penalty") == period["penalty"]
        body = row_html(html, "data-period", period["period"])
        assert euros(Decimal(period["turnover"])) in body
        amounts = re.findall(r'data-rate="([^"]+)" data-amount="([^"]+)"', body)
        expected = [
            (line["rate"], line["amount"])
            for category in period["categories"]
            for line in category["lines"]
        ]
        assert [(str(Decimal(r)), a) for r, a in amounts] == [
            (str(Decimal(r)), a) for r, a in expected
        ]


def test_missing_declaration_is_late_with_penalty_and_first(example):
    html = example.get(PAGE).get_data(as_text=True)
    order = list(rows(html, "data-period"))
    q4 = row_html(html, "data-period", "2025-Q4")

    # The example never declared 2025-Q4 (deadline 2026-01-31): the penalty
    # is 1.5 % of the 2026 PMSS (4 005 €), rounded up: 61 €.
    assert order[0] == "2025-Q4"
    assert "en retard" in q4 and "avec pénalité de 61,00" in q4
    assert order[1] == "2026-Q4"


def test_declared_turnover_links_to_the_period_receipts(example):
    html = example.get(PAGE).get_data(as_text=True)
    q3 = row_html(html, "data-period", "2026-Q3")
    link = re.search(r'class="micro-turnover-link" href="([^"]+)"', q3).group(1)

    assert link.startswith(f"/{example.slug}/journal/?time=2026-07-01+-+2026-09-30")
    assert "filter=any(account:" in link
    assert example.client.get(link.replace("&amp;", "&")).status_code == 200


def test_registers_match_the_cli(example, example_path):
    document = run_cli(
        "registers",
        str(example_path),
        "--year",
        "2025",
        "--format",
        "json",
        "--today",
        "2026-11-30",
    )
    html = example.get(PAGE + "?year=2025").get_data(as_text=True)

    for register in document["registers"]:
        block_start = html.index(f'id="micro-register-{register["register"]}"')
        block = html[block_start : html.index("</table>", block_start)]
        assert attr(block[:300], "data-total") == register["totals"]["total"]
        shown = re.findall(
            r'data-number="(\d+)" data-date="([^"]+)" '
            r'data-amount="([^"]+)"',
            block,
        )
        assert shown == [
            (str(r["number"]), r["date"], r["amount"]) for r in register["rows"]
        ]
    assert len(document["registers"][0]["rows"]) > 10


def test_csv_download_is_the_cli_file(example, example_path, tmp_path):
    out = tmp_path / "registre.csv"
    result = CliRunner().invoke(
        cli,
        [
            "registers",
            str(example_path),
            "--year",
            "2026",
            "--register",
            "recettes",
            "--today",
            "2026-11-30",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    response = example.get(
        "extension/MicroCockpit/register?year=2026&kind=recettes&format=csv"
    )

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data == out.read_bytes()
    table = list(
        csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";")
    )
    assert table[0][0] == "N°" and len(table) == 47  # header + 46 receipts
    assert table[1][:2] == ["1", "09/01/2026"]


def test_pdf_download_holds_the_register(example):
    response = example.get(
        "extension/MicroCockpit/register?year=2026&kind=both&format=pdf"
    )
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "Livre des recettes" in text and "Registre des achats" in text
    assert "Margaux Peyrol EI" in text
    assert "39\u202f568,75" in text  # 2026 receipts, as in the ledger header


def test_bad_download_request_is_refused(example):
    assert (
        example.get(
            "extension/MicroCockpit/register?year=2026&kind=both&format=csv"
        ).status_code
        == 400
    )
    assert (
        example.get(
            "extension/MicroCockpit/register?kind=recettes&format=csv"
        ).status_code
        == 400
    )


def test_thresholds_show_vat_base_crossed(example):
    html = example.get(PAGE).get_data(as_text=True)
    start = html.index('data-kind="vat_franchise_base"')
    gauge = html[start : html.index("</svg>", start)]

    # 2026 receipts 39 568,75 € pass the 37 500 € base threshold on 2 Nov.
    assert "39\u202f568,75\xa0€" in gauge and "37\u202f500,00\xa0€" in gauge
    assert "franchi le 02/11/2026" in gauge


def test_projection_follows_the_pace(example):
    html = example.get(PAGE).get_data(as_text=True)
    start = html.index('data-kind="micro_ceiling"')
    gauge = html[start : html.index("</div>\n  </div>", start)]

    # 39 568,75 € in 334 days (to 30 Nov) -> 39 568,75 × 365 / 334 = 43 241,30 €.
    assert "43\u202f241,30" in gauge


def test_problems_are_grouped_and_link_to_the_editor(example):
    html = example.get(PAGE).get_data(as_text=True)
    section = html[html.index('id="micro-problemes"') :]

    assert "Déclarations URSSAF (1)" in section
    assert "URSSAF declaration 2025-Q4 missing" in section
    assert "Seuils (1)" in section
    assert f"/{example.slug}/editor/?file_path=" in section


def test_nothing_is_computed_before_the_page_is_opened(example):
    assert example.get("income_statement/").status_code == 200
    assert example.extension._cockpit is None

    example.get(PAGE)
    first = example.extension._cockpit
    example.get(PAGE)
    assert first is not None and example.extension._cockpit is first


def test_a_reload_computes_the_figures_again(example):
    example.get(PAGE)
    first = example.extension._cockpit
    example.ledger.load_file()

    assert example.extension._cockpit is None
    example.get(PAGE)
    assert example.extension._cockpit is not first


def test_empty_ledger_is_explained(fava_for):
    fava = fava_for("")
    response = fava.get(PAGE)
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert 'id="micro-empty"' in html
    assert "Ce fichier ne contient encore aucune écriture" in html
    assert 'custom "micro" "business"' in html.replace("&#34;", '"')


def test_ledger_without_business_is_explained(fava_for):
    fava = fava_for("""
        option "operating_currency" "EUR"
        2025-01-01 open Assets:Banque EUR
        2025-01-01 open Income:Ventes EUR
        2025-02-01 * "Client" "Vente"
          Assets:Banque   100.00 EUR
          Income:Ventes
    """)
    response = fava.get(PAGE)
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Aucune micro-entreprise déclarée dans ce registre" in html
    assert 'id="micro-periods"' not in html
    assert (
        fava.get(
            "extension/MicroCockpit/register?year=2025&kind=recettes&format=csv"
        ).status_code
        == 404
    )


QUOTES_LEDGER = """
    option "operating_currency" "EUR"
    2024-01-01 custom "micro" "business"
      name: "Camille Durand"
      siret: "73282932000074"
      address: "Lyon"
      categories: "bnc_ssi"
      periodicity: "quarterly"
      versement-liberatoire: FALSE
      acre: FALSE
    2024-01-01 open Assets:Banque EUR
      bank: "Banque"
      dedicated: TRUE
    2024-01-01 open Income:Prestations EUR
      category: "bnc_ssi"
    2024-01-01 open Assets:Clients:Pro EUR
      client: "Pro SAS"
      client-type: "business"
      siren: "732829320"
    2026-01-15 * "Pro SAS" "Atelier" ^F-2026-0001
      means: "virement"
      invoice: "F-2026-0001"
      Assets:Banque        9000.00 EUR
      Income:Prestations
    2026-02-01 custom "micro" "quote" "D-2026-0001" Assets:Clients:Pro 4500.00 EUR
      stage: "sent"
    2026-02-10 custom "micro" "quote-stage" "D-2026-0001" "accepted"
    2026-03-01 custom "micro" "quote" "D-2026-0002" Assets:Clients:Pro 1000.00 EUR
      stage: "sent"
"""


def test_projection_adds_accepted_quotes(fava_for, monkeypatch):
    monkeypatch.setenv("BEANCOUNT_MICRO_TODAY", "2026-03-31")
    html = fava_for(QUOTES_LEDGER).get(PAGE).get_data(as_text=True)
    start = html.index('data-kind="micro_ceiling"')
    gauge = html[start : html.index("source</span>", start)]

    # 9 000 € in the 90 days to 31 March: 9 000 × 365 / 90 = 36 500 € by
    # year end; plus the accepted quote of 4 500 € (not the one only sent).
    assert "36\u202f500,00" in gauge
    assert "(4\u202f500,00\xa0€) : " in gauge
    assert "41\u202f000,00" in gauge


def test_missing_regime_figure_reaches_the_user(fava_for, monkeypatch):
    # No ceiling is published for 2031: the section says so, the page stands.
    monkeypatch.setenv("BEANCOUNT_MICRO_TODAY", "2031-06-01")
    response = fava_for(QUOTES_LEDGER).get(PAGE)
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Calcul incomplet : figure &#39;micro_ceiling&#39;" in html
    assert "is not published for 2031-01-01" in html
    assert 'id="micro-problemes"' in html


@pytest.mark.parametrize("year", ["0", "99999", "1899", "\u00b2", "2" * 5000])
def test_a_year_out_of_range_is_a_clear_400_not_a_500(example, year):
    register = f"extension/MicroCockpit/register?year={year}&kind=recettes&format=csv"
    assert example.get(register).status_code == 400
    # The page itself falls back to the current year.
    assert example.get(f"extension/MicroCockpit/?year={year}").status_code == 200


def test_the_csv_download_names_its_charset_once(example):
    response = example.get(
        "extension/MicroCockpit/register?year=2026&kind=recettes&format=csv"
    )
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_siren_checksum_error_shows_among_the_problems(fava_for):
    client = fava_for(
        """
        option "operating_currency" "EUR"
        plugin "beancount_micro.plugins.micro" "{'today': '2025-04-01'}"
        2025-03-10 custom "micro" "business"
          name: "Camille Durand"
          siret: "73282932000074"
          categories: "bnc_ssi"
          periodicity: "quarterly"
        2025-03-10 open Assets:Clients:Acme EUR
          client: "Acme SAS"
          client-type: "business"
          siren: "123456789"
        """
    )
    html = client.get(PAGE).get_data(as_text=True)
    section = html[html.index('id="micro-problemes"') :]
    assert "Identité (SIRET, SIREN) (1)" in section
    assert "SIREN &#39;123456789&#39; is invalid" in section
    # Fava's own errors page lists it too, as bean-micro check does.
    [error] = [e for e in client.ledger.errors if "SIREN" in e.message]
    assert error.source["lineno"] == 9  # The client's open (line 1 is empty).
