"""The packaged regime figures, pinned to REGIME.md, and the override rules."""

from datetime import date
from decimal import Decimal

import pytest
from beancount_micro.errors import BeancountMicroError
from beancount_micro.regime import Figure, MissingFigureError, Regime

D = Decimal


@pytest.fixture(scope="module")
def regime() -> Regime:
    return Regime.default()


@pytest.mark.parametrize(
    ("scope", "day", "rate"),
    [
        ("bnc_ssi", date(2024, 6, 30), "0.211"),  # last day before décret 2024-484
        ("bnc_ssi", date(2024, 7, 1), "0.231"),  # the mid-2024 step
        ("bnc_ssi", date(2025, 7, 1), "0.246"),  # no July change in 2025
        ("bnc_ssi", date(2026, 1, 1), "0.256"),  # décret 2025-943
        ("bnc_cipav", date(2024, 6, 30), "0.212"),
        ("bnc_cipav", date(2024, 7, 1), "0.232"),
        ("bic_sales", date(2026, 5, 1), "0.123"),
        ("bic_services", date(2026, 5, 1), "0.212"),
        ("meuble_classe", date(2025, 5, 1), "0.06"),
    ],
)
def test_urssaf_rates_by_cash_date(regime, scope, day, rate):
    assert regime.value("urssaf_rate", scope, day) == D(rate)


@pytest.mark.parametrize(
    ("key", "scope", "year", "value"),
    [
        ("micro_ceiling", "services", 2025, "77700"),
        ("micro_ceiling", "services", 2026, "83600"),
        ("micro_ceiling", "sales", 2025, "188700"),
        ("micro_ceiling", "sales", 2026, "203100"),
        ("micro_ceiling", "unclassified_lets", 2025, "15000"),
        ("vat_franchise_base", "services", 2024, "36800"),
        ("vat_franchise_majorated", "services", 2024, "39100"),
        # The repealed 25 000 / 27 500 single threshold must never appear.
        ("vat_franchise_base", "services", 2025, "37500"),
        ("vat_franchise_majorated", "services", 2025, "41250"),
        ("vat_franchise_base", "services", 2026, "37500"),
        ("vat_franchise_majorated", "services", 2026, "41250"),
        ("vat_franchise_base", "sales", 2026, "85000"),
        ("vat_franchise_majorated", "sales", 2026, "93500"),
        ("vl_rfr_limit_per_part", "all", 2026, "29315"),
        ("vl_rfr_limit_per_part", "all", 2027, "29579"),
        ("pmss", "all", 2024, "3864"),
        ("pmss", "all", 2025, "3925"),
        ("pmss", "all", 2026, "4005"),
        ("allowance_rate", "bnc_ssi", 2026, "0.34"),
        ("allowance_rate", "meuble_classe", 2024, "0.71"),
        ("allowance_rate", "meuble_classe", 2025, "0.50"),
        ("dedicated_account_threshold", "all", 2026, "10000"),
        ("tfc_exemption_threshold", "all", 2026, "5000"),
    ],
)
def test_yearly_figures(regime, key, scope, year, value):
    assert regime.value(key, scope, date(year, 6, 15)) == D(value)


@pytest.mark.parametrize(
    ("key", "scope", "day", "value"),
    [
        ("acre_share_paid", "all", date(2026, 6, 30), "0.5"),
        ("acre_share_paid", "all", date(2026, 7, 1), "0.75"),
        ("acre_rate_fixed", "bnc_cipav", date(2024, 6, 1), "0.121"),
        ("acre_rate_fixed", "bnc_cipav", date(2025, 12, 31), "0.139"),
        ("acre_rate_fixed", "bnc_cipav", date(2026, 1, 1), "0.134"),
        ("cfp_rate", "commercial", date(2026, 1, 1), "0.001"),
        ("cfp_rate", "craft", date(2026, 1, 1), "0.003"),
        ("cfp_rate", "liberal", date(2026, 1, 1), "0.002"),
        ("cfp_rate_statutory", "bic_services", date(2026, 1, 1), "0.002"),
        ("tfc_rate", "cci.services", date(2026, 1, 1), "0.00044"),
        ("tfc_rate", "cma.sales", date(2026, 1, 1), "0.0022"),
        ("tfc_rate", "cma_moselle.services", date(2026, 1, 1), "0.0083"),
        ("vl_rate", "bnc_ssi", date(2027, 1, 1), "0.022"),
        ("late_declaration_penalty_share", "all", date(2026, 4, 30), "0.015"),
        ("legal_interest_rate", "professional", date(2026, 6, 30), "0.0262"),
        ("legal_interest_rate", "professional", date(2026, 7, 1), "0.0275"),
        ("ecb_refinancing_rate", "all", date(2026, 7, 1), "0.024"),
        ("late_penalty_margin", "all", date(2026, 7, 1), "0.10"),
        ("late_penalty_floor_multiple", "all", date(2026, 7, 1), "3"),
        ("recovery_indemnity", "all", date(2026, 7, 1), "40"),
        ("payment_term_days", "b2b_default", date(2026, 7, 1), "30"),
        ("payment_term_days", "b2b_max", date(2026, 7, 1), "60"),
    ],
)
def test_dated_figures(regime, key, scope, day, value):
    assert regime.value(key, scope, day) == D(value)


def test_vat_franchise_mention_is_a_text(regime):
    mention = regime.text("vat_franchise_mention", "all", date(2026, 3, 1))
    assert mention == "TVA non applicable, art. 293 B du CGI"


@pytest.mark.parametrize(
    ("key", "scope", "day"),
    [
        ("micro_ceiling", "services", date(2029, 1, 1)),
        ("pmss", "all", date(2027, 1, 1)),
        ("legal_interest_rate", "professional", date(2027, 1, 1)),
        ("ecb_refinancing_rate", "all", date(2027, 1, 1)),
        ("vl_rate", "meuble_classe", date(2025, 1, 1)),  # not sourced after 2024
        ("urssaf_rate", "bnc_ssi", date(2023, 12, 31)),  # before the data starts
    ],
)
def test_unpublished_figure_raises_instead_of_reusing_an_old_one(
    regime, key, scope, day
):
    with pytest.raises(MissingFigureError) as caught:
        regime.value(key, scope, day)
    assert f"is not published for {day.isoformat()}" in str(caught.value)
    assert isinstance(caught.value, BeancountMicroError)


def _figure(valid_from, value, valid_to=None, key="urssaf_rate", scope="bnc_ssi"):
    return Figure(
        key,
        scope,
        valid_from,
        valid_to,
        D(value),
        "rate",
        "cash_date",
        "test",
        "ledger",
    )


def test_ledger_figure_fills_a_later_year_and_leaves_earlier_ones(regime):
    overridden = regime.with_figures([_figure(date(2027, 1, 1), "0.262")])
    assert overridden.value("urssaf_rate", "bnc_ssi", date(2027, 3, 1)) == D("0.262")
    assert overridden.value("urssaf_rate", "bnc_ssi", date(2026, 12, 31)) == D("0.256")
    # The packaged regime itself is unchanged.
    assert regime.value("urssaf_rate", "bnc_ssi", date(2027, 3, 1)) == D("0.256")


def test_override_wins_over_packaged_row_and_latest_override_wins(regime):
    overridden = regime.with_figures(
        [_figure(date(2026, 1, 1), "0.3"), _figure(date(2026, 7, 1), "0.31")]
    )
    assert overridden.value("urssaf_rate", "bnc_ssi", date(2026, 6, 30)) == D("0.3")
    assert overridden.value("urssaf_rate", "bnc_ssi", date(2026, 7, 1)) == D("0.31")
    again = overridden.with_figures(
        [_figure(date(2028, 1, 1), "0.4", key="pmss", scope="all")]
    )
    assert again.value("urssaf_rate", "bnc_ssi", date(2026, 7, 1)) == D("0.31")
    assert again.value("pmss", "all", date(2028, 2, 1)) == D("0.4")


def test_override_with_an_end_date_falls_back_to_packaged_data_after_it(regime):
    overridden = regime.with_figures(
        [_figure(date(2026, 1, 1), "0.3", valid_to=date(2026, 3, 31))]
    )
    assert overridden.value("urssaf_rate", "bnc_ssi", date(2026, 3, 31)) == D("0.3")
    assert overridden.value("urssaf_rate", "bnc_ssi", date(2026, 4, 1)) == D("0.256")


def test_every_packaged_row_has_a_source_and_a_typed_value(regime):
    figures = regime.figures()
    assert len(figures) > 100
    for figure in figures:
        assert figure.source.strip()
        if figure.unit == "text":
            assert isinstance(figure.value, str)
        else:
            assert isinstance(figure.value, Decimal)
