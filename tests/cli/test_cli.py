"""The bean-micro CLI on the example ledger and on bad input."""

import json

import pytest
from beancount_micro.cli.main import cli
from click.testing import CliRunner
from conftest import EXAMPLE_LEDGER
from pypdf import PdfReader

TODAY = "2026-12-04"
# A business directive starting at line 2, with the SIRET to format in.
BUSINESS = (
    'option "operating_currency" "EUR"\n'
    '2025-03-10 custom "micro" "business"\n'
    '  name: "Camille Durand"\n'
    '  siret: "{siret}"\n'
    '  categories: "bnc_ssi"\n'
)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_check_reports_exactly_the_problems_planted_in_the_example():
    result = run("check", EXAMPLE_LEDGER, "--today", TODAY)
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if ".beancount:" in line]
    assert len(problems) == 2
    # 2025-Q4 never declared: 1.5 % × PMSS 2026 4 005 € = 60.075 -> 61 €.
    assert "URSSAF declaration 2025-Q4 missing: due 2026-01-31" in problems[0]
    assert "penalty 61 EUR" in problems[0]
    assert "VAT franchise base threshold (services) crossed" in problems[1]
    assert "VAT is due from 2027-01-01" in problems[1]
    assert "2 problems found." in result.output


def test_urssaf_json_gives_status_deadline_and_amounts():
    result = run("urssaf", EXAMPLE_LEDGER, "--today", TODAY, "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    periods = {p["period"]: p for p in document["periods"]}
    assert list(periods)[:3] == ["2025-Q1+2025-Q2", "2025-Q3", "2025-Q4"]
    q4 = periods["2025-Q4"]
    # 10 450 € cashed under ACRE (12.3 %) + CFP 0.2 %: 1 285.35 -> 1 285, 20.90 -> 21.
    assert (q4["status"], q4["turnover"], q4["total_to_pay"], q4["penalty"]) == (
        "late",
        "10450",
        "1306",
        "61",
    )
    # 2026-Q1: 10 290 € at 25.6 % + 0.2 %: 2 634.24 -> 2 634, 20.58 -> 21.
    q1 = periods["2026-Q1"]
    assert (q1["status"], q1["total_to_pay"], q1["declared_turnover"]) == (
        "declared",
        "2655",
        "10290.00",
    )
    assert periods["2026-Q4"]["status"] == "in-progress"
    assert document["business"]["created"] == "2025-03-10"


def test_registers_json_and_csv_agree_with_the_books(tmp_path):
    result = run("registers", EXAMPLE_LEDGER, "--year", 2026, "--format", "json")
    assert result.exit_code == 0
    recettes, achats = json.loads(result.stdout)["registers"]
    assert recettes["totals"]["by_year"] == {"2026": "39568.75"}
    numbers = [row["number"] for row in recettes["rows"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert achats["register"] == "achats"

    output = tmp_path / "reg.csv"
    result = run("registers", EXAMPLE_LEDGER, "--year", 2026, "-o", output)
    assert result.exit_code == 0
    csv_text = (tmp_path / "reg-recettes.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("N°;Date;Client / fournisseur")
    assert len(csv_text.splitlines()) == len(numbers) + 1


def test_registers_pdf_is_french_and_headed_with_the_business(tmp_path):
    output = tmp_path / "registres.pdf"
    result = run(
        "registers", EXAMPLE_LEDGER, "--year", 2026, "--format", "pdf", "-o", output
    )
    assert result.exit_code == 0
    text = "\n".join(page.extract_text() for page in PdfReader(output).pages)
    assert "Livre des recettes" in text
    assert "Registre des achats" in text
    assert "Margaux Peyrol EI" in text
    assert "Total de l'année 2026" in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "missing.beancount"], "missing.beancount: no such ledger file"),
        (["registers", "missing.beancount", "--year", "2026"], "no such ledger file"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(args, expected):
    result = run(*args)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


def test_check_on_a_ledger_with_a_bad_siren_names_file_and_line(tmp_path):
    ledger = tmp_path / "bad.beancount"
    ledger.write_text(BUSINESS.format(siret="12345678901234"), encoding="utf-8")
    result = run("check", ledger, "--today", "2025-04-01")
    assert result.exit_code == 1
    assert f"{ledger}:2: business SIRET '12345678901234' is invalid" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--year", "99999"],
        ["--year", "0"],
        ["--from", "2026-06-01", "--to", "2026-01-01"],
        ["--year", "2026", "--from", "2026-01-01"],
    ],
)
def test_impossible_register_ranges_are_usage_errors(args):
    result = run("registers", EXAMPLE_LEDGER, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_urssaf_json_keeps_its_documented_fields():
    # docs/URSSAF-JSON.md: the envelope and period fields of schema version 1.
    result = run("urssaf", EXAMPLE_LEDGER, "--today", TODAY, "--json")
    document = json.loads(result.stdout)
    assert document["schema"] == "beancount-micro/urssaf/1"
    assert set(document) == {
        "schema",
        "today",
        "complete",
        "business",
        "periods",
        "unknown_declarations",
    }
    assert set(document["periods"][0]) == {
        "period",
        "start",
        "end",
        "deadline",
        "status",
        "turnover",
        "total_to_pay",
        "penalty",
        "declared_on",
        "declared_turnover",
        "paid",
        "mismatch",
        "categories",
    }


def test_check_names_a_client_siren_whose_checksum_fails(tmp_path):
    ledger = tmp_path / "client.beancount"
    ledger.write_text(
        BUSINESS.format(siret="73282932000074")
        + "2025-03-10 open Assets:Clients:Acme EUR\n"
        '  client: "Acme SAS"\n'
        '  client-type: "business"\n'
        '  siren: "123456789"\n',
        encoding="utf-8",
    )
    result = run("check", ledger, "--today", "2025-04-01")
    assert result.exit_code == 1
    assert (
        f"{ledger}:6: client Assets:Clients:Acme: SIREN '123456789' is invalid"
        in result.output
    )


def test_invoice_entry_problems_are_reported_by_check_not_by_reports(tmp_path):
    ledger = tmp_path / "due.beancount"
    ledger.write_text(
        BUSINESS.format(siret="73282932000074") + "2025-03-10 open Income:CM EUR\n"
        '  category: "bnc_ssi"\n'
        "2025-03-10 open Assets:Clients:Acme EUR\n"
        '  client: "Acme SAS"\n'
        '  client-type: "business"\n'
        '  siren: "732829320"\n'
        '2025-04-01 * "Acme" "Mission" ^F-2025-0001\n'
        '  invoice: "F-2025-0001"\n'
        "  Assets:Clients:Acme   100.00 EUR\n"
        "  Income:CM\n",
        encoding="utf-8",
    )
    missing_due = "invoice F-2025-0001 to business client Acme SAS has no due: date"
    checked = run("check", ledger, "--today", "2025-06-01")
    assert f"{ledger}:12: {missing_due}" in checked.output
    reported = run("urssaf", ledger, "--today", "2025-06-01")
    assert reported.exit_code == 0
    assert missing_due not in reported.output
