"""Compute one URSSAF turnover declaration: contributions, CFP, chamber fee, VL.

A pure function of the declared turnover and the business settings; it reads
no ledger. Each month or quarter declared is a box: its turnover is rounded to
the euro (half-up), and its lines use the figures in force on the box's first
day, as URSSAF's engine does. A joined first declaration (``2024-Q2+2024-Q3``)
is computed box by box and summed.

>>> calc = compute_declaration("bnc_ssi", "2026-Q1", Decimal("12000"))
>>> [(line.name, line.amount) for line in calc.lines]
[('cotisations_sociales', Decimal('3072')), ('cfp', Decimal('24'))]

The shape of :meth:`DeclarationCalc.to_json` is documented in
``docs/URSSAF-JSON.md``.
"""

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, NamedTuple

from beancount_micro.acre import acre_window as acre_window  # public here too
from beancount_micro.acre import reduced_rate
from beancount_micro.errors import BeancountMicroError
from beancount_micro.formatting import percent, plain, whole_euros
from beancount_micro.model import NATURES
from beancount_micro.periods import Period, parse_period
from beancount_micro.regime import Figure, Regime

ZERO = Decimal(0)
EURO = Decimal(1)

# Category -> (chamber-fee group, default nature). The group is None where
# no chamber fee is due.
CATEGORIES: dict[str, tuple[str | None, str]] = {
    "bic_sales": ("sales", "commercial"),
    "bic_services": ("services", "commercial"),
    "bnc_ssi": (None, "liberal"),
    "bnc_cipav": (None, "liberal"),
    "meuble_classe": (None, "commercial"),
}
CHAMBERS = ("cci", "cci_double", "cma", "cma_alsace", "cma_moselle", "none")
LABELS = {
    "cotisations_sociales": "Cotisations sociales",
    "cfp": "Contribution à la formation professionnelle (CFP)",
    "taxe_chambre": "Taxe pour frais de chambre consulaire",
    "versement_liberatoire": "Versement libératoire de l'impôt sur le revenu",
}


class UnknownCategoryError(BeancountMicroError):
    """The activity category is not one of the micro regime's."""

    def __init__(self, category: str) -> None:
        self.category = category
        super().__init__(
            f"unknown activity category {category!r}: expected one of "
            + ", ".join(CATEGORIES)
        )


class DeclarationInputError(BeancountMicroError):
    """A setting or a turnover given to the computation is not usable."""


class ContributionLine(NamedTuple):
    """One line of the declaration, e.g. the social contributions."""

    name: str
    label: str
    rate: Decimal
    base: Decimal
    amount: Decimal
    unrounded: Decimal
    source: str
    note: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "label": self.label,
            "rate": plain(self.rate),
            "base": plain(self.base),
            "amount": plain(self.amount),
            "unrounded": plain(self.unrounded),
            "source": self.source,
            "note": self.note,
        }


def line_named(
    lines: tuple[ContributionLine, ...], name: str
) -> ContributionLine | None:
    """The line called ``name`` among ``lines``, or None when it is not due."""
    return next((line for line in lines if line.name == name), None)


def period_json(period: Period) -> dict[str, str]:
    """The period's id and first and last days, as the JSON output gives them."""
    return {
        "period": period.id,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


class BoxCalc(NamedTuple):
    """The computation of one month or quarter of a declaration."""

    period: Period
    turnover: Decimal
    lines: tuple[ContributionLine, ...]
    acre_applied: bool

    def line(self, name: str) -> ContributionLine | None:
        """Return the line called ``name``, or None when it is not due."""
        return line_named(self.lines, name)

    def to_json(self) -> dict[str, Any]:
        return {
            **period_json(self.period),
            "turnover": plain(self.turnover),
            "acre_applied": self.acre_applied,
            "lines": [line.to_json() for line in self.lines],
        }


class DeclarationCalc(NamedTuple):
    """What one category of one declaration costs (see docs/URSSAF-JSON.md)."""

    period: Period
    category: str
    turnover: Decimal
    lines: tuple[ContributionLine, ...]
    total_contributions: Decimal
    total_to_pay: Decimal
    acre_applied: bool
    warnings: tuple[str, ...]
    nature: str = ""
    boxes: tuple[BoxCalc, ...] = ()

    def line(self, name: str) -> ContributionLine | None:
        """Return the line called ``name``, or None when it is not due."""
        return line_named(self.lines, name)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; decimals are strings (docs/URSSAF-JSON.md)."""
        return {
            **period_json(self.period),
            "deadline": self.period.deadline.isoformat(),
            "category": self.category,
            "nature": self.nature,
            "turnover": plain(self.turnover),
            "acre_applied": self.acre_applied,
            "lines": [line.to_json() for line in self.lines],
            "total_contributions": plain(self.total_contributions),
            "total_to_pay": plain(self.total_to_pay),
            "parts": [box.to_json() for box in self.boxes],
            "warnings": list(self.warnings),
        }


class _Settings(NamedTuple):
    category: str
    nature: str
    chamber: str | None
    acre: bool
    versement_liberatoire: bool
    created: date | None
    regime: Regime
    acre_rounding: str
    acre_duration: str
    acre_transition: str


def compute_declaration(
    category: str,
    period: Period | str,
    turnover: Decimal | Mapping[str, Decimal],
    *,
    acre: bool = False,
    versement_liberatoire: bool = False,
    created: date | None = None,
    nature: str | None = None,
    chamber: str | None = None,
    regime: Regime | None = None,
    acre_rounding: Literal["nearest", "up"] = "nearest",
    acre_duration: Literal["quarters", "months_12"] = "quarters",
    acre_transition: Literal["by_creation_date", "by_period"] = "by_creation_date",
) -> DeclarationCalc:
    """Compute the contributions of one category for one declaration.

    Args:
        category: bic_sales, bic_services, bnc_ssi, bnc_cipav or meuble_classe.
        period: the period declared, or its name (``"2024-Q2+2024-Q3"``).
        turnover: the turnover cashed in the period, or, for a joined period,
            a mapping from each part's id to its turnover.
        acre: the business was granted ACRE (needs ``created``).
        versement_liberatoire: income tax is paid with the contributions.
        created: start of activity (ACRE window and share).
        nature: commercial, craft or liberal (default from the category).
        chamber: cci, cci_double, cma, cma_alsace, cma_moselle or none
            (default: cci for commercial, cma for craft, none for liberal).
        regime: the dated figures (default: the packaged data).
        acre_rounding: reduced rate rounded to the nearest tenth of a point
            (URSSAF's engine) or up (older wording of CSS D131-6-3).
        acre_duration: ACRE window to the end of the third quarter after the
            creation quarter (default) or 12 months.
        acre_transition: pick the ACRE share by creation date (default) or by
            the date of the declared period.

    Raises:
        UnknownCategoryError: the category is not known.
        DeclarationInputError: a bad nature, chamber, turnover or ACRE setting.
        PeriodError: the period name is malformed.
        MissingFigureError: a figure is not published for the period.
    """
    if category not in CATEGORIES:
        raise UnknownCategoryError(category)
    regime = regime or Regime.default()
    if isinstance(period, str):
        period = parse_period(period, regime)
    warnings: list[str] = []
    settings = _settings(
        category, nature, chamber, acre, versement_liberatoire, created, regime,
        acre_rounding, acre_duration, acre_transition, warnings,
    )  # fmt: skip

    boxes = [
        _compute_box(settings, box, amount, warnings)
        for box, amount in _boxes(period, turnover, settings)
    ]
    lines = tuple(_sum_lines(boxes))
    contributions = sum(
        (line.amount for line in lines if line.name != "versement_liberatoire"), ZERO
    )
    return DeclarationCalc(
        period=period,
        category=category,
        turnover=sum((box.turnover for box in boxes), ZERO),
        lines=lines,
        total_contributions=contributions,
        total_to_pay=sum((line.amount for line in lines), ZERO),
        acre_applied=any(box.acre_applied for box in boxes),
        warnings=tuple(dict.fromkeys(warnings)),
        nature=settings.nature,
        boxes=tuple(boxes),
    )


def _settings(
    category, nature, chamber, acre, vl, created, regime,
    acre_rounding, acre_duration, acre_transition, warnings,
) -> _Settings:  # fmt: skip
    """Check the settings and fill in the defaults of the category."""
    group, default_nature = CATEGORIES[category]
    nature = (nature or default_nature).lower()
    if nature not in NATURES:
        raise DeclarationInputError(
            f"nature {nature!r}: expected one of {', '.join(NATURES)}"
        )
    if category.startswith("bnc_") and nature != "liberal":
        warnings.append(f"{category} is a liberal profession: nature {nature} ignored")
        nature = "liberal"
    elif not category.startswith("bnc_") and nature == "liberal":
        warnings.append(f"{category} is not a liberal profession: taken as commercial")
        nature = "commercial"

    if chamber is not None:
        chamber = chamber.lower()
        if chamber not in CHAMBERS:
            raise DeclarationInputError(
                f"chamber {chamber!r}: expected one of {', '.join(CHAMBERS)}"
            )
    if group is None:
        if chamber not in (None, "none"):
            warnings.append(f"no chamber fee for {category}: chamber {chamber} ignored")
        chamber = None
    elif chamber is None:
        chamber = "cma" if nature == "craft" else "cci"
    elif chamber == "none":
        chamber = None

    if acre and created is None:
        raise DeclarationInputError("ACRE needs the creation date (start of activity)")
    if acre_rounding not in ("nearest", "up"):
        raise DeclarationInputError(
            f"ACRE rounding {acre_rounding!r}: expected nearest or up"
        )
    if acre_duration not in ("quarters", "months_12"):
        raise DeclarationInputError(
            f"ACRE duration {acre_duration!r}: expected quarters or months_12"
        )
    if acre_transition not in ("by_creation_date", "by_period"):
        raise DeclarationInputError(
            f"ACRE transition {acre_transition!r}: "
            "expected by_creation_date or by_period"
        )
    return _Settings(
        category, nature, chamber, acre, vl, created, regime,
        acre_rounding, acre_duration, acre_transition,
    )  # fmt: skip


def _boxes(
    period: Period, turnover: Decimal | Mapping[str, Decimal], settings: _Settings
) -> list[tuple[Period, Decimal]]:
    """Pair each box of the period with its turnover."""
    if isinstance(turnover, Mapping):
        ids = [box.id for box in period.boxes]
        extra = sorted(set(turnover) - set(ids))
        missing = [box_id for box_id in ids if box_id not in turnover]
        if extra or missing:
            raise DeclarationInputError(
                f"period {period.id}: turnover must be given for each of "
                f"{', '.join(ids)}"
                + (f"; unknown {', '.join(extra)}" if extra else "")
                + (f"; missing {', '.join(missing)}" if missing else "")
            )
        return [(box, _amount(turnover[box.id], box.id)) for box in period.boxes]

    amount = _amount(turnover, period.id)
    if len(period.boxes) > 1:
        # One amount for a joined period is fine only if no rate changes.
        rates = {_rates(settings, box) for box in period.boxes}
        if len(rates) > 1:
            raise DeclarationInputError(
                f"period {period.id}: rates change between its parts; give the "
                "turnover of each part"
            )
    return [(period, amount)]


def _amount(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise DeclarationInputError(
            f"period {where}: turnover {value!r} is not a Decimal amount in EUR"
        )
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise DeclarationInputError(
            f"period {where}: turnover {value} must be zero or more "
            "(a refund larger than the receipts is an error to correct)"
        )
    return amount


def _rates(settings: _Settings, box: Period) -> tuple[tuple[str, Decimal], ...]:
    """The rates one box uses, to compare the parts of a joined period."""
    lines = _compute_box(settings, box, ZERO, []).lines
    return tuple((line.name, line.rate) for line in lines)


def _compute_box(
    settings: _Settings, box: Period, turnover: Decimal, warnings: list[str]
) -> BoxCalc:
    """Compute the lines of one month or quarter."""
    regime, category, on = settings.regime, settings.category, box.start
    declared = turnover.quantize(EURO, rounding=ROUND_HALF_UP)
    lines = []

    # Social contributions, reduced under ACRE.
    normal = regime.figure("urssaf_rate", category, on)
    acre = reduced_rate(settings, box, normal, warnings)
    if acre is None:
        lines.append(
            _line("cotisations_sociales", normal.value, declared, normal.source)
        )
    else:
        rate, source, note = acre
        lines.append(_line("cotisations_sociales", rate, declared, source, note))

    # Training contribution: a figure for the category wins over the nature's.
    cfp = _first(regime, "cfp_rate", (category, settings.nature), on)
    if category == "meuble_classe" and cfp and cfp.scope != category:
        cfp = None
    if cfp is None:
        warnings.append(f"no CFP rate for {category} in the regime data: not computed")
    else:
        lines.append(
            _line("cfp", cfp.value, declared, cfp.source, _cfp_note(settings, on))
        )

    # Chamber fee, per period like the engine: no 5 000 € floor here.
    group = CATEGORIES[category][0]
    if settings.chamber and group:
        tfc = regime.figure("tfc_rate", f"{settings.chamber}.{group}", on)
        note = _tfc_note(regime, on)
        lines.append(_line("taxe_chambre", tfc.value, declared, tfc.source, note))

    if settings.versement_liberatoire:
        vl = regime.figure("vl_rate", category, on)
        lines.append(_line("versement_liberatoire", vl.value, declared, vl.source))
    return BoxCalc(box, declared, tuple(lines), acre is not None)


def _cfp_note(settings: _Settings, on: date) -> str:
    statutory = _first(settings.regime, "cfp_rate_statutory", (settings.category,), on)
    if statutory is None or settings.nature != "commercial":
        return ""
    return (
        f"Taux prélevé par l'URSSAF ; le Code du travail (L6331-48) prévoit "
        f"{percent(statutory.value)}"
    )


def _tfc_note(regime: Regime, on: date) -> str:
    threshold = _first(regime, "tfc_exemption_threshold", ("all",), on)
    if threshold is None:
        return ""
    return (
        "Non due pour une année dont le chiffre d'affaires ne dépasse pas "
        f"{whole_euros(threshold.value)} (non appliqué ici, comme le simulateur URSSAF)"
    )


def _sum_lines(boxes: list[BoxCalc]) -> list[ContributionLine]:
    """Add the boxes' lines up, line by line, in the order they appear."""
    by_name: dict[str, list[tuple[Period, ContributionLine]]] = {}
    for box in boxes:
        for line in box.lines:
            by_name.setdefault(line.name, []).append((box.period, line))

    summed = []
    for name, items in by_name.items():
        lines = [line for _, line in items]
        base = sum((line.base for line in lines), ZERO)
        unrounded = sum((line.unrounded for line in lines), ZERO)
        notes = list(dict.fromkeys(line.note for line in lines if line.note))
        rates = {line.rate for line in lines}
        if len(rates) == 1:
            rate = lines[0].rate
        else:
            # Parts at different rates: the effective rate, each one in the note.
            rate = (unrounded / base).quantize(Decimal("0.0001")) if base else ZERO
            notes.append(
                "Taux par période : "
                + ", ".join(f"{p.id} {percent(line.rate)}" for p, line in items)
            )
        summed.append(
            ContributionLine(
                name=name,
                label=lines[0].label,
                rate=rate,
                base=base,
                # Rounded once on the line's total: the engine keeps each
                # part's CFP unrounded (case bnc-ssi-2024-Q2+Q3-straddle).
                amount=unrounded.quantize(Decimal(1), rounding=ROUND_HALF_UP),
                unrounded=unrounded,
                source=" | ".join(dict.fromkeys(line.source for line in lines)),
                note=" ; ".join(notes),
            )
        )
    return summed


def _line(
    name: str, rate: Decimal, base: Decimal, source: str, note: str = ""
) -> ContributionLine:
    unrounded = base * rate
    return ContributionLine(
        name=name,
        label=LABELS[name],
        rate=rate,
        base=base,
        amount=unrounded.quantize(EURO, rounding=ROUND_HALF_UP),
        unrounded=unrounded,
        source=source,
        note=note,
    )


def _first(
    regime: Regime, key: str, scopes: tuple[str, ...], on: date
) -> Figure | None:
    for scope in scopes:
        if regime.has(key, scope, on):
            return regime.figure(key, scope, on)
    return None
