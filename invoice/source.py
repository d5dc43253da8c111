"""Document sources: one small TOML file per quote or invoice.

    # factures/2026-04-lumiere.toml
    client = "Assets:Clients:Lumiere-Bio"
    title = "Animation réseaux sociaux, avril 2026"
    date = 2026-04-30            # issue date; default: today
    service-date = 2026-04-30    # end of the service; default: the issue date
    payment-days = 30            # or: due = 2026-05-30
    project = "lumiere-social"
    valid-until = 2026-05-31     # quotes only
    deposit = "30%"              # quotes: deposit asked on acceptance

    [[lines]]
    item = "animation-mensuelle"   # a service of catalogue.toml
    quantity = 1

    [[lines]]
    description = "Atelier stratégie éditoriale"
    quantity = 2.5
    unit = "h"
    unit-price = "80.00"
    account = "Income:Prestations:Formation"

The catalogue lists her services once (``catalogue.toml``):

    [services.animation-mensuelle]
    description = "Animation réseaux sociaux (forfait mensuel)"
    unit = "mois"
    price = "1500.00"
    account = "Income:Prestations:Community-Management"

A line naming an ``item`` takes its description, unit, price and account
from the catalogue; anything the line states itself wins. Errors name the
file and the field (``lines[2].unit-price``).
"""

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from beancount_micro.invoice.errors import SourceError

# UN/ECE Recommendation 20 unit codes for the units people write.
UNIT_CODES = {
    "h": "HUR",
    "heure": "HUR",
    "heures": "HUR",
    "j": "DAY",
    "jour": "DAY",
    "jours": "DAY",
    "mois": "MON",
    "semaine": "WEE",
    "semaines": "WEE",
    "an": "ANN",
}
DEFAULT_UNIT_CODE = "C62"  # "one": a piece, a package, a session
MAX_TEXT = 2000
# The largest amount a line, a total or the SEPA QR code may carry.
MAX_AMOUNT = Decimal("999999999.99")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_KEYS = {
    "item", "description", "quantity", "unit", "unit-price", "account",
    "unit-code", "vat-category",
}  # fmt: skip


@dataclass(frozen=True)
class SourceLine:
    """A line as written in the source, completed from the catalogue."""

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    account: str
    unit_code: str
    vat_category: str | None


@dataclass
class Source:
    """A validated document source (no number yet: a draft)."""

    path: Path
    client: str
    title: str
    lines: list[SourceLine]
    issued: date | None = None
    service_date: date | None = None
    due: date | None = None
    payment_days: int | None = None
    valid_until: date | None = None
    project: str | None = None
    deposit: str | None = None
    deposits: list[str] = field(default_factory=list)


Catalogue = dict[str, dict[str, Any]]


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Read a TOML file, turning every failure into a :class:`SourceError`."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle, parse_float=Decimal)
    except FileNotFoundError as exc:
        raise SourceError(path, what, "file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(path, what, f"unreadable ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(path, what, f"invalid TOML ({exc})") from exc


def load_catalogue(path: Path) -> Catalogue:
    """Read ``catalogue.toml``; a missing file is an empty catalogue."""
    if not path.exists():
        return {}
    services = read_toml(path, "services").get("services", {})
    if not isinstance(services, dict):
        raise SourceError(path, "services", "expected tables [services.<name>]")
    for name, service in services.items():
        if not isinstance(service, dict):
            raise SourceError(path, f"services.{name}", "expected a table")
        if "price" in service:
            _money(path, f"services.{name}.price", service["price"])
    return services


def load_source(path: Path, catalogue: Catalogue) -> Source:
    """Read and validate one document source."""
    raw = read_toml(path, "source")
    known = {
        "client",
        "title",
        "date",
        "service-date",
        "due",
        "payment-days",
        "valid-until",
        "project",
        "deposit",
        "deposits",
        "lines",
    }
    for key in raw:
        if key not in known:
            raise SourceError(
                path, key, f"unknown field; expected one of {sorted(known)}"
            )
    lines = raw.get("lines")
    if not isinstance(lines, list) or not lines:
        raise SourceError(path, "lines", "at least one [[lines]] table is required")
    return Source(
        path=path,
        client=_text(path, "client", raw.get("client"), required=True),
        title=_text(path, "title", raw.get("title"), required=True),
        lines=[_line(path, i, line, catalogue) for i, line in enumerate(lines, 1)],
        issued=_date(path, "date", raw.get("date")),
        service_date=_date(path, "service-date", raw.get("service-date")),
        due=_date(path, "due", raw.get("due")),
        payment_days=_days(path, raw.get("payment-days")),
        valid_until=_date(path, "valid-until", raw.get("valid-until")),
        project=_text(path, "project", raw.get("project")) or None,
        deposit=_text(path, "deposit", raw.get("deposit")) or None,
        deposits=[str(n) for n in raw.get("deposits", [])],
    )


def _line(path: Path, index: int, raw: Any, catalogue: Catalogue) -> SourceLine:
    where = f"lines[{index}]"
    if not isinstance(raw, dict):
        raise SourceError(path, where, "expected a table")
    for key in raw:
        if key not in LINE_KEYS:
            expected = f"unknown field; expected one of {sorted(LINE_KEYS)}"
            raise SourceError(path, f"{where}.{key}", expected)
    merged: dict[str, Any] = {}
    if "item" in raw:
        item = str(raw["item"])
        if item not in catalogue:
            known = ", ".join(sorted(catalogue)) or "the catalogue is empty"
            raise SourceError(
                path, f"{where}.item", f"{item!r} is not in the catalogue ({known})"
            )
        service = catalogue[item]
        merged = {**service, "unit-price": service.get("price")}
    merged.update({k: v for k, v in raw.items() if k != "item"})

    quantity = _number(path, f"{where}.quantity", merged.get("quantity", 1))
    if quantity <= 0:
        raise SourceError(path, f"{where}.quantity", f"{quantity} must be positive")
    price = merged.get("unit-price")
    if price is None:
        raise SourceError(path, f"{where}.unit-price", "is required (or an item)")
    unit_price = _money(path, f"{where}.unit-price", price)
    if quantity * unit_price > MAX_AMOUNT:
        raise SourceError(
            path, where, f"{quantity} × {unit_price} is over {MAX_AMOUNT} EUR"
        )
    unit = _text(path, f"{where}.unit", merged.get("unit", "")) or "forfait"
    vat = merged.get("vat-category", "E")
    return SourceLine(
        description=_text(
            path, f"{where}.description", merged.get("description"), True
        ),
        quantity=quantity,
        unit=unit,
        unit_price=unit_price,
        account=_text(path, f"{where}.account", merged.get("account"), required=True),
        unit_code=str(
            merged.get("unit-code") or UNIT_CODES.get(unit.lower(), DEFAULT_UNIT_CODE)
        ),
        vat_category=str(vat) if vat not in (None, "") else None,
    )


def _text(path: Path, key: str, value: Any, required: bool = False) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise SourceError(path, key, "is required")
        return ""
    if not isinstance(value, str):
        raise SourceError(path, key, f"expected text, found {value!r}")
    if len(value) > MAX_TEXT:
        raise SourceError(path, key, f"longer than {MAX_TEXT} characters")
    control = CONTROL.search(value)
    if control:
        # The Factur-X XML (XML 1.0) cannot hold them; a PDF would hide them.
        raise SourceError(
            path, key, f"contains the control character U+{ord(control[0]):04X}"
        )
    return value.strip()


def _number(path: Path, key: str, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise SourceError(path, key, "expected a number")
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation as exc:
        raise SourceError(path, key, f"expected a number, found {value!r}") from exc
    if not number.is_finite():
        raise SourceError(path, key, f"expected a number, found {value!r}")
    if abs(number) > MAX_AMOUNT:
        raise SourceError(path, key, f"{number} is over {MAX_AMOUNT}")
    return number


def _money(path: Path, key: str, value: Any) -> Decimal:
    number = _number(path, key, value)
    if number < 0:
        raise SourceError(path, key, f"{number} must not be negative")
    if number != number.quantize(Decimal("0.01")):
        # Printed prices, line totals and the ledger all keep cents.
        raise SourceError(path, key, f"{number}: at most 2 decimals (cents)")
    return number


def _date(path: Path, key: str, value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        raise SourceError(path, key, f"expected a date without time, found {value}")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise SourceError(
            path, key, f"expected a date YYYY-MM-DD, found {value!r}"
        ) from exc


def _days(path: Path, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SourceError(path, "payment-days", "expected a whole number of days")
    return value
