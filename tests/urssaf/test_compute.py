"""The URSSAF computation: rates by date, ACRE, rounding, lines and errors."""

import json
from datetime import date
from decimal import Decimal

import pytest
from beancount_micro.periods import PeriodError
from beancount_micro.regime import Figure, MissingFigureError, Regime
from beancount_micro.urssaf import (
    DeclarationInputError,
    UnknownCategoryError,
    acre_window,
    compute_declaration,
)

D = Decimal


def social(calc) -> tuple[Decimal, Decimal]:
    line = calc.line("cotisations_sociales")
    return line.rate, line.amount


def test_community_manager_2026_pays_25_6_percent_plus_cfp():
    calc = compute_declaration("bnc_ssi", "2026-Q2", D("10000"))
    assert social(calc) == (D("0.256"), D("2560"))
    assert calc.line("cfp").amount == D("20")  # 0.2 % liberal
    assert calc.line("taxe_chambre") is None  # liberal professions pay none
    assert calc.line("versement_liberatoire") is None
    assert (calc.total_contributions, calc.total_to_pay) == (D("2580"), D("2580"))
    assert calc.warnings == ()


@pytest.mark.parametrize(
    ("period", "rate"),
    [
        ("2024-06", "0.211"),
        ("2024-07", "0.231"),
        ("2024-Q2", "0.211"),
        ("2024-Q3", "0.231"),
    ],
)
def test_bnc_rate_changes_on_1_july_2024(period, rate):
    assert social(compute_declaration("bnc_ssi", period, D("1000")))[0] == D(rate)


def test_zero_declaration_is_all_zero():
    calc = compute_declaration("bnc_ssi", "2026-Q3", D("0"), versement_liberatoire=True)
    assert [line.amount for line in calc.lines] == [D(0), D(0), D(0)]
    assert (calc.turnover, calc.total_contributions, calc.total_to_pay) == (0, 0, 0)


@pytest.mark.parametrize(
    ("turnover", "declared", "contributions"),
    [
        ("1242.46", "1242", "318"),  # REGIME.md §3 example; 1242 x 25.6 % = 317.952
        ("1242.50", "1243", "318"),  # half-up; 1243 x 25.6 % = 318.208
        ("1953.49", "1953", "500"),  # 1953 x 25.6 % = 499.968
    ],
)
def test_turnover_is_rounded_to_the_euro_before_rates(
    turnover, declared, contributions
):
    calc = compute_declaration("bnc_ssi", "2026-01", D(turnover))
    assert calc.turnover == D(declared)
    assert calc.line("cotisations_sociales").base == D(declared)
    assert calc.line("cotisations_sociales").amount == D(contributions)


@pytest.mark.parametrize(
    ("category", "period", "created", "rate"),
    [
        ("bnc_ssi", "2024-Q2", date(2024, 1, 10), "0.106"),  # 21.1 / 2 = 10.55
        ("bnc_ssi", "2024-Q3", date(2024, 1, 10), "0.116"),  # 23.1 / 2 = 11.55
        ("bnc_ssi", "2025-Q3", date(2025, 4, 10), "0.123"),
        ("bnc_ssi", "2026-Q2", date(2026, 3, 2), "0.128"),
        ("bnc_ssi", "2026-Q3", date(2026, 7, 1), "0.192"),  # 75 % x 25.6 %
        ("bic_services", "2026-Q3", date(2026, 7, 1), "0.159"),
        ("bic_sales", "2026-Q3", date(2026, 5, 4), "0.062"),  # 12.3 / 2 = 6.15
        ("bic_sales", "2026-Q3", date(2026, 7, 1), "0.092"),  # 9.225 to nearest
        # Created before July 2026: still 50 % for money cashed after it.
        ("bnc_ssi", "2026-Q4", date(2026, 3, 2), "0.128"),
    ],
)
def test_acre_reduced_rates(category, period, created, rate):
    calc = compute_declaration(category, period, D("1000"), acre=True, created=created)
    assert calc.acre_applied
    assert social(calc)[0] == D(rate)


def test_acre_rounding_up_is_a_setting():
    calc = compute_declaration(
        "bic_sales", "2026-Q3", D("1000"), acre=True, created=date(2026, 7, 1),
        acre_rounding="up",
    )  # fmt: skip
    assert social(calc)[0] == D("0.093")


def test_acre_by_period_transition_is_a_setting():
    calc = compute_declaration(
        "bnc_ssi", "2026-Q4", D("1000"), acre=True, created=date(2026, 3, 2),
        acre_transition="by_period",
    )  # fmt: skip
    assert social(calc)[0] == D("0.192")


def test_cipav_acre_keeps_the_engines_fixed_rate_and_warns_after_july_2026():
    before = compute_declaration(
        "bnc_cipav", "2026-Q2", D("1000"), acre=True, created=date(2026, 1, 5)
    )
    after = compute_declaration(
        "bnc_cipav", "2026-Q4", D("1000"), acre=True, created=date(2026, 7, 20)
    )
    assert social(before) == (D("0.134"), D("134"))
    assert before.warnings == ()
    assert social(after) == (D("0.134"), D("134"))
    assert any("17.4 %" in warning for warning in after.warnings)


@pytest.mark.parametrize(
    ("created", "last_day"),
    [
        (date(2026, 9, 1), date(2027, 6, 30)),  # Q3 -> end of 2027-Q2
        (date(2026, 10, 1), date(2027, 9, 30)),  # Q4 -> end of 2027-Q3
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 3, 31), date(2025, 12, 31)),
    ],
)
def test_acre_window_ends_three_quarters_after_the_creation_quarter(created, last_day):
    assert acre_window(created) == (created, last_day)


def test_acre_window_of_twelve_months_is_a_setting():
    assert acre_window(date(2025, 3, 6), duration="months_12") == (
        date(2025, 3, 6),
        date(2026, 3, 5),
    )


def test_acre_ends_with_its_window():
    inside = compute_declaration(
        "bnc_ssi", "2026-Q3", D("1000"), acre=True, created=date(2025, 10, 1)
    )
    outside = compute_declaration(
        "bnc_ssi", "2026-Q4", D("1000"), acre=True, created=date(2025, 10, 1)
    )
    assert (inside.acre_applied, social(inside)[0]) == (True, D("0.128"))
    assert (outside.acre_applied, social(outside)[0]) == (False, D("0.256"))
    assert "does not cover 2026-Q4" in outside.warnings[0]


def test_acre_needs_the_creation_date():
    with pytest.raises(DeclarationInputError, match="creation date"):
        compute_declaration("bnc_ssi", "2026-Q1", D("1000"), acre=True)


def test_joined_period_is_computed_part_by_part_at_each_parts_rates():
    calc = compute_declaration(
        "bnc_ssi",
        "2024-Q2+2024-Q3",
        {"2024-Q2": D("2600"), "2024-Q3": D("5400")},
    )
    parts = [(box.period.id, social(box)) for box in calc.boxes]
    # 2600 x 21.1 % = 548.6 -> 549; 5400 x 23.1 % = 1247.4 -> 1247
    assert parts == [
        ("2024-Q2", (D("0.211"), D("549"))),
        ("2024-Q3", (D("0.231"), D("1247"))),
    ]
    line = calc.line("cotisations_sociales")
    assert (line.base, line.amount, line.unrounded) == (D("8000"), D("1796"), D("1796"))
    assert "2024-Q2 21,1\u00a0%" in line.note and "2024-Q3 23,1\u00a0%" in line.note


def test_one_amount_for_a_joined_period_is_fine_when_no_rate_changes():
    calc = compute_declaration("bnc_ssi", "2025-Q1+2025-Q2", D("5040"))
    assert social(calc) == (D("0.246"), D("1240"))  # 5040 x 24.6 % = 1239.84


def test_one_amount_for_a_joined_period_with_a_rate_change_is_refused():
    with pytest.raises(DeclarationInputError, match="give the turnover of each part"):
        compute_declaration("bnc_ssi", "2024-Q2+2024-Q3", D("8000"))


def test_turnover_by_part_must_name_every_part():
    with pytest.raises(DeclarationInputError, match="missing 2024-Q3"):
        compute_declaration("bnc_ssi", "2024-Q2+2024-Q3", {"2024-Q2": D("1")})
    with pytest.raises(DeclarationInputError, match="unknown 2024-Q4"):
        compute_declaration(
            "bnc_ssi",
            "2024-Q2+2024-Q3",
            {"2024-Q2": D("1"), "2024-Q3": D("1"), "2024-Q4": D("1")},
        )


@pytest.mark.parametrize("turnover", [D("-10"), 12.5, "100", True])
def test_negative_or_non_decimal_turnover_is_refused(turnover):
    with pytest.raises(DeclarationInputError, match="2026-Q1"):
        compute_declaration("bnc_ssi", "2026-Q1", turnover)


def test_unknown_category_is_refused():
    with pytest.raises(UnknownCategoryError, match="'bnc'"):
        compute_declaration("bnc", "2026-Q1", D("1000"))


def test_bad_period_name_is_refused():
    with pytest.raises(PeriodError):
        compute_declaration("bnc_ssi", "2026-Q5", D("1000"))


def test_unknown_chamber_and_nature_are_refused():
    with pytest.raises(DeclarationInputError, match="chamber 'cmi'"):
        compute_declaration("bic_services", "2026-Q1", D("1000"), chamber="cmi")
    with pytest.raises(DeclarationInputError, match="nature 'artisan'"):
        compute_declaration("bic_services", "2026-Q1", D("1000"), nature="artisan")


def test_versement_liberatoire_is_added_to_the_total_to_pay():
    calc = compute_declaration(
        "bic_services", "2026-Q1", D("10000"), versement_liberatoire=True
    )
    # 21.2 % + CFP 0.1 % + CCI 0.044 % = 2120 + 10 + 4.4 -> 4; VL 1.7 % = 170
    assert [(line.name, line.amount) for line in calc.lines] == [
        ("cotisations_sociales", D("2120")),
        ("cfp", D("10")),
        ("taxe_chambre", D("4")),
        ("versement_liberatoire", D("170")),
    ]
    assert (calc.total_contributions, calc.total_to_pay) == (D("2134"), D("2304"))


def test_commercial_services_cfp_is_the_levied_rate_with_the_statutory_one_noted():
    cfp = compute_declaration("bic_services", "2026-Q1", D("10000")).line("cfp")
    assert cfp.rate == D("0.001")
    assert "0,2\u00a0%" in cfp.note


@pytest.mark.parametrize(
    ("chamber", "category", "amount"),
    [
        ("cma_alsace", "bic_services", "65"),  # 0.65 % of 10 000
        ("cma_moselle", "bic_sales", "37"),  # 0.37 %
        ("cma", "bic_services", "48"),  # 0.48 %
        ("cci", "bic_sales", "2"),  # 0.015 % = 1.5
    ],
)
def test_chamber_fee_by_chamber_and_group(chamber, category, amount):
    calc = compute_declaration(
        category, "2026-Q1", D("10000"), nature="craft", chamber=chamber
    )
    line = calc.line("taxe_chambre")
    assert line.amount == D(amount)
    assert "5\u202f000\u00a0€" in line.note


def test_chamber_none_drops_the_fee():
    calc = compute_declaration("bic_sales", "2026-Q1", D("10000"), chamber="none")
    assert calc.line("taxe_chambre") is None


def test_classified_let_vl_after_2024_is_not_published():
    with pytest.raises(MissingFigureError, match="'vl_rate' for 'meuble_classe'"):
        compute_declaration(
            "meuble_classe", "2025-Q1", D("1000"), versement_liberatoire=True
        )


def test_rate_added_in_the_ledger_is_used():
    regime = Regime.default().with_figures(
        [
            Figure(
                "urssaf_rate", "bnc_ssi", date(2027, 1, 1), None, D("0.262"),
                "rate", "cash_date", "décret 2026-xxx", "unverified",
            )
        ]
    )  # fmt: skip
    calc = compute_declaration("bnc_ssi", "2027-Q1", D("10000"), regime=regime)
    assert social(calc) == (D("0.262"), D("2620"))
    assert calc.line("cotisations_sociales").source == "décret 2026-xxx"


def test_to_json_is_plain_data_with_decimals_as_strings():
    calc = compute_declaration(
        "bnc_ssi",
        "2024-Q2+2024-Q3",
        {"2024-Q2": D("2600"), "2024-Q3": D("5400")},
        acre=True,
        created=date(2024, 4, 15),
    )
    data = json.loads(json.dumps(calc.to_json()))
    assert data["period"] == "2024-Q2+2024-Q3"
    assert data["deadline"] == "2024-10-31"
    assert data["category"] == "bnc_ssi"
    assert data["nature"] == "liberal"
    assert data["turnover"] == "8000"
    assert data["acre_applied"] is True
    first = data["lines"][0]
    assert set(first) == {
        "name", "label", "rate", "base", "amount", "unrounded", "source", "note"
    }  # fmt: skip
    # 2600 x 10.6 % = 275.6 -> 276; 5400 x 11.6 % = 626.4 -> 626
    assert (first["name"], first["amount"], first["unrounded"]) == (
        "cotisations_sociales",
        "902",
        "902",
    )
    assert [part["period"] for part in data["parts"]] == ["2024-Q2", "2024-Q3"]
    assert data["parts"][0]["lines"][0]["rate"] == "0.106"
    assert data["total_to_pay"] == "918"  # 902 + CFP 5.2 -> 5 + 10.8 -> 11
    assert data["warnings"] == []


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("acre_rounding", "down"),
        ("acre_duration", "weeks"),
        ("acre_transition", "never"),
    ],
)
def test_unknown_acre_setting_is_refused(setting, value):
    with pytest.raises(DeclarationInputError, match=repr(value)):
        compute_declaration("bnc_ssi", "2026-Q1", D("1000"), **{setting: value})


def test_settings_that_do_not_fit_the_category_are_ignored_with_a_warning():
    calc = compute_declaration("bic_sales", "2026-Q1", D("1000"), nature="liberal")
    assert calc.nature == "commercial"
    assert calc.line("cfp").rate == D("0.001")
    assert "taken as commercial" in calc.warnings[0]
    calc = compute_declaration("bnc_ssi", "2026-Q1", D("1000"), chamber="cci")
    assert calc.line("taxe_chambre") is None
    assert "chamber cci ignored" in calc.warnings[0]
