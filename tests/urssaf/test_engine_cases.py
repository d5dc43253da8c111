"""Every declaration computed by URSSAF's own rules engine, matched to the euro.

The cases come from ``shared/reference/urssaf-cases.json`` (modele-social
11.1.0); the test skips when that folder is absent.
"""

import json
from datetime import date
from decimal import Decimal

import pytest
from beancount_micro.urssaf import compute_declaration

from tests.conftest import SHARED, needs_shared

CASES_FILE = SHARED / "reference" / "urssaf-cases.json"
CASES = (
    json.loads(CASES_FILE.read_text("utf-8"))["cases"] if CASES_FILE.exists() else []
)

# The file's category and nature -> ours (and the chamber each one implies).
CATEGORY = {
    ("vente", "commerciale"): ("bic_sales", "commercial"),  # CCI
    ("vente", "artisanale"): ("bic_sales", "craft"),  # CMA
    ("service_bic", "commerciale"): ("bic_services", "commercial"),  # CCI
    ("service_bnc", "libérale"): ("bnc_ssi", "liberal"),
    ("bnc_cipav", "libérale"): ("bnc_cipav", "liberal"),
}
LINES = ("cotisations_sociales", "cfp", "taxe_chambre", "versement_liberatoire")


def _turnover(case: dict) -> Decimal | dict[str, Decimal]:
    if case.get("parts"):
        return {
            part["period"]: Decimal(str(part["turnover"])) for part in case["parts"]
        }
    return Decimal(str(case["input"]["turnover"]))


@needs_shared
@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_engine_case_matches_to_the_euro(case):
    given = case["input"]
    assert given["acre_window"] == "legal"
    category, nature = CATEGORY[given["category"], given["nature"]]
    start = given["activity_start"]

    calc = compute_declaration(
        category,
        given["period"],
        _turnover(case),
        acre=given["acre"],
        versement_liberatoire=given["versement_liberatoire"],
        created=date.fromisoformat(start) if start else None,
        nature=nature,
    )

    expected = case["amounts"]
    for name in LINES:
        line = calc.line(name)
        amount = line.amount if line else Decimal(0)
        assert amount == Decimal(str(expected[name])), name
    assert calc.total_contributions == Decimal(
        str(expected["total_cotisations_contributions"])
    )
    assert calc.total_to_pay == Decimal(str(expected["total_a_payer"]))
    assert calc.turnover == Decimal(str(given["turnover"]))


@needs_shared
@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case["rates"]],
    ids=[case["id"] for case in CASES if case["rates"]],
)
def test_engine_case_rates_match(case):
    given = case["input"]
    category, nature = CATEGORY[given["category"], given["nature"]]
    start = given["activity_start"]
    calc = compute_declaration(
        category,
        given["period"],
        Decimal(str(given["turnover"])),
        acre=given["acre"],
        versement_liberatoire=given["versement_liberatoire"],
        created=date.fromisoformat(start) if start else None,
        nature=nature,
    )
    for name in LINES:
        line = calc.line(name)
        rate = line.rate if line else Decimal(0)
        assert rate == Decimal(str(case["rates"][name])), name
    assert calc.acre_applied == (case["rates"]["acre_factor"] is not None)


@needs_shared
def test_every_engine_case_is_run():
    assert len(CASES) == 25
