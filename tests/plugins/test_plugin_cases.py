"""Cases C18-C20 of ../shared/cases/CASES.md: plugins and the ledger's loading."""

import json

from beancount_micro.cli.main import cli
from click.testing import CliRunner

BUSINESS = """
2025-01-01 custom "micro" "business"
  name: "Camille Durand"
  siret: "73282932000074"
  categories: "bnc_ssi"
  acre: FALSE
2025-01-01 open Assets:Banque EUR
  bank: "B"
2025-01-01 open Assets:Stock
2025-01-01 open Income:Prestations EUR
  category: "bnc_ssi"
"""


def sale(day: str, amount: str) -> str:
    return f"""
{day} * "Client" "Mission"
  means: "virement"
  Assets:Banque          {amount} EUR
  Income:Prestations    -{amount} EUR
"""


def test_plugin_line_in_an_included_file_is_an_error(tmp_path):
    # C18: Beancount ignores plugin lines in included files.
    (tmp_path / "config.beancount").write_text(
        'plugin "beancount_micro.plugins.registers"\n' + BUSINESS, encoding="utf-8"
    )
    (tmp_path / "2025.beancount").write_text(
        sale("2025-03-03", "1000.00") + sale("2025-03-10", "450.00"), encoding="utf-8"
    )
    main = tmp_path / "main.beancount"
    main.write_text(
        'include "config.beancount"\ninclude "2025.beancount"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["check", str(main), "--today", "2025-04-01"])
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'config.beancount'}:1: plugin "
        '"beancount_micro.plugins.registers" is in an included file, where '
        f"Beancount ignores it: move it to {main}"
    ) in result.output
    # The register is still built, by the command itself, and not empty.
    result = CliRunner().invoke(
        cli, ["registers", str(main), "--year", "2025", "--format", "json"]
    )
    rows = json.loads(result.stdout)["registers"][0]["rows"]
    assert [row["amount"] for row in rows] == ["1000.00", "450.00"]


def test_the_umbrella_and_a_single_plugin_together_report_once(load_ledger):
    # C19: declaring a check twice gives the same result, not doubled errors.
    body = BUSINESS + sale("2025-03-03", "1000.00").replace('  means: "virement"\n', "")
    _, once, _ = load_ledger('plugin "beancount_micro.plugins.micro"\n' + body)
    _, twice, _ = load_ledger(
        'plugin "beancount_micro.plugins.micro"\n'
        'plugin "beancount_micro.plugins.registers"\n'
        'plugin "beancount_micro.plugins.micro"\n' + body
    )
    assert [e.message for e in once] == [e.message for e in twice]
    assert sum("has no means" in e.message for e in twice) == 1


def test_a_booking_error_stops_the_register_instead_of_a_wrong_total(tmp_path):
    # C20: the 800 EUR sale reduces a lot that does not match; Beancount
    # drops it before the plugins run. March must not read 1450.00.
    broken = """
2025-02-01 * "Fournisseur" "Achat de stock"
  Assets:Stock              1 XYZ {5.00 EUR}
  Assets:Banque         -5.00 EUR

2025-03-12 * "Client" "Mission payée en partie en nature"
  means: "virement"
  Assets:Banque          810.00 EUR
  Income:Prestations    -800.00 EUR
  Assets:Stock             -1 XYZ {10.00 EUR}
"""
    ledger = tmp_path / "books.beancount"
    ledger.write_text(
        BUSINESS
        + sale("2025-03-03", "1000.00")
        + broken
        + sale("2025-03-20", "450.00"),
        encoding="utf-8",
    )
    args = ["registers", str(ledger), "--year", "2025", "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "incomplete" in result.output
    assert "1450.00" not in result.stdout

    marked = CliRunner().invoke(cli, [*args, "--allow-incomplete"])
    assert marked.exit_code == 0
    document = json.loads(marked.stdout)
    assert document["complete"] is False

    fixed = (
        ledger.read_text(encoding="utf-8")
        .replace(
            "  Assets:Banque          810.00 EUR\n",
            "  Assets:Banque          800.00 EUR\n",
        )
        .replace("  Assets:Stock             -1 XYZ {10.00 EUR}\n", "")
    )
    assert "XYZ {10.00" not in fixed
    ledger.write_text(fixed, encoding="utf-8")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    totals = json.loads(result.stdout)["registers"][0]["totals"]
    assert totals["by_quarter"] == {"2025-T1": "2250.00"}
